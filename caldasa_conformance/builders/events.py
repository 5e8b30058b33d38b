"""Building blocks of the deterministic event/ticket scenarios (suites/events/test_event_*rules.py).

The events machine explores at random; these scenarios pin one example per rule (E2, E4–E8, R2, R3) so a
broken rule is caught on every run. Events come from `createEvent` (named with the run tag) or from the
`event-with-paid-ticket-order` provider state; every event a scenario touches is cancelled when it ends
(orders and tickets stay inside the cancelled event, as design §8 #47 says), and what cannot be cancelled
is recorded as a leftover by the `Cleanup` stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.naming import unique_name
from caldasa_conformance.oracles import events as oracles
from caldasa_conformance.states import StateProvider, require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer, violation
from caldasa_conformance.workflows.timeutil import now, wire

# The buyer of extra orders: one fixed e-mail, so the target files every order under one customer (as the
# events machine does) instead of creating a customer per order.
BUYER_EMAIL = "buyer@example.test"


@dataclass(frozen=True)
class PaidOrder:
    """A `Paid` ticket order of a `Published` event (ids as the provider state returns them)."""

    event_id: str
    ticket_type_id: str
    order_id: str
    tickets: tuple[dict[str, Any], ...]  # {"ticketId", "code"}

    @property
    def ticket_ids(self) -> set[str]:
        return {str(ticket["ticketId"]) for ticket in self.tickets}

    def code(self, index: int = 0) -> str:
        return str(self.tickets[index]["code"])


def _paid_order(ids: dict[str, Any], event_id: str, ticket_type_id: str) -> PaidOrder:
    tickets = tuple({"ticketId": t["ticketId"], "code": t["code"]} for t in ids["tickets"])
    return PaidOrder(event_id, ticket_type_id, str(ids["ticketOrderId"]), tickets)


def _cancel_event_unless_cancelled(client: httpx.Client, event_id: str) -> httpx.Response:
    """Cleanup: a scenario may have cancelled the event itself (cancelling twice would answer 409)."""
    current = ops.get_event(client, event_id)
    if current.status_code == 200 and current.json().get("status") == "Cancelled":
        return current
    return ops.cancel_event(client, event_id, params={"notifyAttendees": False})


class EventScenario:
    """Builds and reads events for one scenario; every check names the requirement it rests on.

    Args:
        client: the suite's client of the primary tenant.
        run_tag: put into the names of created events and ticket types.
        cleanup: the stack that cancels the scenario's events when it ends.
        states: where paid orders come from (the test's `workflow_target.states`).
    """

    def __init__(self, client: httpx.Client, run_tag: str, cleanup: Cleanup, states: StateProvider) -> None:
        self.client = client
        self.run_tag = run_tag
        self.cleanup = cleanup
        self.states = states

    def name(self, stem: str) -> str:
        return unique_name(self.run_tag, stem)

    def _track_event(self, event_id: str) -> None:
        self.cleanup.push("event", event_id, lambda: _cancel_event_unless_cancelled(self.client, event_id))

    # ---------------------------------------------------------------- building
    def draft_event(self, requirement: str) -> str:
        """A `Draft` event a week ahead, without ticket types."""
        starts = now().replace(microsecond=0) + timedelta(days=7)
        body = {
            "name": self.name("event"),
            "startsAt": wire(starts),
            "endsAt": wire(starts + timedelta(hours=3)),
        }
        dto = check_answer(ops.create_event(self.client, body=body), Expect(201, requirement), "createEvent")
        self._track_event(str(dto["id"]))
        return str(dto["id"])

    def add_ticket_type(self, event_id: str, requirement: str, price_cents: int = 1000) -> str:
        body = {"name": self.name("tier"), "priceCents": price_cents, "capacity": 5}
        response = ops.create_ticket_type(self.client, event_id, body=body)
        return str(check_answer(response, Expect(201, requirement), "createTicketType")["id"])

    def paid_order(self, quantity: int = 2) -> PaidOrder:
        """A fresh published event with one ticket type and one paid order of `quantity` tickets."""
        ids = require_state("event-with-paid-ticket-order", self.states, quantity=quantity)
        self._track_event(str(ids["eventId"]))
        return _paid_order(ids, str(ids["eventId"]), str(ids["ticketTypeId"]))

    def extra_order(self, order: PaidOrder, quantity: int) -> PaidOrder:
        """Another paid order of the same event and ticket type (provider state `ticket-order`)."""
        lines = [{"ticketTypeId": order.ticket_type_id, "quantity": quantity}]
        ids = require_state(
            "ticket-order",
            self.states,
            eventId=order.event_id,
            lines=lines,
            buyerName=self.name("buyer"),
            buyerEmail=BUYER_EMAIL,
        )
        return _paid_order(ids, order.event_id, order.ticket_type_id)

    # ---------------------------------------------------------------- actions
    def cancel_order(self, order: PaidOrder, expect: Expect, refund: bool = False) -> Any:
        body = {"refund": refund, "notifyCustomer": False}
        response = ops.cancel_ticket_order(self.client, order.event_id, order.order_id, body=body)
        return check_answer(response, expect, "cancelTicketOrder")

    def cancel_live_order(self, order: PaidOrder, refund: bool = False) -> None:
        """Cancel a paid order as the precondition of another rule, checking what E6 says follows: 200 and
        every ticket `Cancelled` (so a target that keeps the tickets fails on E6, not on the later rule)."""
        self.cancel_order(order, Expect(200, "E6", why="a paid order"), refund=refund)
        listed = self.order_in_list(order, "E6")
        oracles.order_cancellation(listed, "listTicketOrders", cancelled_tickets=order.ticket_ids)

    def redeem(self, code: str, event_id: str | None, expect: Expect) -> Any:
        body = {"code": code, "eventId": event_id}
        return check_answer(ops.redeem_ticket(self.client, body=body), expect, "redeemTicket")

    # ---------------------------------------------------------------- reads
    def event(self, event_id: str, requirement: str) -> dict[str, Any]:
        return dict(check_answer(ops.get_event(self.client, event_id), Expect(200, requirement), "getEvent"))

    def ticket_types(self, event_id: str, requirement: str) -> dict[str, dict[str, Any]]:
        response = ops.list_ticket_types(self.client, event_id)
        items = check_answer(response, Expect(200, requirement), "listTicketTypes").get("items", [])
        return {str(item["id"]): item for item in items}

    def report(self, event_id: str, requirement: str) -> dict[str, Any]:
        response = ops.get_ticket_sales_report(self.client, event_id)
        return dict(check_answer(response, Expect(200, requirement), "getTicketSalesReport"))

    def orders(self, event_id: str, requirement: str) -> dict[str, dict[str, Any]]:
        """The event's ticket orders by id (one page of 100 holds every order a scenario makes)."""
        response = ops.list_ticket_orders(self.client, event_id, params={"pageSize": 100})
        items = check_answer(response, Expect(200, requirement), "listTicketOrders").get("items", [])
        return {str(item["id"]): item for item in items}

    def order_in_list(self, order: PaidOrder, requirement: str) -> dict[str, Any]:
        found = self.orders(order.event_id, requirement).get(order.order_id)
        if found is None:
            raise violation(
                requirement, "A ticket order is missing from its event's list", "absent", order.order_id
            )
        return found


# ---------------------------------------------------------------- E3 (suites/events/test_event_core_rules.py)


def sold_out_order(scenario: EventScenario, quantity: int = 2) -> PaidOrder:
    """A published event whose only ticket type (capacity `quantity`) is sold out by one paid order."""
    ids = require_state("event-with-paid-ticket-order", scenario.states, quantity=quantity, capacity=quantity)
    scenario._track_event(str(ids["eventId"]))
    return _paid_order(ids, str(ids["eventId"]), str(ids["ticketTypeId"]))

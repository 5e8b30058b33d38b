"""Events and tickets machine (class `events`: E1–E8, R1–R3).

One event per example: ticket types are added, the event is published, renamed and cancelled, legal and
illegal transitions alike; orders come from the `ticket-order` provider state; tickets are redeemed (twice,
too) and orders cancelled. After every step the event detail, the sales report and the order list must
agree with the model and with each other.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from caldasa_conformance.oracles import events as oracles
from caldasa_conformance.oracles import tickets as ticket_oracles
from caldasa_conformance.states import StateRejected, StateUnavailable, skip_reason
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.event_model import EventModel, Order, Ticket, Tier
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step
from caldasa_conformance.workflows.timeutil import now, wire


class EventsAndTickets(WorkflowMachine):
    """Events, ticket types, orders and redemption against the model; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.event: EventModel | None = None

    @initialize(
        capacity=st.sampled_from([None, 3, 6]),
        days_ahead=st.integers(2, 20),
        tiers=st.integers(0, 2),
        publish=st.booleans(),
    )
    @step
    def create_event(self, capacity: int | None, days_ahead: int, tiers: int, publish: bool) -> None:
        """A Draft event; often with ticket types and published already, so sales start early in a run."""
        starts = now().replace(microsecond=0) + timedelta(days=days_ahead)
        body = {
            "name": self.unique("event"),
            "startsAt": wire(starts),
            "endsAt": wire(starts + timedelta(hours=3)),
            "capacity": capacity,
        }
        dto = check_answer(
            self.api.call("createEvent", json=body), Expect(201, "E1", why="create"), "createEvent"
        )
        oracles.event_lifecycle(dto, "createEvent", status="Draft")
        self.event = EventModel(dto["id"], capacity)
        event_id = dto["id"]
        self.on_teardown(
            lambda: self.api.call(
                "cancelEvent", path={"eventId": event_id}, params={"notifyAttendees": False}
            )
        )
        for index in range(tiers):
            self._add_tier(price=1500 * index, capacity=2 + index, max_per_order=None)
        if publish:
            self._publish()

    # ---------------------------------------------------------------- rules
    # Three rules with an `action` each, rather than one rule per operation: Hypothesis' swarm testing turns
    # whole rules off per example, and with few rules a short run still reaches sales and redemptions.
    @rule(action=st.sampled_from(["publish", "publish", "rename", "cancel"]))
    @step
    def change_event(self, action: str) -> None:
        {"publish": self.publish, "rename": self.rename_event, "cancel": self.cancel_event}[action]()

    @rule(
        action=st.sampled_from(["add", "add", "update", "delete"]),
        pick=st.integers(0, 50),
        price=st.sampled_from([0, 1500]),
        capacity=st.integers(1, 4),
        max_per_order=st.sampled_from([None, 2]),
        capacity_delta=st.integers(-2, 2),
        change_price=st.booleans(),
    )
    @step
    def change_tiers(
        self,
        action: str,
        pick: int,
        price: int,
        capacity: int,
        max_per_order: int | None,
        capacity_delta: int,
        change_price: bool,
    ) -> None:
        event = self._event()
        if action == "add" or not event.tiers:
            self.add_ticket_type(price, capacity, max_per_order)
        elif action == "update":
            self.update_ticket_type(pick, capacity_delta, change_price)
        elif any(not t.ever_sold or t.sold > 0 for t in event.tiers.values()):
            self.delete_ticket_type(pick)

    @precondition(lambda self: self.event is not None and bool(self.event.tiers))
    @rule(
        action=st.sampled_from(["buy", "buy", "redeem", "redeem", "cancel_order", "resend"]),
        pick=st.integers(0, 50),
        quantity=st.integers(1, 3),
        refund=st.booleans(),
    )
    @step
    def trade(self, action: str, pick: int, quantity: int, refund: bool) -> None:
        event = self._event()
        if action == "buy" or not event.orders:
            if self.target.states.dynamic:
                self.buy(pick, quantity)
        elif action == "redeem":
            self.redeem(pick)
        elif event.status != "Cancelled":
            (self.cancel_order(pick, refund) if action == "cancel_order" else self.resend_tickets(pick))

    # ---------------------------------------------------------------- actions
    def add_ticket_type(self, price: int, capacity: int, max_per_order: int | None) -> None:
        self._add_tier(price, capacity, max_per_order)

    def _add_tier(self, price: int, capacity: int, max_per_order: int | None) -> None:
        event = self._event()
        name = f"tier {len(event.tiers) + 1} {self.unique('t')}"
        body = {"name": name, "priceCents": price, "capacity": capacity, "maxPerOrder": max_per_order}
        response = self.api.call("createTicketType", path={"eventId": event.id}, json=body)
        dto = check_answer(response, event.predict_write(201), "createTicketType")
        if response.status_code == 201:
            event.tiers[dto["id"]] = Tier(dto["id"], name, price, capacity, max_per_order)

    def publish(self) -> None:
        self._publish()

    def _publish(self) -> None:
        event = self._event()
        expect = event.predict_publish()
        dto = check_answer(self.api.call("publishEvent", path={"eventId": event.id}), expect, "publishEvent")
        if expect.status == 200:
            oracles.event_lifecycle(dto, "publishEvent", status="Published")
            event.status, event.ever_published = "Published", True

    def cancel_event(self) -> None:
        event = self._event()
        expect = event.predict_cancel()
        response = self.api.call("cancelEvent", path={"eventId": event.id}, params={"notifyAttendees": False})
        check_answer(response, expect, "cancelEvent")
        if expect.status == 200:
            event.status = "Cancelled"

    def rename_event(self) -> None:
        event = self._event()
        response = self.api.call(
            "updateEvent", path={"eventId": event.id}, json={"name": self.unique("renamed")}
        )
        check_answer(response, event.predict_write(200), "updateEvent")

    def update_ticket_type(self, pick: int, capacity_delta: int, change_price: bool) -> None:
        event = self._event()
        tier = list(event.tiers.values())[pick % len(event.tiers)]
        capacity = max(1, tier.capacity + capacity_delta)
        price = tier.price_cents + (100 if change_price else 0)
        expect = event.predict_tier_update(tier, capacity, price)
        response = self.api.call(
            "updateTicketType",
            path={"eventId": event.id, "ticketTypeId": tier.id},
            json={"capacity": capacity, "priceCents": price},
        )
        check_answer(response, expect, "updateTicketType")
        if expect.status == 200:
            tier.capacity, tier.price_cents = capacity, price

    def delete_ticket_type(self, pick: int) -> None:
        event = self._event()
        tiers = [t for t in event.tiers.values() if not t.ever_sold or t.sold > 0]
        tier = tiers[pick % len(tiers)]
        expect = event.predict_tier_delete(tier)
        response = self.api.call("deleteTicketType", path={"eventId": event.id, "ticketTypeId": tier.id})
        check_answer(response, expect, "deleteTicketType")
        if expect.status == 204:
            del event.tiers[tier.id]

    # ---------------------------------------------------------------- orders and tickets
    def buy(self, pick: int, quantity: int) -> None:
        """Orders come from the `ticket-order` provider state (there is no public purchase operation)."""
        event = self._event()
        tier = list(event.tiers.values())[pick % len(event.tiers)]
        expect = event.predict_order(tier, quantity)
        params = {
            "eventId": event.id,
            "lines": [{"ticketTypeId": tier.id, "quantity": quantity}],
            "buyerName": self.unique("workflow buyer"),
            "buyerEmail": "buyer@example.test",
        }
        try:
            ids = self.provide_state("ticket-order", params)
        except StateUnavailable as unavailable:
            import pytest

            pytest.skip(skip_reason("ticket-order", str(unavailable)))
        except StateRejected as rejected:
            oracles.refusal_was_predicted(expect, f"{rejected.status} {rejected.code}")
            return
        self._record_order(event, tier, ids)

    def _record_order(self, event: EventModel, tier: Tier, ids: dict[str, Any]) -> None:
        """Take the order into the model whatever the prediction: the invariants judge capacity (E3)."""
        tickets = [Ticket(t["ticketId"], t.get("ticketTypeId", tier.id), t["code"]) for t in ids["tickets"]]
        event.orders.append(Order(f"o{len(event.orders) + 1}", ids["ticketOrderId"], tickets))
        tier.sold += len(tickets)
        tier.ever_sold = True

    def redeem(self, pick: int) -> None:
        """R1/R2: a ticket redeems once; cancelled tickets and inactive events answer 409."""
        event = self._event()
        ticket = event.tickets()[pick % len(event.tickets())]
        expect = event.predict_redeem(ticket)
        response = self.api.call("redeemTicket", json={"code": ticket.code, "eventId": event.id})
        dto = check_answer(response, expect, "redeemTicket")
        if expect.code == "already_redeemed":
            ticket_oracles.ticket_redeems_once(ticket.redeemed_at, again=dto)
        if expect.status == 200:
            ticket.status, ticket.redeemed_at = "Redeemed", dto.get("redeemedAt")

    def cancel_order(self, pick: int, refund: bool) -> None:
        """E6: cancelling frees capacity and cancels tickets; twice or after a redemption answers 409."""
        event = self._event()
        order = event.orders[pick % len(event.orders)]
        expect = event.predict_order_cancel(order)
        response = self.api.call(
            "cancelTicketOrder",
            path={"eventId": event.id, "ticketOrderId": order.id},
            json={"refund": refund, "notifyCustomer": False},
        )
        dto = check_answer(response, expect, "cancelTicketOrder")
        if expect.status != 200:
            return
        wanted = "Refunded" if refund else "Cancelled"
        oracles.order_cancellation(dto, "cancelTicketOrder", status=wanted)
        order.status = wanted
        for ticket in order.tickets:
            ticket.status = "Cancelled"
            if ticket.tier_id in event.tiers:
                event.tiers[ticket.tier_id].sold -= 1

    def resend_tickets(self, pick: int) -> None:
        """E7: 202 for live orders, 409 order_cancelled for cancelled ones."""
        event = self._event()
        order = event.orders[pick % len(event.orders)]
        live = order.status == "Paid"
        expect = (
            Expect(202, "E7") if live else Expect(409, "E7", "order_cancelled", why="the order is cancelled")
        )
        response = self.api.call("resendTicketQrCodes", path={"eventId": event.id, "ticketOrderId": order.id})
        check_answer(response, expect, "resendTicketQrCodes")

    # ---------------------------------------------------------------- invariants
    @invariant()
    @checked
    def event_detail_matches_model(self) -> None:
        """E1 status and stamps, E3 capacity and sums, E8 attendees, R3 their redemptions."""
        if self.event is None:
            return
        event = self.event
        dto = check_answer(
            self.api.call("getEvent", path={"eventId": event.id}), Expect(200, "E1"), "getEvent"
        )
        oracles.event_lifecycle(
            dto,
            "getEvent",
            status=event.status,
            published=event.ever_published,
            cancelled=event.status == "Cancelled",
        )
        sold_by_tier = {t.id: t.sold for t in event.tiers.values()}
        tiers = dto.get("ticketTypes", [])
        oracles.tickets_within_capacity(
            dto, tiers, "getEvent", capacity=event.capacity, sold_by_tier=sold_by_tier
        )
        live = {t.id: t.status for t in event.tickets() if t.status != "Cancelled"}
        attendees = dto.get("attendees", [])
        oracles.attendees_are_live_tickets(attendees, live=live)
        ticket_oracles.redemption_shows_everywhere(attendees=attendees, wanted=live)

    @invariant()
    @checked
    def report_and_orders_agree(self) -> None:
        """E5: the report sums its tiers and equals the model; E6/R3: orders and tickets as modelled."""
        if self.event is None:
            return
        event = self.event
        report = check_answer(
            self.api.call("getTicketSalesReport", path={"eventId": event.id}),
            Expect(200, "E5"),
            "getTicketSalesReport",
        )
        oracles.sales_report_consistent(report, sold=event.sold)
        if event.orders:
            self._check_orders()

    def _check_orders(self) -> None:
        event = self._event()
        listed = check_answer(
            self.api.call("listTicketOrders", path={"eventId": event.id}, params={"pageSize": 100}),
            Expect(200, "E6"),
            "listTicketOrders",
        )
        by_id = {o["id"]: o for o in listed.get("items", [])}
        for order in event.orders:
            dto = by_id.get(order.id)
            oracles.order_cancellation(dto, "listTicketOrders", order_id=order.id, status=order.status)
            tickets = (dto or {}).get("tickets", [])  # a missing order has failed above
            wanted = {t.id: t.status for t in order.tickets}
            ticket_oracles.redemption_shows_everywhere(order_tickets=tickets, wanted=wanted)

    def _event(self) -> EventModel:
        assert self.event is not None, "create_event runs first"
        return self.event


TestEventsAndTickets = EventsAndTickets.test_case()

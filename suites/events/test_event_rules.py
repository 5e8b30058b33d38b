"""Event and ticket rules, one deterministic example each (class `events`: E2, E4–E8, R2, R3).

The events state machine explores these rules at random and may miss a break on a given seed; each test here
builds the one situation a rule speaks about and checks the answer, so a broken rule fails every run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from caldasa_conformance.builders.events import EventScenario, PaidOrder
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.oracles import events as oracles
from caldasa_conformance.oracles import tickets as ticket_oracles
from caldasa_conformance.session import RunSession
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.target import Target


@pytest.fixture
def scenario(
    api: httpx.Client, run_tag: str, caldasa_session: RunSession, workflow_target: Target
) -> Iterator[EventScenario]:
    """Builds the test's events; cancels them when the test ends (leftovers are recorded)."""
    cleanup = Cleanup(leftovers=caldasa_session.leftovers)
    yield EventScenario(api, run_tag, cleanup, workflow_target.states)
    cleanup.run()


def _sold(scenario: EventScenario, order: PaidOrder, requirement: str) -> dict[str, Any]:
    """Tickets sold of the order's ticket type and of its event, from listTicketTypes and getEvent."""
    tiers = scenario.ticket_types(order.event_id, requirement)
    event = scenario.event(order.event_id, requirement)
    return {"tier": tiers[order.ticket_type_id].get("soldCount"), "event": event.get("ticketsSold")}


# ---------------------------------------------------------------- E2


@pytest.mark.events
@pytest.mark.req("E2")
@pytest.mark.operation("createEvent", "publishEvent", "getEvent", "createTicketType")
def test_publishing_needs_a_ticket_type(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: an event without ticket types cannot be published (E2, §8 #53).

    Test Method: create a Draft event with no ticket types; publishEvent answers 409 no_ticket_types and the
    event stays Draft; after adding one ticket type the same event publishes (200, Published).
    """
    event_id = scenario.draft_event("E2")
    expect = Expect(409, "E2", "no_ticket_types", why="the event has no ticket types")
    check_answer(ops.publish_event(api, event_id), expect, "publishEvent")
    refused = scenario.event(event_id, "E2")
    oracles.publishing_needs_a_ticket_type(refused, has_ticket_types=False, operation_id="getEvent")
    scenario.add_ticket_type(event_id, "E2")
    published = check_answer(
        ops.publish_event(api, event_id), Expect(200, "E2", why="one ticket type now"), "publishEvent"
    )
    oracles.publishing_needs_a_ticket_type(published, has_ticket_types=True, operation_id="publishEvent")


# ---------------------------------------------------------------- E4


@pytest.mark.events
@pytest.mark.req("E4")
@pytest.mark.operation(
    "updateTicketType", "updateEvent", "deleteTicketType", "listTicketTypes", "createTicketType"
)
def test_sold_ticket_types_are_locked(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: a ticket type with sales keeps its price, a capacity ≥ sold, and cannot be deleted (E4).

    Test Method: provider state `event-with-paid-ticket-order` (2 tickets sold); change the price → 409
    price_locked; lower the ticket type's and the event's capacity below sold → 409 capacity_below_sold;
    delete it → 409 tickets_sold; the ticket type is unchanged. An unsold ticket type deletes (204), then 404.
    """
    order = scenario.paid_order()
    before = scenario.ticket_types(order.event_id, "E4")[order.ticket_type_id]
    sold, tier_id = int(before["soldCount"]), order.ticket_type_id
    attempts: list[tuple[str, httpx.Response, str]] = [
        (
            "updateTicketType",
            ops.update_ticket_type(api, order.event_id, tier_id, {"priceCents": before["priceCents"] + 100}),
            "price_locked",
        ),
        (
            "updateTicketType",
            ops.update_ticket_type(api, order.event_id, tier_id, {"capacity": sold - 1}),
            "capacity_below_sold",
        ),
        ("updateEvent", ops.update_event(api, order.event_id, {"capacity": sold - 1}), "capacity_below_sold"),
        ("deleteTicketType", ops.delete_ticket_type(api, order.event_id, tier_id), "tickets_sold"),
    ]
    for operation_id, response, code in attempts:
        check_answer(response, Expect(409, "E4", code, why=f"{sold} tickets sold"), operation_id)
    oracles.sold_ticket_type_locked(before, scenario.ticket_types(order.event_id, "E4").get(tier_id, {}))
    unsold = scenario.add_ticket_type(order.event_id, "E4")
    expect = Expect(204, "E4", why="an unsold ticket type")
    check_answer(ops.delete_ticket_type(api, order.event_id, unsold), expect, "deleteTicketType")
    gone = Expect(404, "E4", "not_found", why="it was deleted")
    check_answer(ops.delete_ticket_type(api, order.event_id, unsold), gone, "deleteTicketType")


# ---------------------------------------------------------------- E5


@pytest.mark.events
@pytest.mark.req("E5")
@pytest.mark.operation("getTicketSalesReport", "getEvent", "listTicketOrders", "cancelTicketOrder")
def test_sales_report_agrees_with_tiers_summary_and_orders(scenario: EventScenario) -> None:
    """Test Purpose: the sales report sums its tiers, equals the event's bookingSummary and the ticket orders,
    and reports netCents = grossCents although an order was refunded (E5, §8 #50).

    Test Method: provider states `event-with-paid-ticket-order` (2 tickets) and `ticket-order` (1 more); the
    extra order is cancelled with a refund; the report, getEvent and listTicketOrders are compared.
    """
    order = scenario.paid_order()
    refunded = scenario.extra_order(order, quantity=1)
    scenario.cancel_live_order(refunded, refund=True)
    report = scenario.report(order.event_id, "E5")
    summary = scenario.event(order.event_id, "E5").get("bookingSummary") or {}
    orders = scenario.orders(order.event_id, "E5").values()
    oracles.sales_report_consistent(report, summary=summary, orders=orders)


# ---------------------------------------------------------------- E6


@pytest.mark.events
@pytest.mark.req("E6")
@pytest.mark.operation("cancelTicketOrder", "listTicketTypes", "getEvent", "listTicketOrders")
def test_cancelling_an_order_cancels_its_tickets_and_frees_capacity(scenario: EventScenario) -> None:
    """Test Purpose: cancelling a ticket order cancels its tickets and frees their capacity; twice → 409 (E6).

    Test Method: provider state `event-with-paid-ticket-order`; read soldCount and ticketsSold; cancel the
    order (no refund) → 200 Cancelled; both counters drop by the order's tickets, its tickets are Cancelled;
    a second cancel → 409 already_cancelled.
    """
    order = scenario.paid_order()
    before = _sold(scenario, order, "E6")
    cancelled = scenario.cancel_order(order, Expect(200, "E6", why="a paid order"))
    oracles.order_cancellation(cancelled, "cancelTicketOrder", status="Cancelled")
    after = _sold(scenario, order, "E6")
    listed = scenario.order_in_list(order, "E6")
    oracles.order_cancellation(
        listed, "listTicketOrders", cancelled_tickets=order.ticket_ids, sold=(before, after)
    )
    scenario.cancel_order(order, Expect(409, "E6", "already_cancelled", why="cancelled before"))


@pytest.mark.events
@pytest.mark.req("E6")
@pytest.mark.operation("redeemTicket", "cancelTicketOrder", "listTicketOrders")
def test_an_order_with_a_redeemed_ticket_cannot_be_cancelled(scenario: EventScenario) -> None:
    """Test Purpose: an order one of whose tickets was redeemed cannot be cancelled (E6).

    Test Method: provider state `event-with-paid-ticket-order`; redeem one ticket; cancelTicketOrder → 409
    ticket_redeemed; the order stays Paid.
    """
    order = scenario.paid_order()
    scenario.redeem(order.code(), order.event_id, Expect(200, "E6", why="a valid ticket"))
    scenario.cancel_order(order, Expect(409, "E6", "ticket_redeemed", why="a ticket was redeemed"))
    oracles.order_cancellation(scenario.order_in_list(order, "E6"), "listTicketOrders", status="Paid")


# ---------------------------------------------------------------- E7


@pytest.mark.events
@pytest.mark.req("E7")
@pytest.mark.operation("resendTicketQrCodes", "cancelTicketOrder", "listTicketOrders")
def test_resending_tickets_needs_a_live_order(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: resending QR codes answers 202 for a live order, 409 order_cancelled for a cancelled
    one, and changes nothing (E7).

    Test Method: provider state `event-with-paid-ticket-order`; resend → 202 and the order and its tickets are
    unchanged; cancel the order; resend → 409 order_cancelled.
    """
    order = scenario.paid_order()
    before = scenario.order_in_list(order, "E7")
    resend = ops.resend_ticket_qr_codes(api, order.event_id, order.order_id)
    check_answer(resend, Expect(202, "E7", why="a paid order"), "resendTicketQrCodes")
    oracles.resend_changes_nothing(before, scenario.order_in_list(order, "E7"))
    scenario.cancel_live_order(order)
    again = ops.resend_ticket_qr_codes(api, order.event_id, order.order_id)
    expect = Expect(409, "E7", "order_cancelled", why="the order is cancelled")
    check_answer(again, expect, "resendTicketQrCodes")


# ---------------------------------------------------------------- E8


@pytest.mark.events
@pytest.mark.req("E8")
@pytest.mark.operation("getEvent", "redeemTicket")
def test_attendees_are_the_tickets(scenario: EventScenario) -> None:
    """Test Purpose: the attendee list has one entry per non-cancelled ticket, and an entry is Redeemed
    exactly when its redeemedAt is set (E8).

    Test Method: provider state `event-with-paid-ticket-order` (one order of 2 tickets); the attendees are
    exactly its 2 tickets, Valid without redeemedAt; after redeeming one, that one is Redeemed with
    redeemedAt and the other stays Valid without.
    """
    order = scenario.paid_order(quantity=2)
    _check_attendees(scenario, order, redeemed=set())
    scenario.redeem(order.code(), order.event_id, Expect(200, "E8", why="a valid ticket"))
    _check_attendees(scenario, order, redeemed={str(order.tickets[0]["ticketId"])})


def _check_attendees(scenario: EventScenario, order: PaidOrder, redeemed: set[str]) -> None:
    attendees = scenario.event(order.event_id, "E8").get("attendees", [])
    oracles.attendees_are_live_tickets(attendees, live=order.ticket_ids, redeemed=redeemed)


@pytest.mark.events
@pytest.mark.req("E8")
@pytest.mark.operation("getEvent", "cancelTicketOrder", "listTicketOrders")
def test_cancelled_tickets_leave_the_attendees(scenario: EventScenario) -> None:
    """Test Purpose: cancelled tickets are not attendees (E8).

    Test Method: provider state `event-with-paid-ticket-order`; cancel its only order; the event's attendee
    list no longer holds any of its tickets.
    """
    order = scenario.paid_order()
    scenario.cancel_live_order(order)
    attendees = scenario.event(order.event_id, "E8").get("attendees", [])
    oracles.attendees_are_live_tickets(attendees, cancelled=order.ticket_ids)


# ---------------------------------------------------------------- R2


@pytest.mark.events
@pytest.mark.req("R2")
@pytest.mark.operation("redeemTicket")
def test_an_unknown_ticket_code_is_not_found(scenario: EventScenario) -> None:
    """Test Purpose: redemption answers 404 not_found for a code no ticket has (R2, §8 #41).

    Test Method: redeem a made-up code (no ticket needed, so this part of R2 runs on any target) → 404.
    """
    unknown = f"{scenario.run_tag}-no-such-ticket-{uuid.uuid4().hex[:8]}"
    scenario.redeem(unknown, None, Expect(404, "R2", "not_found", why="no ticket has this code"))


@pytest.mark.events
@pytest.mark.req("R2")
@pytest.mark.operation("redeemTicket", "cancelTicketOrder", "listTicketOrders")
def test_redeeming_refuses_mismatched_and_cancelled_tickets(scenario: EventScenario) -> None:
    """Test Purpose: redemption answers 409 wrong_event for another event's id and 409 ticket_cancelled for a
    ticket of a cancelled order (R2, §8 #41).

    Test Method: provider state `event-with-paid-ticket-order`; redeem a valid code with a random eventId →
    409 wrong_event; cancel the order; redeem its ticket → 409 ticket_cancelled.
    """
    order = scenario.paid_order()
    mismatch = Expect(409, "R2", "wrong_event", why="the ticket belongs to another event")
    scenario.redeem(order.code(), str(uuid.uuid4()), mismatch)
    scenario.cancel_live_order(order)
    cancelled = Expect(409, "R2", "ticket_cancelled", why="the order was cancelled")
    scenario.redeem(order.code(), order.event_id, cancelled)


@pytest.mark.events
@pytest.mark.req("R2")
@pytest.mark.operation("cancelEvent", "redeemTicket")
def test_tickets_of_a_cancelled_event_do_not_redeem(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: a valid ticket of an event that is not Published does not redeem (R2).

    Test Method: provider state `event-with-paid-ticket-order`; cancel the event (its orders stay, §8 #47);
    redeem one of its tickets → 409 event_not_active.
    """
    order = scenario.paid_order()
    cancel = ops.cancel_event(api, order.event_id, params={"notifyAttendees": False})
    check_answer(cancel, Expect(200, "R2", why="a published event"), "cancelEvent")
    inactive = Expect(409, "R2", "event_not_active", why="the event is cancelled")
    scenario.redeem(order.code(), order.event_id, inactive)


# ---------------------------------------------------------------- R3


@pytest.mark.events
@pytest.mark.req("R3")
@pytest.mark.operation("redeemTicket", "listTicketOrders", "getOrder", "getEvent", "getTicketSalesReport")
def test_a_redemption_shows_everywhere(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: after a redemption the ticket is Redeemed in the ticket-order list, the order detail
    and the attendees, and the redeemed counters grow by one (R3).

    Test Method: provider state `event-with-paid-ticket-order`; read the counters; redeem one ticket; read
    listTicketOrders, getOrder, getEvent and the sales report.
    """
    order = scenario.paid_order()
    before = _redeemed_counters(scenario, order)
    ticket_id = str(order.tickets[0]["ticketId"])
    result = scenario.redeem(order.code(), order.event_id, Expect(200, "R3", why="a valid ticket"))
    redeemed_at = result.get("redeemedAt")
    listed = scenario.order_in_list(order, "R3").get("tickets", [])
    detail = check_answer(ops.get_order(api, order.order_id), Expect(200, "R3"), "getOrder")
    ticket_oracles.redemption_shows_everywhere(
        order_tickets=listed,
        order_detail=detail,
        attendees=scenario.event(order.event_id, "R3").get("attendees", []),
        redeemed_ticket=ticket_id,
        redeemed_at=redeemed_at,
    )
    ticket_oracles.redemption_shows_everywhere(counters=(before, _redeemed_counters(scenario, order)))


def _redeemed_counters(scenario: EventScenario, order: PaidOrder) -> dict[str, int]:
    report = scenario.report(order.event_id, "R3")
    summary = scenario.event(order.event_id, "R3").get("bookingSummary") or {}
    tier = next((t for t in report.get("tiers", []) if t.get("ticketTypeId") == order.ticket_type_id), {})
    return {
        "report": int(report.get("ticketsRedeemed") or 0),
        "report tier": int(tier.get("redeemed") or 0),
        "bookingSummary": int(summary.get("ticketsRedeemed") or 0),
    }

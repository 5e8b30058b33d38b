"""The event lifecycle, ticket capacity and single redemption, one deterministic example each (class `events`:
E1, E3, R1).

The events state machine meets these rules only on some seeds (a second publish, a sale past capacity, a
second redemption); each test here builds that situation directly, so a broken rule fails every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.naming import unique_name
from caldasa_conformance.states import StateRejected
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer, require
from caldasa_conformance.scenarios.events import EventScenario, PaidOrder, sold_out_order


@pytest.fixture
def scenario(api: httpx.Client, run_tag: str) -> Iterator[EventScenario]:
    """Builds the test's events; cancels them when the test ends (leftovers are recorded)."""
    cleanup = Cleanup()
    yield EventScenario(api, run_tag, cleanup)
    cleanup.run()


# ---------------------------------------------------------------- E1


def _status(scenario: EventScenario, event_id: str) -> dict[str, Any]:
    event = scenario.event(event_id, "E1")
    return {name: event.get(name) for name in ("status", "publishedAt", "cancelledAt")}


@pytest.mark.events
@pytest.mark.req("E1")
@pytest.mark.operation("createEvent", "createTicketType", "publishEvent", "cancelEvent", "getEvent")
def test_only_a_draft_event_publishes(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: an event is created Draft and publishes only from Draft; a Published or Cancelled event
    answers 409 event_not_draft and keeps its status (E1, §8 #53).

    Test Method: create an event (Draft) with one ticket type; publish → 200 Published; publish again → 409
    event_not_draft, status and publishedAt unchanged; cancel → 200; publish → 409 event_not_draft and the
    event stays Cancelled.
    """
    event_id = scenario.draft_event("E1")
    created = _status(scenario, event_id)["status"]
    require(created == "Draft", "E1", "A new event is not Draft", created, "Draft", "createEvent")
    scenario.add_ticket_type(event_id, "E1")
    draft = Expect(200, "E1", why="a Draft event with a ticket type")
    check_answer(ops.publish_event(api, event_id), draft, "publishEvent")
    published = _status(scenario, event_id)
    require(
        published["status"] == "Published" and published["publishedAt"] is not None,
        "E1",
        "A published event is not Published with publishedAt",
        published,
        "status Published, publishedAt set",
        "getEvent",
    )
    _refused_publish(scenario, event_id, "Published")
    cancel = ops.cancel_event(api, event_id, params={"notifyAttendees": False})
    check_answer(cancel, Expect(200, "E1", why="a Published event"), "cancelEvent")
    _refused_publish(scenario, event_id, "Cancelled")


def _refused_publish(scenario: EventScenario, event_id: str, status: str) -> None:
    """publishEvent on a non-Draft event answers 409 event_not_draft and leaves the event as it was."""
    before = _status(scenario, event_id)
    refused = Expect(409, "E1", "event_not_draft", why=f"the event is {status}")
    check_answer(ops.publish_event(scenario.client, event_id), refused, "publishEvent")
    after = _status(scenario, event_id)
    require(after == before, "E1", "A refused publish changed the event", after, before, "getEvent")


@pytest.mark.events
@pytest.mark.req("E1")
@pytest.mark.operation("createEvent", "cancelEvent", "updateEvent", "createTicketType", "getEvent")
def test_a_cancelled_event_is_final(scenario: EventScenario, api: httpx.Client, run_tag: str) -> None:
    """Test Purpose: a Draft event cancels once; a Cancelled event refuses a second cancel (409
    already_cancelled) and every write (409 event_cancelled) (E1, §8 #46).

    Test Method: create a Draft event; cancel → 200 Cancelled with cancelledAt; cancel again, updateEvent and
    createTicketType → 409; the event is unchanged.
    """
    event_id = scenario.draft_event("E1")
    cancel = ops.cancel_event(api, event_id, params={"notifyAttendees": False})
    check_answer(cancel, Expect(200, "E1", why="a Draft event"), "cancelEvent")
    before = scenario.event(event_id, "E1")
    require(
        before.get("status") == "Cancelled" and before.get("cancelledAt") is not None,
        "E1",
        "A cancelled event is not Cancelled with cancelledAt",
        {name: before.get(name) for name in ("status", "cancelledAt")},
        "status Cancelled, cancelledAt set",
        "getEvent",
    )
    tier = {"name": unique_name(run_tag, "E1 tier"), "priceCents": 1000, "capacity": 5}
    attempts = [
        (
            "cancelEvent",
            ops.cancel_event(api, event_id, params={"notifyAttendees": False}),
            "already_cancelled",
        ),
        ("updateEvent", ops.update_event(api, event_id, {"name": unique_name(run_tag, "E1 event")}), None),
        ("createTicketType", ops.create_ticket_type(api, event_id, body=tier), None),
    ]
    for operation_id, response, code in attempts:
        expect = Expect(409, "E1", code or "event_cancelled", why="the event is cancelled")
        check_answer(response, expect, operation_id)
    after = scenario.event(event_id, "E1")
    kept = {name: after.get(name) for name in ("status", "name", "cancelledAt", "ticketTypes")}
    wanted = {name: before.get(name) for name in kept}
    require(kept == wanted, "E1", "A refused write changed the cancelled event", kept, wanted, "getEvent")


# ---------------------------------------------------------------- E3


def _try_extra_order(scenario: EventScenario, order: PaidOrder, quantity: int) -> PaidOrder | StateRejected:
    """Another order of the event's ticket type; the target's refusal of the sale is returned, not raised."""
    try:
        return scenario.extra_order(order, quantity)
    except StateRejected as rejected:
        return rejected


def _require_within_capacity(scenario: EventScenario, event_id: str, sold: int) -> None:
    """No tier and not the event sold past its capacity, ticketsSold = Σ soldCount = `sold` (E3)."""
    event = scenario.event(event_id, "E3")
    tiers = list(scenario.ticket_types(event_id, "E3").values())
    oversold = [
        f"{tier.get('name')}: sold {tier.get('soldCount')} of {tier.get('capacity')}"
        for tier in tiers
        if tier.get("soldCount", 0) > tier.get("capacity", 0)
    ]
    require(
        not oversold, "E3", "A ticket type is oversold", oversold, "soldCount <= capacity", "listTicketTypes"
    )
    summary = event.get("bookingSummary") or {}
    require(
        event.get("ticketsSold", 0) <= summary.get("capacity", 0),
        "E3",
        "The event is oversold",
        event.get("ticketsSold"),
        f"<= bookingSummary.capacity {summary.get('capacity')}",
        "getEvent",
    )
    counts = {
        "ticketsSold": event.get("ticketsSold"),
        "sum of soldCount": sum(t.get("soldCount", 0) for t in tiers),
    }
    wanted = {"ticketsSold": sold, "sum of soldCount": sold}
    require(counts == wanted, "E3", "Tickets sold differ from the orders", counts, wanted, "getEvent")


def _require_sold_out(outcome: PaidOrder | StateRejected, why: str) -> None:
    refusal = (outcome.status, outcome.code) if isinstance(outcome, StateRejected) else "sold (order placed)"
    require(
        refusal == (409, "sold_out"),
        "E3",
        "A sale past capacity was not refused",
        refusal,
        f"409 sold_out ({why})",
    )


@pytest.mark.events
@pytest.mark.req("E3")
@pytest.mark.operation("getEvent", "listTicketTypes")
def test_a_sold_out_ticket_type_sells_no_more(scenario: EventScenario) -> None:
    """Test Purpose: a ticket type never sells past its capacity (E3).

    Test Method: provider state `event-with-paid-ticket-order` with capacity 2 and one order of 2 tickets;
    provider state `ticket-order` for 1 more ticket of that type → 409 sold_out; soldCount stays 2 of 2 and
    the event's ticketsSold is the sum of the tiers.
    """
    order = sold_out_order(scenario, quantity=2)
    outcome = _try_extra_order(scenario, order, quantity=1)
    _require_within_capacity(scenario, order.event_id, sold=2)
    _require_sold_out(outcome, "the ticket type's 2 tickets are sold")


@pytest.mark.events
@pytest.mark.req("E3")
@pytest.mark.operation("updateEvent", "getEvent", "listTicketTypes")
def test_the_event_capacity_caps_its_ticket_types(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: an event never sells past its own capacity, even when its ticket types have room (E3).

    Test Method: provider state `event-with-paid-ticket-order` (capacity 10, 2 tickets sold); updateEvent sets
    the event's capacity to 2; provider state `ticket-order` for 1 more ticket → 409 sold_out; ticketsSold
    stays 2, within bookingSummary.capacity.
    """
    order = scenario.paid_order(quantity=2)
    capped = ops.update_event(api, order.event_id, {"capacity": 2})
    check_answer(capped, Expect(200, "E3", why="the capacity equals the tickets sold"), "updateEvent")
    outcome = _try_extra_order(scenario, order, quantity=1)
    _require_within_capacity(scenario, order.event_id, sold=2)
    _require_sold_out(outcome, "the event's capacity of 2 is sold")


# ---------------------------------------------------------------- R1


@pytest.mark.events
@pytest.mark.req("R1")
@pytest.mark.operation("redeemTicket", "getOrder")
def test_a_ticket_redeems_once(scenario: EventScenario, api: httpx.Client) -> None:
    """Test Purpose: a ticket redeems once; every later attempt answers 409 already_redeemed with the original
    redeemedAt, and the ticket's redeemedAt never changes (R1, §8 #41).

    Test Method: provider state `event-with-paid-ticket-order`; redeem one ticket → 200 Redeemed with
    redeemedAt; redeem it again with and without eventId → 409 already_redeemed carrying that redeemedAt;
    getOrder shows the ticket Redeemed at that instant.
    """
    order = scenario.paid_order(quantity=1)
    first = scenario.redeem(order.code(), order.event_id, Expect(200, "R1", why="a valid ticket"))
    redeemed_at = first.get("redeemedAt")
    require(
        first.get("status") == "Redeemed" and redeemed_at is not None,
        "R1",
        "A redemption is not Redeemed with redeemedAt",
        {"status": first.get("status"), "redeemedAt": redeemed_at},
        "status Redeemed, redeemedAt set",
        "redeemTicket",
    )
    for event_id in (order.event_id, None):
        again = Expect(409, "R1", "already_redeemed", why="the ticket was redeemed before")
        problem = scenario.redeem(order.code(), event_id, again)
        require(
            problem.get("redeemedAt") == redeemed_at,
            "R1",
            "already_redeemed does not carry the original redeemedAt",
            problem.get("redeemedAt"),
            redeemed_at,
            "redeemTicket",
        )
    detail = check_answer(ops.get_order(api, order.order_id), Expect(200, "R1"), "getOrder")
    ticket_id = str(order.tickets[0]["ticketId"])
    seen = {str(t.get("id")): (t.get("status"), t.get("redeemedAt")) for t in detail.get("tickets", [])}
    wanted = ("Redeemed", redeemed_at)
    require(
        seen.get(ticket_id) == wanted,
        "R1",
        "The redeemed ticket changed",
        seen.get(ticket_id),
        wanted,
        "getOrder",
    )

"""The event lifecycle, ticket capacity and single redemption, one deterministic example each (class `events`:
E1, E3, R1).

The events state machine meets these rules only on some seeds (a second publish, a sale past capacity, a
second redemption); each test here builds that situation directly, so a broken rule fails every run.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from caldasa_conformance.builders.events import EventScenario, PaidOrder, sold_out_order
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.naming import unique_name
from caldasa_conformance.oracles import events as oracles
from caldasa_conformance.oracles import tickets as ticket_oracles
from caldasa_conformance.session import RunSession
from caldasa_conformance.states import StateRejected
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


# ---------------------------------------------------------------- E1


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
    oracles.event_lifecycle(scenario.event(event_id, "E1"), "createEvent", status="Draft")
    scenario.add_ticket_type(event_id, "E1")
    draft = Expect(200, "E1", why="a Draft event with a ticket type")
    check_answer(ops.publish_event(api, event_id), draft, "publishEvent")
    published = scenario.event(event_id, "E1")
    oracles.event_lifecycle(published, "getEvent", status="Published", published=True)
    _refused_publish(scenario, event_id, "Published")
    cancel = ops.cancel_event(api, event_id, params={"notifyAttendees": False})
    check_answer(cancel, Expect(200, "E1", why="a Published event"), "cancelEvent")
    _refused_publish(scenario, event_id, "Cancelled")


def _refused_publish(scenario: EventScenario, event_id: str, status: str) -> None:
    """publishEvent on a non-Draft event answers 409 event_not_draft and leaves the event as it was."""
    before = scenario.event(event_id, "E1")
    refused = Expect(409, "E1", "event_not_draft", why=f"the event is {status}")
    check_answer(ops.publish_event(scenario.client, event_id), refused, "publishEvent")
    oracles.event_lifecycle(scenario.event(event_id, "E1"), "getEvent", unchanged_from=before)


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
    oracles.event_lifecycle(before, "getEvent", status="Cancelled", cancelled=True)
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
    oracles.event_lifecycle(
        scenario.event(event_id, "E1"),
        "getEvent",
        unchanged_from=before,
        fields=("status", "name", "cancelledAt", "ticketTypes"),
    )


# ---------------------------------------------------------------- E3


def _try_extra_order(scenario: EventScenario, order: PaidOrder, quantity: int) -> PaidOrder | StateRejected:
    """Another order of the event's ticket type; the target's refusal of the sale is returned, not raised."""
    try:
        return scenario.extra_order(order, quantity)
    except StateRejected as rejected:
        return rejected


def _require_within_capacity(
    scenario: EventScenario, event_id: str, sold: int, outcome: PaidOrder | StateRejected, why: str
) -> None:
    """No tier and not the event sold past its capacity, ticketsSold = Σ soldCount = `sold`, and the extra
    order's `outcome` is a 409 sold_out refusal (E3)."""
    event = scenario.event(event_id, "E3")
    tiers = list(scenario.ticket_types(event_id, "E3").values())
    capacity = (event.get("bookingSummary") or {}).get("capacity", 0)
    answer = (outcome.status, outcome.code) if isinstance(outcome, StateRejected) else "sold (order placed)"
    oracles.tickets_within_capacity(
        event, tiers, "getEvent", capacity=capacity, sold=sold, extra_sale=(answer, why)
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
    _require_within_capacity(scenario, order.event_id, 2, outcome, "the ticket type's 2 tickets are sold")


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
    _require_within_capacity(scenario, order.event_id, 2, outcome, "the event's capacity of 2 is sold")


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
    ticket_oracles.ticket_redeems_once(redeemed_at, first=first)
    for event_id in (order.event_id, None):
        again = Expect(409, "R1", "already_redeemed", why="the ticket was redeemed before")
        ticket_oracles.ticket_redeems_once(redeemed_at, again=scenario.redeem(order.code(), event_id, again))
    detail = check_answer(ops.get_order(api, order.order_id), Expect(200, "R1"), "getOrder")
    ticket_id = str(order.tickets[0]["ticketId"])
    ticket_oracles.ticket_redeems_once(redeemed_at, order_detail=detail, ticket_id=ticket_id)

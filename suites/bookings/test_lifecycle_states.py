"""Booking lifecycle through provider states: deposits, completion, no-show (classes `bookings`)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from caldasa_conformance.builders.scenario import Scenario
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.oracles import availability, bookings, lifecycle
from caldasa_conformance.states import require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.target import Target


@pytest.fixture(scope="module")
def scenario(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> Scenario:
    return Scenario(api, cleanup, run_tag)


def _confirmed_booking(scenario: Scenario) -> str:
    """A Confirmed booking made through the public API (no deposit); only the move to a terminal status
    needs a provider state."""
    world = scenario.basic()
    body = scenario.booking_body(world, [world.item(world.at(10))])
    dto = check_answer(scenario.book(body), Expect(201, "L1", why="an open slot"), "createBooking")
    return str(dto["id"])


@pytest.mark.bookings
@pytest.mark.req("B12", "L1", "C1")
@pytest.mark.operation("getBooking", "getOrder", "cancelBooking")
def test_deposit_booking_is_pending_with_pending_order_until_cancelled(
    api: httpx.Client, workflow_target: Target
) -> None:
    """Test Purpose: a deposit policy leaves the booking Pending with a Pending order; cancelling both works.

    Test Method: provider state `deposit-booking`; read the booking and its order; cancel the booking; the
    booking is Cancelled and the pending deposit order is Cancelled with it (design §8 #33, #35).
    """
    ids = require_state("deposit-booking", workflow_target.states, depositCents=1000)
    booking = check_answer(ops.get_booking(api, ids["bookingId"]), Expect(200, "B12"), "getBooking")
    order = check_answer(ops.get_order(api, ids["orderId"]), Expect(200, "B12"), "getOrder")
    kinds = sorted(line.get("kind") for line in order.get("lineItems", []))
    seen = {
        "booking": booking.get("status"),
        "order": order.get("status"),
        "lines": kinds,
        "orderBooking": order.get("bookingId"),
    }
    wanted = {
        "booking": "Pending",
        "order": "Pending",
        "lines": ["Deposit"],
        "orderBooking": ids["bookingId"],
    }
    bookings.judge_booking_runs_portal_pipeline(deposit=(seen, wanted))
    check_answer(ops.cancel_booking(api, ids["bookingId"]), Expect(200, "C1"), "cancelBooking")
    order = check_answer(ops.get_order(api, ids["orderId"]), Expect(200, "C1"), "getOrder")
    lifecycle.judge_cancellation_sticks(deposit_order=order)


@pytest.mark.bookings
@pytest.mark.req("L1", "C2")
@pytest.mark.operation("getBooking", "cancelBooking")
@pytest.mark.parametrize(
    ("state", "status"), [("booking-completed", "Completed"), ("booking-no-show", "NoShow")]
)
def test_terminal_bookings_are_not_cancellable(
    api: httpx.Client, scenario: Scenario, workflow_target: Target, state: str, status: str
) -> None:
    """Test Purpose: Completed and NoShow are terminal; completedAt is set exactly for Completed.

    Test Method: book a Confirmed booking through the public API, move it with the provider state (no status
    changes by time, design §8 #68), read it, and try to cancel it: 409 booking_not_cancellable, status
    unchanged.
    """
    booking_id = _confirmed_booking(scenario)
    require_state(state, workflow_target.states, bookingId=booking_id)
    dto = check_answer(ops.get_booking(api, booking_id), Expect(200, "L1"), "getBooking")
    availability.judge_status_and_completed_at(dto, status, "getBooking")
    expect = Expect(409, "C2", "booking_not_cancellable", why=f"the booking is {status}")
    check_answer(ops.cancel_booking(api, booking_id), expect, "cancelBooking")
    again = check_answer(ops.get_booking(api, booking_id), Expect(200, "L1"), "getBooking")
    lifecycle.judge_refused_cancel_changes_nothing(status, again.get("status"))


@pytest.mark.bookings
@pytest.mark.req("C2")
@pytest.mark.operation("cancelBooking")
def test_cancelling_an_unknown_booking_answers_404(api: httpx.Client) -> None:
    """Test Purpose: cancel names only existing bookings. Test Method: cancel a random uuid → 404."""
    check_answer(ops.cancel_booking(api, str(uuid.uuid4())), Expect(404, "C2", "not_found"), "cancelBooking")

"""Deterministic scenarios of the availability and lifecycle rules B12, A1, A3, A4, L1, C3, C4 (`bookings`).

The booking machine meets these rules at random; each scenario here drives one of them on a fresh, fully known
day (`LifecycleScene`: UTC hours 08:00–20:00, one staff member on shift, a 30-minute service), so a server
that breaks the rule fails the same test on every run.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from caldasa_conformance.builders.lifecycle_scene import DURATION, LifecycleScene
from caldasa_conformance.builders.scenario import Scenario
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.oracles import availability, bookings, lifecycle
from caldasa_conformance.session import RunSession
from caldasa_conformance.workflows.timeutil import parse, wire


@pytest.fixture
def scene(api: httpx.Client, run_tag: str, caldasa_session: RunSession) -> Iterator[LifecycleScene]:
    """A fresh bookable day; everything it (and the test) created is removed afterwards."""
    cleanup = Cleanup(leftovers=caldasa_session.leftovers)
    try:
        yield LifecycleScene.build(Scenario(api, cleanup, run_tag))
    finally:
        cleanup.run()


def _booked_and_cancelled(scene: LifecycleScene, requirement: str) -> dict[str, object]:
    booking = scene.book(scene.at(10), scene.staff_id, requirement, "10:00 is inside hours and shift")
    scene.cancel(str(booking["id"]), requirement)
    return booking


@pytest.mark.bookings
@pytest.mark.req("B12")
@pytest.mark.operation("createBooking", "listCustomerActivities")
def test_created_booking_appears_as_booking_created_activity(scene: LifecycleScene) -> None:
    """Test Purpose: createBooking runs the portal pipeline, which records a BookingCreated activity.

    Test Method: book 10:00 with the staff member pinned; the customer's activities filtered by
    `kind=BookingCreated` contain an entry naming the booking (design §4 B12, §8 #58).
    """
    booking = scene.book(scene.at(10), scene.staff_id, "B12", "10:00 is inside hours and shift")
    activities = scene.activities(booking, "BookingCreated", "B12")
    bookings.judge_booking_runs_portal_pipeline(activities=(activities, booking.get("id")))


@pytest.mark.bookings
@pytest.mark.req("A1", "A3")
@pytest.mark.operation("listAvailabilitySlots", "createBooking")
def test_first_and_last_listed_slots_are_bookable_as_listed(scene: LifecycleScene) -> None:
    """Test Purpose: every listed slot is bookable now with the same variant, location, staff and startsAt.

    Test Method: list the day's slots; book the first and the last one (the edges where an off-by-one in
    the create-time check shows) exactly as listed: 201, and the item keeps the slot's start and staff.
    """
    body = scene.slots("A1")
    availability.judge_slots_follow_the_rules(body)
    slots = body["slots"]
    for slot in (slots[0], slots[-1]):
        why = f"availability listed {slot['startsAt']} for staff {slot['staffMemberId']}"
        booking = scene.book(slot["startsAt"], slot["staffMemberId"], "A1", why)
        item = (booking.get("items") or [{}])[0]
        starts_at = item.get("startsAt")
        seen = {
            "startsAt": parse(starts_at) if isinstance(starts_at, str) else starts_at,
            "staffMemberId": item.get("staffMemberId"),
        }
        wanted = {"startsAt": parse(slot["startsAt"]), "staffMemberId": slot["staffMemberId"]}
        availability.judge_listed_slot_bookable(seen, wanted)


@pytest.mark.bookings
@pytest.mark.req("A3")
@pytest.mark.operation("listAvailabilitySlots")
def test_slots_have_the_duration_and_fill_exactly_the_open_day(scene: LifecycleScene) -> None:
    """Test Purpose: slots respect hours and shifts, last `durationMinutes`, lie on the requested local date,
    in the future, sorted, without duplicates.

    Test Method: list the day's slots of a world whose open time is known (08:00–20:00 UTC, one staff
    member, 30 minutes): every slot is 30 minutes long, the listed starts are in order, unique, and exactly
    the quarter hours 08:00–19:30 of that date.
    """
    availability.judge_slots_follow_the_rules(
        scene.slots("A3"), open_starts=scene.open_starts(), duration=DURATION, staff_id=scene.staff_id
    )


@pytest.mark.bookings
@pytest.mark.req("A4", "A2")
@pytest.mark.operation("createBooking", "cancelBooking", "listAvailabilitySlots")
def test_cancelled_booking_does_not_hold_its_slot(scene: LifecycleScene) -> None:
    """Test Purpose: availability ignores cancelled bookings.

    Test Method: book 10:00 (the slot leaves availability, A2), cancel the booking, and list again: the
    10:00 slot of that staff member is offered again.
    """
    start = scene.at(10)
    booking = scene.book(start, scene.staff_id, "A4", "10:00 is inside hours and shift")

    def offered() -> bool:
        slots = scene.slots("A4")["slots"]
        return any(parse(s["startsAt"]) == start and s["staffMemberId"] == scene.staff_id for s in slots)

    availability.judge_booked_slots_leave_availability(still_offered=[wire(start)] if offered() else [])
    scene.cancel(str(booking["id"]), "A4")
    availability.judge_cancelled_booking_frees_its_slot(offered(), start, scene.staff_id)


@pytest.mark.bookings
@pytest.mark.req("L1", "C4")
@pytest.mark.operation("createBooking", "cancelBooking", "getBooking", "listBookings")
def test_completed_at_stays_null_through_confirm_and_cancel(scene: LifecycleScene) -> None:
    """Test Purpose: completedAt is non-null iff the status is Completed; a new booking is Confirmed.

    Test Method: book (no deposit) → Confirmed with completedAt null; cancel → Cancelled with completedAt
    null in the cancel answer, in GET and in the list.
    """
    booking = scene.book(scene.at(10), scene.staff_id, "L1", "10:00 is inside hours and shift")
    booking_id = str(booking["id"])
    views = {"createBooking": booking, "cancelBooking": scene.cancel(booking_id, "L1")}
    views["getBooking"] = scene.get(booking_id, "L1")
    listed = [entry for entry in scene.listed("L1") if entry.get("id") == booking_id]
    lifecycle.judge_bookings_are_kept(booking_id, listed_ids=[entry.get("id") for entry in listed])
    views["listBookings"] = listed[0]
    wanted_status = {"createBooking": "Confirmed"}
    for operation_id, view in views.items():
        status = wanted_status.get(operation_id, "Cancelled")
        availability.judge_status_and_completed_at(view, status, operation_id)


@pytest.mark.bookings
@pytest.mark.req("C3")
@pytest.mark.operation("createBooking", "cancelBooking", "listCustomerActivities")
def test_cancel_records_booking_cancelled_activity(scene: LifecycleScene) -> None:
    """Test Purpose: cancelling a booking produces a BookingCancelled activity.

    Test Method: book and cancel; the customer's activities filtered by `kind=BookingCancelled` contain an
    entry naming the booking (design §4 C3, §8 #58).
    """
    booking = _booked_and_cancelled(scene, "C3")
    activities = scene.activities(booking, "BookingCancelled", "C3")
    lifecycle.judge_cancel_announced(activities=(activities, booking.get("id")))


@pytest.mark.bookings
@pytest.mark.req("C3")
@pytest.mark.operation("createWebhook", "createBooking", "cancelBooking", "listWebhookDeliveries")
def test_cancel_delivers_booking_cancelled_webhook(scene: LifecycleScene) -> None:
    """Test Purpose: cancelling a booking produces a booking.cancelled delivery for a subscription to it.

    Test Method: subscribe (active, an unreachable https URL: the delivery row is the evidence, §8 #63) to
    `booking.cancelled`, book, count the subscription's booking.cancelled deliveries, cancel: the count
    grows within a few seconds. (Deliveries carry no booking id, so a parallel cancellation in the same
    tenant could hide a missing delivery, never invent one.)
    """
    webhook_id = scene.subscribe("booking.cancelled", "C3")
    booking = scene.book(scene.at(10), scene.staff_id, "C3", "10:00 is inside hours and shift")
    before = scene.delivery_count(webhook_id, "booking.cancelled", "C3")
    scene.cancel(str(booking["id"]), "C3")
    after = scene.wait_for_more_deliveries(webhook_id, "booking.cancelled", before, "C3")
    lifecycle.judge_cancel_announced(deliveries=(before, after))


@pytest.mark.bookings
@pytest.mark.req("C4")
@pytest.mark.operation("createBooking", "cancelBooking", "getBooking", "listBookings")
def test_cancelled_booking_stays_readable_and_listable(scene: LifecycleScene) -> None:
    """Test Purpose: cancelled bookings are not deleted: GET answers 200 and `status=Cancelled` lists them.

    Test Method: book and cancel; GET the booking (200, Cancelled); list the location's bookings with and
    without `status=Cancelled`: both contain it.
    """
    booking_id = str(_booked_and_cancelled(scene, "C4")["id"])
    stored = scene.get(booking_id, "C4")
    lifecycle.judge_bookings_are_kept(booking_id, stored_status=stored.get("status"))
    for filters in ({"status": "Cancelled"}, {}):
        ids = [entry.get("id") for entry in scene.listed("C4", **filters)]
        lifecycle.judge_bookings_are_kept(booking_id, listed_ids=ids)

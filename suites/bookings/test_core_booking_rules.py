"""The core booking rules as deterministic scenarios (class `bookings`: B1, B2, B5, A2, C1, C2).

The booking-engine machine and the concurrency races meet these rules at random and may miss a broken one on
a given seed or budget; each test here builds one small world through the public API (`builders.scenario`
and `builders.core_scenarios`) and probes one rule in a fixed order of steps, so a target that breaks it
fails on every run, with a failure naming the rule.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from caldasa_conformance.builders.core_scenarios import (
    ROOM_UNITS,
    block,
    book,
    cancel,
    overlapping_starts,
    pinned,
    resource_world,
    slot_starts,
)
from caldasa_conformance.builders.scenario import Scenario
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.oracles import availability, bookings, lifecycle
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.timeutil import Interval, wire

SLOT_TAKEN = "slot_unavailable"


@pytest.fixture(scope="module")
def scenario(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> Scenario:
    return Scenario(api, cleanup, run_tag)


def _booked(response: httpx.Response, requirement: str, why: str) -> dict[str, Any]:
    booking: dict[str, Any] = check_answer(response, Expect(201, requirement, why=why), "createBooking")
    return booking


def _wires(starts: set[datetime] | list[datetime]) -> list[str]:
    return sorted(wire(start) for start in starts)


def _missing(listed: set[datetime], wanted: list[datetime]) -> list[str]:
    """The starts of `wanted` that `listed` lacks (the baseline a disappearance is measured against)."""
    return _wires(set(wanted) - listed)


def _held_by(scenario: Scenario, unit_id: str) -> list[str]:
    """Ids of the non-cancelled bookings listBookings reports as holding resource unit `unit_id`."""
    response = ops.list_bookings(scenario.client, params={"resourceId": unit_id, "pageSize": 100})
    listed = check_answer(response, Expect(200, "B2", why="bookings holding a unit"), "listBookings")
    return sorted(b["id"] for b in listed.get("items", []) if b.get("status") != "Cancelled")


# ---------------------------------------------------------------------------------------------- B1
@pytest.mark.bookings
@pytest.mark.req("B1")
@pytest.mark.operation("createBooking", "listBookings")
def test_a_staff_member_is_never_double_booked(scenario: Scenario) -> None:
    """Test Purpose: two non-cancelled items of one staff member never overlap (checked one request after
    another, where the concurrency class checks parallel requests).

    Test Method: one staff member, a 30-minute service; book 10:00 (201); book the same staff member at
    10:00, 10:15 and 09:45 (each overlapping) → 409 slot_unavailable; listBookings at the location holds
    only the first booking.
    """
    world = scenario.basic()
    first = _booked(book(scenario, world, [world.item(world.at(10))]), "B1", "an open slot")
    for start in (world.at(10), world.at(10, 15), world.at(9, 45)):
        why = f"the staff member is booked 10:00–10:30, {wire(start)} overlaps it"
        expect = Expect(409, "B1", SLOT_TAKEN, why=why)
        check_answer(book(scenario, world, [world.item(start)]), expect, "createBooking")
    bookings.judge_no_double_booked_staff(scenario.bookings_at(world.location_id, "B1"), kept=[first["id"]])


# ---------------------------------------------------------------------------------------------- B2
@pytest.mark.bookings
@pytest.mark.req("B2")
@pytest.mark.operation("createBooking", "listBookings", "createResourceType", "createResource")
def test_a_resource_unit_is_never_double_allocated(scenario: Scenario) -> None:
    """Test Purpose: a resource unit is held by at most one non-cancelled item at any instant; a pinned unit
    already held → 409; no free unit of the required type → 409.

    Test Method: three staff members, a room type with two units U1 and U2, a 30-minute service requiring
    one room. Book 10:00 pinning U1 (201); book another staff member at 10:15 pinning U1 → 409
    resource_unavailable; the same without a pin → 201 (gets U2); a third staff member at 10:00 → 409
    slot_unavailable (no room left); listBookings?resourceId= shows each unit held by exactly one booking.
    """
    world = resource_world(scenario, staff_count=3, units=2)
    first_unit, second_unit = world.extra[ROOM_UNITS]
    staff = world.staff_ids
    holder = _booked(
        book(scenario, world, [pinned(world.item(world.at(10), staff[0]), world, first_unit)]),
        "B2",
        "both rooms are free",
    )
    overlap = world.at(10, 15)
    refused = Expect(409, "B2", "resource_unavailable", why="the pinned room is held 10:00–10:30")
    response = book(scenario, world, [pinned(world.item(overlap, staff[1]), world, first_unit)])
    check_answer(response, refused, "createBooking")
    other = _booked(book(scenario, world, [world.item(overlap, staff[1])]), "B2", "the second room is free")
    no_room = Expect(409, "B2", SLOT_TAKEN, why="both rooms are held at 10:00–10:30")
    check_answer(book(scenario, world, [world.item(world.at(10), staff[2])]), no_room, "createBooking")
    seen = {"U1": _held_by(scenario, first_unit), "U2": _held_by(scenario, second_unit)}
    wanted = {"U1": [holder["id"]], "U2": [other["id"]]}
    bookings.judge_no_double_allocated_unit(holders=(seen, wanted))


# ---------------------------------------------------------------------------------------------- A2
@pytest.mark.bookings
@pytest.mark.req("A2")
@pytest.mark.operation("listAvailabilitySlots", "createBooking")
def test_a_booking_removes_every_overlapping_slot_of_its_staff(scenario: Scenario) -> None:
    """Test Purpose: after a booking, its slot and every slot of that staff member overlapping the booked
    interval disappear from availability.

    Test Method: one staff member, a 30-minute service; availability lists 09:45, 10:00 and 10:15; book
    10:00–10:30; availability of that staff member lists none of the three any more.
    """
    world = scenario.basic()
    staff_id = world.staff_ids[0]
    covered = overlapping_starts(world, Interval(world.at(10), world.at(10, 30)))
    missing = _missing(slot_starts(scenario, world, staff_id, "A2"), covered)
    availability.judge_booked_slots_leave_availability(missing_before=missing)
    _booked(book(scenario, world, [world.item(world.at(10))]), "A2", "an open slot")
    left = _wires(slot_starts(scenario, world, staff_id, "A2") & set(covered))
    availability.judge_booked_slots_leave_availability(still_offered=left)


# ---------------------------------------------------------------------------------------------- B5
@pytest.mark.bookings
@pytest.mark.req("B5")
@pytest.mark.operation("createStaffBlock", "listAvailabilitySlots", "createBooking")
def test_bookings_never_intersect_a_staff_block(scenario: Scenario) -> None:
    """Test Purpose: booking times never intersect a staff block; a block over an active booking is refused.

    Test Method: one staff member, a 30-minute service; block 10:00–11:00 (201); availability of that staff
    member lists no start overlapping the block (it did before); booking 10:30 → 409 slot_unavailable; book
    12:00 (201) and block 12:15–12:45 over it → 409 overlaps_booking.
    """
    world = scenario.basic()
    staff_id = world.staff_ids[0]
    blocked = Interval(world.at(10), world.at(11))
    covered = overlapping_starts(world, blocked)
    missing = _missing(slot_starts(scenario, world, staff_id, "B5"), covered)
    bookings.judge_no_booking_in_staff_block(missing_before=missing)
    block(scenario, staff_id, blocked, Expect(201, "B5", why="no booking in 10:00–11:00"))
    left = _wires(slot_starts(scenario, world, staff_id, "B5") & set(covered))
    bookings.judge_no_booking_in_staff_block(offered_inside=left)
    refused = Expect(409, "B5", SLOT_TAKEN, why="the staff member is blocked 10:00–11:00")
    check_answer(book(scenario, world, [world.item(world.at(10, 30))]), refused, "createBooking")
    _booked(book(scenario, world, [world.item(world.at(12))]), "B5", "an open slot outside the block")
    over_booking = Expect(409, "B5", "overlaps_booking", why="the staff member is booked 12:00–12:30")
    block(scenario, staff_id, Interval(world.at(12, 15), world.at(12, 45)), over_booking)


# ---------------------------------------------------------------------------------------------- C1
@pytest.mark.bookings
@pytest.mark.req("C1")
@pytest.mark.operation("cancelBooking", "getBooking", "listAvailabilitySlots", "createBooking")
def test_cancel_frees_the_slot_for_a_new_booking(scenario: Scenario) -> None:
    """Test Purpose: after cancelBooking (200, Cancelled) the booking stays Cancelled, its slot is offered
    again and can be booked again.

    Test Method: one staff member; book 10:00 (201); cancel (200, status Cancelled); getBooking → Cancelled;
    availability of that staff member lists 10:00 again; book 10:00 again → 201.
    """
    world = scenario.basic()
    staff_id, start = world.staff_ids[0], world.at(10)
    booking = _booked(book(scenario, world, [world.item(start)]), "C1", "an open slot")
    answer = check_answer(
        cancel(scenario, booking["id"]), Expect(200, "C1", why="a Confirmed booking"), "cancelBooking"
    )
    stored = check_answer(ops.get_booking(scenario.client, booking["id"]), Expect(200, "C1"), "getBooking")
    lifecycle.judge_cancellation_sticks(answer=answer, stored=(str(booking["id"]), stored))
    missing = _missing(slot_starts(scenario, world, staff_id, "C1"), [start])
    lifecycle.judge_cancellation_sticks(freed_missing=missing)
    _booked(book(scenario, world, [world.item(start)]), "C1", "the cancelled booking freed the slot")


# ---------------------------------------------------------------------------------------------- C2
@pytest.mark.bookings
@pytest.mark.req("C2")
@pytest.mark.operation("cancelBooking", "getBooking")
def test_cancelling_twice_answers_409_and_changes_nothing(scenario: Scenario) -> None:
    """Test Purpose: cancelling a Cancelled booking answers 409 already_cancelled and leaves it unchanged.

    Test Method: book 10:00 (201); cancel (200); read it; cancel again → 409 already_cancelled; reading it
    again gives the same booking.
    """
    world = scenario.basic()
    booking = _booked(book(scenario, world, [world.item(world.at(10))]), "C2", "an open slot")
    check_answer(
        cancel(scenario, booking["id"]), Expect(200, "C2", why="a Confirmed booking"), "cancelBooking"
    )
    before = check_answer(ops.get_booking(scenario.client, booking["id"]), Expect(200, "C2"), "getBooking")
    twice = Expect(409, "C2", "already_cancelled", why="the booking is already Cancelled")
    check_answer(cancel(scenario, booking["id"]), twice, "cancelBooking")
    after = check_answer(ops.get_booking(scenario.client, booking["id"]), Expect(200, "C2"), "getBooking")
    lifecycle.judge_refused_cancel_changes_nothing(before, after)

"""World machine: the booking world built, used and torn down through the API (class `bookings`)."""

from __future__ import annotations

import pytest

from caldasa_conformance.workflows.world_machine import WorldMachine

WORLD_RULES = (
    "B1",
    "B2",
    "B3",
    "B4",
    "B5",
    "B6",
    "B7",
    "B8",
    "B9",
    "B10",
    "A1",
    "A3",
    "L1",
    "C1",
    "C2",
    "C4",
    "T7",
    "T8",
)


@pytest.mark.bookings
@pytest.mark.req(*WORLD_RULES)
@pytest.mark.operation(
    "createLocation",
    "replaceBusinessHours",
    "deleteLocation",
    "createStaffMember",
    "deleteStaffMember",
    "assignStaffToLocation",
    "unassignStaffFromLocation",
    "createStaffShift",
    "deleteStaffShift",
    "listStaffShifts",
    "createStaffBlock",
    "deleteStaffBlock",
    "listStaffBlocks",
    "listLocationStaff",
    "createResourceType",
    "deleteResourceType",
    "createResource",
    "updateResource",
    "deleteResource",
    "createReservable",
    "updateReservable",
    "deleteReservable",
    "createBooking",
    "cancelBooking",
    "getBooking",
    "listBookings",
    "listAvailabilitySlots",
)
class TestWorldMachine(WorldMachine.test_case()):  # type: ignore[misc]
    """Test Purpose: a world built step by step through the API stays consistent while it is used and torn
    down: no staff member or unit held twice, entities in use cannot be deleted, deleted things stay gone,
    lists and reads agree, and availability is exactly the model's open slots.

    Test Method: a Hypothesis state machine with Bundles creates locations (with business hours), staff (with
    assignments, shifts and blocks), resource types and units, reservables and bookings, changes them (hours,
    staff assignments, a reservable deactivated, a unit moved), deletes them (409 in_use while in use) and
    books and cancels, in random order; the model predicts every answer and, after every step, the bookings,
    unit holdings, catalog and availability must equal the model's.
    """

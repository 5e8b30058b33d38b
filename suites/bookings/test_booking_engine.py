"""Booking engine: no double-booking, truthful availability, sticky cancellation (class `bookings`)."""

from __future__ import annotations

import pytest

from caldasa_conformance.workflows.bookings import BookingEngine

BOOKING_RULES = (
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
    "B11",
    "B12",
    "A1",
    "A2",
    "A3",
    "A4",
    "L1",
    "C1",
    "C2",
    "C3",
    "C4",
)


@pytest.mark.bookings
@pytest.mark.req(*BOOKING_RULES)
@pytest.mark.operation(
    "createBooking",
    "cancelBooking",
    "getBooking",
    "listBookings",
    "listAvailabilitySlots",
    "createStaffBlock",
    "deleteStaffBlock",
    "assignStaffToLocation",
    "unassignStaffFromLocation",
    "listCustomerActivities",
)
class TestBookingEngine(BookingEngine.test_case()):  # type: ignore[misc]
    """Test Purpose: the booking engine keeps people, rooms and availability consistent.

    Test Method: a Hypothesis state machine builds a fresh location, staff, shifts, resources and services,
    then books, re-books, cancels and blocks at random; the model predicts every answer (201, 409 with its
    code, 400 with its field) and, after every step, the bookings, unit holdings and availability must equal
    the model's.
    """

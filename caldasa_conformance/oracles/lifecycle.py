"""Judges of the cancellation rules C1–C4 (class `bookings`), one function per rule.

Like `oracles.bookings`: callers observe, a judge checks each facet it is given, records evidence when the
check holds and raises the `DomainViolation` naming its rule when it does not.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from caldasa_conformance.oracles._booking_checks import require_activity, require_listed
from caldasa_conformance.workflows.checks import require


def judge_cancellation_sticks(
    *,
    answer: Mapping[str, Any] | None = None,
    stored: tuple[str, Mapping[str, Any]] | None = None,
    deposit_order: Mapping[str, Any] | None = None,
    freed_missing: Sequence[str] | None = None,
) -> None:
    """C1: a cancelled booking is Cancelled for good, its pending order with it, and its slot is free.

    Args:
        answer: the cancelBooking answer: the booking, Cancelled.
        stored: (a label for the booking, what getBooking shows afterwards): Cancelled.
        deposit_order: the pending deposit order of the cancelled booking, read afterwards: Cancelled.
        freed_missing: starts of the cancelled booking that availability does not list again: none.
    """
    if answer is not None:
        _require_cancelled(
            answer.get("status"), "cancelBooking did not answer the cancelled booking", "cancelBooking"
        )
    if stored is not None:
        label, dto = stored
        status = dto.get("status")
        _require_cancelled(status, "The cancellation did not stick", "getBooking", f"{label} is {status}")
    if deposit_order is not None:
        status = deposit_order.get("status")
        _require_cancelled(status, "Cancelling the booking left its pending deposit order", "getOrder")
    if freed_missing is not None:
        require_listed(freed_missing, "C1", "the cancelled booking's slot")


def _require_cancelled(status: Any, title: str, operation_id: str, received: str | None = None) -> None:
    require(status == "Cancelled", "C1", title, received or status, "Cancelled", operation_id)


def judge_refused_cancel_changes_nothing(before: Any, after: Any) -> None:
    """C2: a refused cancel (already Cancelled, or a terminal status) leaves the booking as it was."""
    require(after == before, "C2", "A refused cancel changed the booking", after, before, "getBooking")


def judge_cancel_announced(
    *,
    activities: tuple[Mapping[str, Any], Any] | None = None,
    deliveries: tuple[int, int] | None = None,
) -> None:
    """C3: cancelling a booking records a BookingCancelled activity and emits `booking.cancelled`.

    Args:
        activities: (the customer's BookingCancelled activities, the booking id): one names the booking.
        deliveries: (booking.cancelled deliveries of a subscription before the cancel, after it): more.
    """
    if activities is not None:
        listed, booking_id = activities
        require_activity(listed, booking_id, "BookingCancelled", "C3")
    if deliveries is not None:
        before, after = deliveries
        require(
            after > before,
            "C3",
            "Cancelling a booking delivered no booking.cancelled webhook",
            f"{after} booking.cancelled deliveries, {before} before the cancel",
            f"more than {before}",
            "listWebhookDeliveries",
        )


def judge_bookings_are_kept(
    booking_id: str,
    *,
    listed_ids: Collection[Any] | None = None,
    cancelled: bool = True,
    stored_status: Any = None,
) -> None:
    """C4: bookings are never deleted: a cancelled one still reads as Cancelled and stays listed.

    Args:
        booking_id: the booking.
        listed_ids: the ids a listBookings answer that must hold it shows.
        cancelled: whether the booking was cancelled (a live one missing from the list is named as such).
        stored_status: when given, the status getBooking shows for the cancelled booking: Cancelled.
    """
    if listed_ids is not None:
        title = "A cancelled booking left the list" if cancelled else "A booking is missing from the list"
        received = f"absent from {len(listed_ids)} listed bookings"
        require(booking_id in listed_ids, "C4", title, received, booking_id, "listBookings")
    if stored_status is not None:
        title = "A cancelled booking reads as another status"
        require(stored_status == "Cancelled", "C4", title, stored_status, "Cancelled", "getBooking")

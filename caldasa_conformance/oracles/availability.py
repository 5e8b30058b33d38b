"""Judges of the availability rules A1–A4 and the status rule L1 (class `bookings`), one function per rule.

Like `oracles.bookings`: callers observe, a judge checks each facet it is given, records evidence when the
check holds and raises the `DomainViolation` naming its rule when it does not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from caldasa_conformance.oracles._booking_checks import require_listed
from caldasa_conformance.workflows.checks import require, violation
from caldasa_conformance.workflows.timeutil import now, parse, wire

# Why the model holds a slot closed -> (the rule availability breaks by listing it, the rule a booking
# accepted into it breaks). One table, so that both judges agree on the reasons.
CLOSING_RULES = {
    "grid": ("A3", "B7"),
    "hours": ("B3", "B3"),
    "assignment": ("B6", "B6"),
    "shift": ("B4", "B4"),
    "block": ("B5", "B5"),
    "busy": ("A2", "B1"),
    "resource": ("B2", "B2"),
    "eligibility": ("B6", "B6"),  # the member is not one the service names
    "inactive": ("B7", "B7"),  # the reservable (or its variant) is not active
}
LISTED_DESPITE = {reason: listed for reason, (listed, _) in CLOSING_RULES.items()}
Slot = tuple[datetime, str]  # (start, staff member id)


def judge_listed_slot_bookable(seen: Mapping[str, Any], wanted: Mapping[str, Any]) -> None:
    """A1: a listed slot booked as listed gives an item with the slot's start and staff member."""
    require(seen == wanted, "A1", "The booking differs from the listed slot", seen, wanted, "createBooking")


def judge_booked_slots_leave_availability(
    *, missing_before: Sequence[str] | None = None, still_offered: Sequence[str] | None = None
) -> None:
    """A2: after a booking, every slot of its staff member overlapping the booked interval is gone.

    Args:
        missing_before: overlapping starts availability lacked before the booking (the baseline): none.
        still_offered: overlapping starts availability still offers after the booking: none.
    """
    if missing_before is not None:
        require_listed(missing_before, "A2", "slots of an empty day")
    if still_offered is not None:
        left = list(still_offered)
        title = "Slots overlapping a booking are still offered"
        require(not left, "A2", title, left, "none", "listAvailabilitySlots")


def judge_slots_follow_the_rules(
    body: Mapping[str, Any],
    *,
    open_starts: Sequence[datetime] | None = None,
    duration: timedelta | None = None,
    staff_id: str | None = None,
) -> None:
    """A3: slots respect hours and shifts, last `durationMinutes`, lie in the future, sorted, unique.

    Args:
        body: a listAvailabilitySlots answer for a day that is open.
        open_starts: every start the day leaves open, when the caller knows it (with `duration` and the one
            `staff_id`): the slots are exactly those. Without it, the open day must list some slot.
    """
    slots = body.get("slots", [])
    if open_starts is None or duration is None:
        require(bool(slots), "A3", "Availability lists no slot on an open day", "no slots", "some slot")
        return
    breaks = _slot_rule_breaks(body, set(open_starts), duration, staff_id)
    minutes = duration // timedelta(minutes=1)
    require(
        not breaks,
        "A3",
        "Availability slots break the slot rules",
        breaks,
        f"{minutes}-minute slots of {staff_id}, every open quarter hour, sorted, unique",
        "listAvailabilitySlots",
    )


def _slot_rule_breaks(
    body: Mapping[str, Any], expected: set[datetime], duration: timedelta, staff_id: str | None
) -> dict[str, Any]:
    """What in an availability answer breaks A3 (empty: nothing)."""
    slots = body.get("slots", [])
    starts = [parse(slot["startsAt"]) for slot in slots]
    keys = [(slot["startsAt"], slot["staffMemberId"]) for slot in slots]
    minutes = duration // timedelta(minutes=1)
    breaks = {
        "not durationMinutes long": [
            slot["startsAt"] for slot in slots if parse(slot["endsAt"]) - parse(slot["startsAt"]) != duration
        ],
        "durationMinutes": body.get("durationMinutes") if body.get("durationMinutes") != minutes else None,
        "unsorted": starts != sorted(starts),
        "duplicates": sorted({key for key in keys if keys.count(key) > 1}),
        "past": [wire(start) for start in starts if start <= now()],
        "outside the open time": sorted(wire(start) for start in set(starts) - expected),
        "missing open starts": sorted(wire(start) for start in expected - set(starts)),
        "other staff": sorted({str(slot["staffMemberId"]) for slot in slots} - {staff_id}),
    }
    return {name: found for name, found in breaks.items() if found}


def judge_availability_matches_model(
    served: set[Slot],
    expected: set[Slot],
    closed_reason: Callable[[Slot], str | None],
    freed_by_cancel: Callable[[Slot], bool],
) -> None:
    """A3 (and the rule that closes a slot): availability lists exactly the open slots.

    A listed closed slot breaks the rule that closes it (`LISTED_DESPITE`, A3 for an unknown reason); an
    omitted open slot breaks C1 when a cancellation freed it, else A3. Nothing is recorded when the sets
    agree: the machine's steps record the rules each answer rests on.
    """
    for start, staff_id in sorted(served - expected, key=str):
        reason = closed_reason((start, staff_id))
        raise violation(
            LISTED_DESPITE.get(reason or "", "A3"),
            "Availability lists a closed slot",
            f"{wire(start)} staff {staff_id}",
            f"closed: {reason}",
            "listAvailabilitySlots",
        )
    for start, staff_id in sorted(expected - served, key=str):
        raise violation(
            "C1" if freed_by_cancel((start, staff_id)) else "A3",
            "Availability omits an open slot",
            f"no slot {wire(start)} for staff {staff_id}",
            "the slot is open",
            "listAvailabilitySlots",
        )


def judge_cancelled_booking_frees_its_slot(offered: bool, start: datetime, staff_id: str) -> None:
    """A4: availability ignores cancelled bookings: the cancelled booking's slot is offered again."""
    require(
        offered,
        "A4",
        "A cancelled booking still holds its slot in availability",
        f"no slot {wire(start)} for staff {staff_id}",
        "the slot is offered again",
        "listAvailabilitySlots",
    )


def judge_status_and_completed_at(view: Mapping[str, Any], status: str, operation_id: str) -> None:
    """L1: a booking shows the status its transitions gave it, and completedAt is set iff it is Completed."""
    seen = {"status": view.get("status"), "completedAt set": view.get("completedAt") is not None}
    wanted = {"status": status, "completedAt set": status == "Completed"}
    title = "Booking status and completedAt disagree with its transitions"
    require(seen == wanted, "L1", title, seen, wanted, operation_id)

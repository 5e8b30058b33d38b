"""Checks the booking-family judges share; each takes the requirement id from the judge that calls it.

Nothing here names a rule: `oracles.bookings`, `oracles.availability` and `oracles.lifecycle` do, one function
per rule, and pass their id in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from caldasa_conformance.workflows.checks import require
from caldasa_conformance.workflows.timeutil import Interval, parse, wire

Listed = Sequence[Mapping[str, Any]]  # bookings as listBookings or getBooking answer them


def require_no_overlap(bookings: Listed, key: str | None, requirement: str, title: str) -> None:
    """No two occupying items (of the same `key` value, or at all when key is None) overlap.

    Evidence is recorded per compared pair, as the machine always did: a listing with fewer than two
    occupying items proves nothing about the rule.
    """
    held: dict[Any, list[tuple[Interval, str]]] = {}
    for booking in bookings:
        if booking.get("status") == "Cancelled":
            continue
        for item in booking.get("items", []):
            interval = Interval(parse(item["startsAt"]), parse(item["endsAt"]))
            owner = item.get(key) if key else None
            if key and owner is None:
                continue
            for other, other_id in held.get(owner, []):
                require(
                    not other.overlaps(interval),
                    requirement,
                    title,
                    f"bookings {other_id} and {booking['id']} overlap at {wire(interval.start)}",
                    "no overlap between occupying items",
                    "listBookings",
                )
            held.setdefault(owner, []).append((interval, booking["id"]))


def require_listed(missing: Sequence[str], requirement: str, why: str) -> None:
    """Availability lists every wanted start (`missing`: the wire forms it lacks)."""
    require(not missing, requirement, f"Availability lacks {why}", f"missing {list(missing)}", "all listed")


def require_activity(activities: Mapping[str, Any], booking_id: Any, kind: str, requirement: str) -> None:
    """The customer's `kind` activities (a listCustomerActivities page) name the booking."""
    entries = activities.get("items", [])
    found = [entry for entry in entries if entry.get("bookingId") == booking_id]
    require(
        bool(found),
        requirement,
        f"No {kind} activity for the booking",
        f"{len(entries)} {kind} entries, none with bookingId {booking_id}",
        f"a {kind} entry with bookingId {booking_id}",
        "listCustomerActivities",
    )

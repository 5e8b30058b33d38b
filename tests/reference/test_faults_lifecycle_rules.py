"""Availability and lifecycle faults (B12, A1, A3, A4, L1, C3, C4) change behaviour as their registry entry
says; the clean server does not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx

from caldasa_reference.domain.timeline import parse_instant
from caldasa_reference.faults import FAULTS
from tests.reference.domain.salon import Salon, build_salon, ok

Probe = Callable[[httpx.Client], bool]  # True = the faulty behaviour is observed


def _booked(c: httpx.Client) -> tuple[Salon, dict[str, Any]]:
    salon = build_salon(c, staff=1)
    return salon, ok(salon.book(salon.at(10)), 201)


def _cancelled(c: httpx.Client) -> tuple[Salon, dict[str, Any]]:
    salon, booking = _booked(c)
    ok(c.post(f"/bookings/{booking['id']}/cancel"))
    return salon, booking


def _lacks_activity(c: httpx.Client, booking: dict[str, Any], kind: str) -> bool:
    listed = ok(c.get(f"/customers/{booking['customerId']}/activities", params={"kind": kind}))
    return all(entry.get("bookingId") != booking["id"] for entry in listed["items"])


def _created_activity_missing(c: httpx.Client) -> bool:
    _, booking = _booked(c)
    return _lacks_activity(c, booking, "BookingCreated")


def _closing_slot_refused(c: httpx.Client) -> bool:
    salon = build_salon(c, staff=1)
    last = salon.slots()[-1]
    return salon.book(last["startsAt"], last["staffMemberId"]).status_code == 409


def _slot_ends_early(c: httpx.Client) -> bool:
    salon = build_salon(c, staff=1, duration=60)

    def length(slot: dict[str, Any]) -> timedelta:
        return parse_instant(slot["endsAt"]) - parse_instant(slot["startsAt"])

    return any(length(slot) != timedelta(minutes=60) for slot in salon.slots())


def _counts_cancelled(c: httpx.Client) -> bool:
    salon, _ = _cancelled(c)
    return salon.at(10) not in salon.starts()


def _cancel_sets_completed_at(c: httpx.Client) -> bool:
    _, booking = _cancelled(c)
    return ok(c.get(f"/bookings/{booking['id']}"))["completedAt"] is not None


def _cancel_activity_missing(c: httpx.Client) -> bool:
    _, booking = _cancelled(c)
    return _lacks_activity(c, booking, "BookingCancelled")


def _cancelled_unlisted(c: httpx.Client) -> bool:
    salon, booking = _cancelled(c)
    params = {"status": "Cancelled", "businessLocationId": salon.location_id}
    return all(item["id"] != booking["id"] for item in ok(c.get("/bookings", params=params))["items"])


PROBES: dict[str, Probe] = {
    "booking-created-activity-missing": _created_activity_missing,
    "closing-slot-refused": _closing_slot_refused,
    "slot-ends-after-grid-step": _slot_ends_early,
    "availability-counts-cancelled": _counts_cancelled,
    "cancel-sets-completed-at": _cancel_sets_completed_at,
    "cancel-activity-missing": _cancel_activity_missing,
    "cancelled-bookings-unlisted": _cancelled_unlisted,
}


def test_probes_cover_this_section_of_the_registry() -> None:
    mine = {"B12", "A1", "A3", "A4", "L1", "C3", "C4"}
    by_name = {fault.name: fault.requirement for fault in FAULTS}
    assert set(PROBES) <= set(by_name)
    assert {by_name[name] for name in PROBES} == mine

"""The in-memory model of one booking world: what the server should answer and show.

One location with business hours, staff with shifts and blocks, a resource pool and two services on one
future local date. The model knows the open-slot rule of design §8 #26 and the acceptance rules of #30/#31, so
it predicts every createBooking/cancelBooking/createStaffBlock answer and the exact availability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caldasa_conformance.oracles.bookings import CLOSED_BY
from caldasa_conformance.workflows.checks import Expect
from caldasa_conformance.workflows.timeutil import GRID, Interval, local, parse


@dataclass
class Service:
    key: str
    reservable_id: str
    variant_id: str
    duration: timedelta
    price_cents: int
    needs_resource: bool


@dataclass
class Staff:
    id: str
    name: str
    shifts: list[Interval] = field(default_factory=list)
    blocks: dict[str, Interval] = field(default_factory=dict)
    assigned: bool = True


@dataclass
class Booking:
    label: str
    id: str
    service: str
    staff_id: str
    interval: Interval
    resource_ids: list[str]
    customer_email: str
    customer_id: str
    status: str = "Confirmed"

    @property
    def occupying(self) -> bool:
        return self.status != "Cancelled"


@dataclass
class BookingWorld:
    """Model state. `units` are resource ids in the reference's allocation order (name asc, id asc)."""

    location_id: str
    zone: ZoneInfo
    day: date
    hours: list[Interval]
    staff: dict[str, Staff]
    units: list[str]
    services: dict[str, Service]
    bookings: list[Booking] = field(default_factory=list)
    customers: dict[str, str] = field(default_factory=dict)  # lower-cased email -> customer id

    @property
    def midnight(self) -> datetime:
        return local(self.day, time(0), self.zone)

    def at(self, minutes: int) -> datetime:
        """The UTC instant `minutes` after local midnight of the world's day."""
        return self.midnight + timedelta(minutes=minutes)

    def staff_ids(self) -> list[str]:
        """Staff ids in id order (the reference assigns a null `staffMemberId` to the first open one)."""
        return sorted(self.staff)

    def staff_by_index(self, index: int) -> str:
        """Staff by a stable index (the world is built in id order, so index 0 is the lowest id)."""
        return list(self.staff)[index]

    def busy(self, staff_id: str) -> list[Interval]:
        return [b.interval for b in self.bookings if b.occupying and b.staff_id == staff_id]

    def free_units(self, interval: Interval) -> list[str]:
        held = {
            unit
            for b in self.bookings
            if b.occupying and b.interval.overlaps(interval)
            for unit in b.resource_ids
        }
        return [unit for unit in self.units if unit not in held]

    def closed_reason(self, service_key: str, staff_id: str, start: datetime) -> str | None:
        """Why (service, staff, start) is not an open slot, or None when it is open (design §8 #26)."""
        service = self.services[service_key]
        interval = Interval(start, start + service.duration)
        staff = self.staff[staff_id]
        checks = (
            ("grid", (start - self.midnight) % GRID != timedelta(0)),
            ("hours", not interval.within(self.hours)),
            ("assignment", not staff.assigned),
            ("shift", not interval.within(staff.shifts)),
            ("block", any(block.overlaps(interval) for block in staff.blocks.values())),
            ("busy", any(held.overlaps(interval) for held in self.busy(staff_id))),
            ("resource", service.needs_resource and not self.free_units(interval)),
        )
        return next((reason for reason, failed in checks if failed), None)

    def open_slots(self, service_key: str) -> set[tuple[datetime, str]]:
        """Every open (start, staff id) of the service on the day."""
        starts = [self.midnight + GRID * k for k in range(24 * 4)]
        return {
            (start, staff_id)
            for staff_id in self.staff_ids()
            for start in starts
            if self.closed_reason(service_key, staff_id, start) is None
        }

    def predict_booking(
        self, service_key: str, staff_id: str | None, start: datetime, pinned: str | None
    ) -> tuple[Expect, list[str], list[str]]:
        """The answer to createBooking, the staff the server may assign and the units it may hold.

        The contract lets the server assign any open eligible staff member to a null `staffMemberId` and any
        free unit to an unpinned selection (design §8 #30, #31); the caller adopts the server's choice when it
        is one of these.
        """
        candidates = [staff_id] if staff_id else self.staff_ids()
        reasons = {sid: self.closed_reason(service_key, sid, start) for sid in candidates}
        open_staff = [sid for sid in candidates if reasons[sid] is None]
        if not open_staff:
            reason = _most_specific(list(reasons.values()))
            return Expect(409, CLOSED_BY[reason], "slot_unavailable", why=f"slot closed: {reason}"), [], []
        interval = Interval(start, start + self.services[service_key].duration)
        if not self.services[service_key].needs_resource:
            return Expect(201, "A1", why="the slot is open"), open_staff, []
        free = self.free_units(interval)
        if pinned is not None and pinned not in free:
            return Expect(409, "B2", "resource_unavailable", why="the pinned unit is held"), [], []
        return Expect(201, "A1", why="the slot is open"), open_staff, [pinned] if pinned else free

    def live_items_of(self, staff_id: str) -> list[Booking]:
        """Occupying bookings of the staff member (all of the world's bookings lie in the future, so live)."""
        return [b for b in self.bookings if b.occupying and b.staff_id == staff_id]

    def blame_accepted(self, service_key: str, start: datetime, dto: Any, expect: Expect) -> Expect:
        """The server accepted a slot the model predicted closed: name the rule that closes it for the staff
        member it assigned (the prediction named the rule closing it for the staff asked for)."""
        items = dto.get("items") if isinstance(dto, dict) else None
        staff_id = items[0].get("staffMemberId") if items else None
        if staff_id in self.staff and expect.code == "slot_unavailable":
            reason = self.closed_reason(service_key, staff_id, start)
            if reason is not None:
                return Expect(409, CLOSED_BY[reason], "slot_unavailable", why=f"slot closed for it: {reason}")
        return expect

    def predict_block(self, staff_id: str, interval: Interval) -> Expect:
        if any(held.overlaps(interval) for held in self.busy(staff_id)):
            return Expect(409, "B5", "overlaps_booking", why="the block covers a booking")
        return Expect(201, "B5", why="no booking under the block")

    def customer_for(self, email: str) -> str | None:
        return self.customers.get(email.lower())

    def created_fields(self, booking: Booking) -> dict[str, Any]:
        """The fields B9 derives, as a 201 for `booking` must show them (compare with `derived_fields`)."""
        service = self.services[booking.service]
        return {
            "status": "Confirmed",
            "startsAt": booking.interval.start,
            "endsAt": booking.interval.end,
            "totalCents": service.price_cents,
            "item.endsAt": booking.interval.end,
            "item.priceCents": service.price_cents,
            "item.staffMemberId": booking.staff_id,
            "completedAt": None,
            "serviceName": True,
        }


def derived_fields(dto: dict[str, Any]) -> dict[str, Any]:
    """What a booking body says about the fields B9 derives (compare with `BookingWorld.created_fields`)."""
    items = dto.get("items") or [{}]
    return {
        "status": dto.get("status"),
        "startsAt": instant(dto.get("startsAt")),
        "endsAt": instant(dto.get("endsAt")),
        "totalCents": dto.get("totalCents"),
        "item.endsAt": instant(items[0].get("endsAt")),
        "item.priceCents": items[0].get("priceCents"),
        "item.staffMemberId": items[0].get("staffMemberId"),
        "completedAt": dto.get("completedAt"),
        "serviceName": bool(items[0].get("serviceName")),
    }


def instant(value: Any) -> Any:
    """A wire timestamp as a datetime (anything else as it is, so a wrong value shows as received)."""
    return parse(value) if isinstance(value, str) else value


_SPECIFICITY = ["busy", "block", "resource", "assignment", "shift", "hours", "grid"]


def _most_specific(reasons: list[str | None]) -> str:
    """With several staff closed for different reasons, name the rule a faulty server is likeliest to skip."""
    present = {reason for reason in reasons if reason}
    return next(reason for reason in _SPECIFICITY if reason in present)

"""Which booking items occupy staff and resource units (§8 #27), read from `tenant.bookings`.

Occupying = any booking whose status is not `Cancelled`; live = occupying with `endsAt > now`. The core
handlers scan them for their `in_use` 409s (§8 #44: `occupying_items`, `live_items`, `overlaps` on emitted
strings). Availability and createBooking use the index by (staff or unit, UTC day) instead: it lives in
`tenant.extra` (emptied by reset) and is rebuilt lazily from `tenant.bookings`, so they never scan all
bookings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from caldasa_reference.domain.timeline import Interval, parse_instant, utc_days
from caldasa_reference.store import Record, TenantStore

CANCELLED = "Cancelled"
_KEY = "booking-domain.occupancy"

Bucket = dict[str, Interval]  # item id -> interval
ItemRef = tuple[Record, Record]  # (booking, item)


@dataclass
class OccupancyIndex:
    by_staff: defaultdict[tuple[str, date], Bucket] = field(default_factory=lambda: defaultdict(dict))
    by_unit: defaultdict[tuple[str, date], Bucket] = field(default_factory=lambda: defaultdict(dict))

    def add(self, booking: Record) -> None:
        for item in booking["items"]:
            interval = item_interval(item)
            for day in utc_days(interval):
                if item.get("staffMemberId"):
                    self.by_staff[(item["staffMemberId"], day)][item["id"]] = interval
                for unit_id in item.get("_resourceIds", ()):
                    self.by_unit[(unit_id, day)][item["id"]] = interval

    def remove(self, booking: Record) -> None:
        for item in booking["items"]:
            for day in utc_days(item_interval(item)):
                if item.get("staffMemberId"):
                    self.by_staff[(item["staffMemberId"], day)].pop(item["id"], None)
                for unit_id in item.get("_resourceIds", ()):
                    self.by_unit[(unit_id, day)].pop(item["id"], None)

    def staff_busy(self, staff_id: str, window: Interval) -> list[Interval]:
        return _collect(self.by_staff, staff_id, window)

    def unit_busy(self, unit_id: str, window: Interval) -> list[Interval]:
        return _collect(self.by_unit, unit_id, window)


def _collect(buckets: defaultdict[tuple[str, date], Bucket], owner: str, window: Interval) -> list[Interval]:
    found: dict[str, Interval] = {}
    for day in utc_days(window):
        bucket = buckets.get((owner, day))
        if bucket:
            found.update((key, value) for key, value in bucket.items() if value.overlaps(window))
    return list(found.values())


def item_interval(item: Record) -> Interval:
    cached = item.get("_interval")
    if cached is None:
        cached = Interval(parse_instant(item["startsAt"]), parse_instant(item["endsAt"]))
        item["_interval"] = cached
    return cached  # type: ignore[no-any-return]


def index(tenant: TenantStore) -> OccupancyIndex:
    """The tenant's occupancy index, built on first use."""
    found = tenant.extra.get(_KEY)
    if isinstance(found, OccupancyIndex):
        return found
    built = OccupancyIndex()
    for booking in tenant.bookings.values():
        if is_occupying(booking):
            built.add(booking)
    tenant.extra[_KEY] = built
    return built


def is_occupying(booking: Record) -> bool:
    return booking.get("status") != CANCELLED


def occupying_items(tenant: TenantStore) -> Iterator[ItemRef]:
    """Items of every booking whose status is not ``Cancelled``, at any time."""
    for booking in tenant.bookings.values():
        if is_occupying(booking):
            for item in booking.get("items", []):
                yield booking, item


def live_items(tenant: TenantStore) -> Iterator[ItemRef]:
    """Occupying items that have not ended yet (``endsAt > now``)."""
    now = tenant.now_iso()
    for booking, item in occupying_items(tenant):
        if item["endsAt"] > now:
            yield booking, item


def item_resource_ids(item: Record) -> list[str]:
    return list(item.get("_resourceIds") or [])


def overlaps(start_a: str, end_a: str, start_b: str, end_b: str) -> bool:
    """Half-open interval overlap on emitted ISO strings (they sort as text)."""
    return start_a < end_b and start_b < end_a

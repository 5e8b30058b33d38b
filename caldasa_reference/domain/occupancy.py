"""Which booking items occupy staff and resource units, indexed by (staff or unit, UTC day) (§8 #27).

Occupying = any booking whose status is not `Cancelled`; live = occupying with `endsAt > now`. The index
lives in `tenant.extra` (emptied by reset) and is rebuilt lazily from `tenant.bookings`, so availability and
createBooking never scan all bookings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from caldasa_reference.domain.timeline import Interval, parse_instant, utc_days
from caldasa_reference.store import Record, TenantStore

CANCELLED = "Cancelled"
_KEY = "booking-domain.occupancy"

Bucket = dict[str, Interval]  # item id -> interval


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


def occupying_items(tenant: TenantStore) -> Iterator[tuple[Record, Record]]:
    """(booking, item) for every item of a non-cancelled booking, any time."""
    for booking in list(tenant.bookings.values()):
        if is_occupying(booking):
            for item in booking["items"]:
                yield booking, item


def live_items(tenant: TenantStore) -> Iterator[tuple[Record, Record]]:
    """(booking, item) for every occupying item that has not ended yet (`endsAt > now`)."""
    now = tenant.now()
    for booking, item in occupying_items(tenant):
        if item_interval(item).end > now:
            yield booking, item


def any_overlap(intervals: Iterable[Interval], window: Interval) -> bool:
    return any(interval.overlaps(window) for interval in intervals)

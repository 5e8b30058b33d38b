"""Build the pure availability inputs (`DayQuery`, calendars, resource pools) from a tenant's store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from caldasa_reference.domain import occupancy
from caldasa_reference.domain.availability import (
    BusinessHour,
    DayQuery,
    ResourcePool,
    ResourceUnit,
    StaffCalendar,
)
from caldasa_reference.domain.timeline import Interval, format_instant, local_day_bounds, parse_instant
from caldasa_reference.routing import RequestContext
from caldasa_reference.store import Record, TenantStore


@dataclass(frozen=True)
class Offer:
    """A variant as offered at one location."""

    location: Record
    reservable: Record
    variant: Record

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.location["timeZone"])

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=int(self.variant["durationMinutes"]))

    @property
    def usable(self) -> bool:
        """Location, reservable and variant active, and the reservable offered at the location."""
        return bool(
            self.location.get("isActive")
            and self.reservable.get("isActive")
            and self.variant.get("isActive", True)
            and self.location["id"] in self.reservable.get("businessLocationIds", ())
        )


@dataclass
class Ignore:
    """Which occupancy to leave out (fault switches), plus holds of earlier items of the same request."""

    blocks: bool = False
    staff_bookings: bool = False
    unit_bookings: bool = False
    staff_extra: Mapping[str, Sequence[Interval]] = field(default_factory=dict)
    unit_extra: Mapping[str, Sequence[Interval]] = field(default_factory=dict)


def base_ignore(ctx: RequestContext) -> Ignore:
    """The one place the `availability-ignores-blocks` fault (B5) is read (availability and create)."""
    return Ignore(blocks=ctx.fault("availability-ignores-blocks"))


def find_variant(tenant: TenantStore, variant_id: str) -> tuple[Record, Record] | None:
    """(reservable, variant) owning `variant_id`, if the tenant has it."""
    for reservable in tenant.reservables.values():
        for variant in reservable.get("variants", ()):
            if variant["id"] == variant_id:
                return reservable, variant
    return None


def staff_candidates(
    tenant: TenantStore, offer: Offer, staff_filter: str | None = None, *, eligible_only: bool = True
) -> list[Record]:
    """Active, bookable staff assigned to the location and eligible for the reservable, by id.

    `eligible_only=False` skips the eligibility test (only the `booking-ignores-eligibility` fault, B6).
    """
    eligible = set(offer.reservable.get("_staffMemberIds", ()))
    location_id = offer.location["id"]
    found = [
        member
        for member_id, member in tenant.staff.items()
        if (member_id in eligible or not eligible_only)
        and member.get("isActive")
        and member.get("isBookable")
        and location_id in member.get("businessLocationIds", ())
        and (staff_filter is None or member_id == staff_filter)
    ]
    return sorted(found, key=lambda member: str(member["id"]))


def day_query(
    tenant: TenantStore,
    offer: Offer,
    day: date,
    now: datetime,
    staff: Sequence[StaffCalendar] | None,
    pools: Sequence[ResourcePool],
) -> DayQuery:
    hours = [
        BusinessHour(int(entry["dayOfWeek"]), entry["opensAt"], entry["closesAt"])
        for entry in tenant.business_hours.get(offer.location["id"], ())
    ]
    return DayQuery(day, offer.zone, now, offer.duration, hours, staff, pools)


def search_window(offer: Offer, day: date) -> Interval:
    """The local day, stretched by one duration so items that start late and end tomorrow are seen."""
    bounds = local_day_bounds(day, offer.zone)
    return Interval(bounds.start, bounds.end + offer.duration)


def staff_calendars(
    tenant: TenantStore, offer: Offer, members: Sequence[Record], window: Interval, ignore: Ignore
) -> list[StaffCalendar]:
    wanted = {member["id"] for member in members}
    shifts = _intervals_by_staff(tenant.shifts.values(), wanted, window, offer.location["id"])
    blocks = {} if ignore.blocks else _intervals_by_staff(tenant.blocks.values(), wanted, window, None)
    index = occupancy.index(tenant)
    calendars = []
    for member in members:
        busy = [] if ignore.staff_bookings else index.staff_busy(member["id"], window)
        busy += ignore.staff_extra.get(member["id"], ())
        calendars.append(
            StaffCalendar(
                member["id"], member["name"], shifts.get(member["id"], []), blocks.get(member["id"], []), busy
            )
        )
    return calendars


def _intervals_by_staff(
    records: Iterable[Record], wanted: set[str], window: Interval, location_id: str | None
) -> dict[str, list[Interval]]:
    """Shifts or blocks of `wanted` staff overlapping `window` (compared as canonical strings, no parsing)."""
    low, high = format_instant(window.start), format_instant(window.end)
    grouped: defaultdict[str, list[Interval]] = defaultdict(list)
    for record in records:
        if record["staffMemberId"] not in wanted or record["startsAt"] >= high or record["endsAt"] <= low:
            continue
        if location_id is not None and record.get("businessLocationId") != location_id:
            continue
        grouped[record["staffMemberId"]].append(
            Interval(parse_instant(record["startsAt"]), parse_instant(record["endsAt"]))
        )
    return grouped


def resource_pools(tenant: TenantStore, offer: Offer, window: Interval, ignore: Ignore) -> list[ResourcePool]:
    """One pool per required resource type: its active units at the location with their holds."""
    quantities: dict[str, int] = {}
    for type_id in offer.reservable.get("_resourceTypeIds", ()):
        quantities[type_id] = quantities.get(type_id, 0) + 1
    if not quantities:
        return []
    index = occupancy.index(tenant)
    units: defaultdict[str, list[Record]] = defaultdict(list)
    for resource in tenant.resources.values():
        if (
            resource["resourceTypeId"] in quantities
            and resource.get("isActive")
            and resource.get("businessLocationId") == offer.location["id"]
        ):
            units[resource["resourceTypeId"]].append(resource)
    return [
        ResourcePool(
            type_id, quantity, [_unit(index, unit, window, ignore) for unit in _by_name(units[type_id])]
        )
        for type_id, quantity in quantities.items()
    ]


def _by_name(resources: list[Record]) -> list[Record]:
    return sorted(resources, key=lambda resource: (str(resource["name"]), str(resource["id"])))


def _unit(
    index: occupancy.OccupancyIndex, resource: Record, window: Interval, ignore: Ignore
) -> ResourceUnit:
    busy = [] if ignore.unit_bookings else index.unit_busy(resource["id"], window)
    busy += ignore.unit_extra.get(resource["id"], ())
    return ResourceUnit(resource["id"], resource["name"], busy)

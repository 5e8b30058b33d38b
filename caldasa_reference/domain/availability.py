"""Open-slot rules of design §8 #25–#27 as pure functions over plain calendars.

A slot (variant, location, staff S or none, start t) is open iff t > now, t lies on the 15-minute grid counted
from local midnight of its local date, that date is within [today, today + 365], the interval
[t, t + duration) lies inside the location's business hours and S's (merged) shifts there, misses S's blocks
and occupying items, and every required resource type has enough free active units at the location.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from caldasa_reference.domain.timeline import (
    GRID,
    Interval,
    intersect,
    local_day_bounds,
    local_to_utc,
    merge,
    subtract,
)

BOOKING_HORIZON_DAYS = 365


@dataclass(frozen=True)
class BusinessHour:
    """One weekly interval: `day_of_week` 0 = Sunday, local `HH:MM:SS` bounds."""

    day_of_week: int
    opens_at: str
    closes_at: str


@dataclass(frozen=True)
class StaffCalendar:
    """What constrains one staff member on one day: shifts at the location, blocks, occupying items."""

    staff_member_id: str
    name: str
    shifts: Sequence[Interval] = ()
    blocks: Sequence[Interval] = ()
    busy: Sequence[Interval] = ()


@dataclass(frozen=True)
class ResourceUnit:
    resource_id: str
    name: str
    busy: Sequence[Interval] = ()

    def is_free(self, interval: Interval) -> bool:
        return not any(held.overlaps(interval) for held in self.busy)


@dataclass(frozen=True)
class ResourcePool:
    """Active units of one required type at the location; `units` sorted name asc, id asc."""

    resource_type_id: str
    quantity: int
    units: Sequence[ResourceUnit] = ()

    def free_units(self, interval: Interval) -> list[ResourceUnit]:
        return [unit for unit in self.units if unit.is_free(interval)]


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    staff_member_id: str | None
    staff_member_name: str | None


@dataclass(frozen=True)
class DayQuery:
    """Everything needed to list the open slots of one variant at one location on one local date."""

    day: date
    zone: ZoneInfo
    now: datetime
    duration: timedelta
    hours: Sequence[BusinessHour]
    staff: Sequence[StaffCalendar] | None  # None: the reservable needs no staff
    pools: Sequence[ResourcePool] = field(default_factory=tuple)


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def within_horizon(day: date, now: datetime, zone: ZoneInfo) -> bool:
    today = local_today(now, zone)
    return today <= day <= today + timedelta(days=BOOKING_HORIZON_DAYS)


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def business_intervals(hours: Iterable[BusinessHour], day: date, zone: ZoneInfo) -> list[Interval]:
    """The location's open intervals on local `day`, as merged UTC intervals."""
    weekday = day.isoweekday() % 7
    return merge(
        Interval(
            local_to_utc(day, _clock(hour.opens_at), zone), local_to_utc(day, _clock(hour.closes_at), zone)
        )
        for hour in hours
        if hour.day_of_week == weekday
    )


def staff_free_time(hours: list[Interval], calendar: StaffCalendar) -> list[Interval]:
    """Business hours ∩ merged shifts − blocks − occupying items."""
    working = intersect(hours, merge(calendar.shifts))
    return subtract(working, [*calendar.blocks, *calendar.busy])


def resources_suffice(pools: Sequence[ResourcePool], interval: Interval) -> bool:
    return all(len(pool.free_units(interval)) >= pool.quantity for pool in pools)


def grid_starts(
    window: Interval, free: Sequence[Interval], duration: timedelta, now: datetime
) -> Iterator[datetime]:
    """Grid points t of `window` with t > now and [t, t + duration) inside one free interval."""
    for interval in free:
        start = max(interval.start, window.start)
        steps = -((window.start - start) // GRID)  # ceil((start - window.start) / GRID)
        t = window.start + steps * GRID
        while t < window.end and t + duration <= interval.end:
            if t > now:
                yield t
            t += GRID


def open_slots(query: DayQuery) -> list[Slot]:
    """All open slots of the day, sorted by start then staff id, without duplicates."""
    if not within_horizon(query.day, query.now, query.zone):
        return []
    window = local_day_bounds(query.day, query.zone)
    hours = business_intervals(query.hours, query.day, query.zone)
    resource_ok: dict[datetime, bool] = {}

    def fits_resources(start: datetime) -> bool:
        if start not in resource_ok:
            resource_ok[start] = resources_suffice(query.pools, Interval(start, start + query.duration))
        return resource_ok[start]

    slots: list[Slot] = []
    for calendar in query.staff if query.staff is not None else [None]:
        free = hours if calendar is None else staff_free_time(hours, calendar)
        for start in grid_starts(window, free, query.duration, query.now):
            if fits_resources(start):
                slots.append(_slot(start, query.duration, calendar))
    slots.sort(key=lambda slot: (slot.starts_at, slot.staff_member_id or ""))
    return slots


def _slot(start: datetime, duration: timedelta, calendar: StaffCalendar | None) -> Slot:
    staff_id = calendar.staff_member_id if calendar else None
    return Slot(start, start + duration, staff_id, calendar.name if calendar else None)


def is_open_start(start: datetime, query: DayQuery, calendar: StaffCalendar | None) -> bool:
    """Whether exactly `start` is an open slot for `calendar` (None: no staff needed)."""
    window = local_day_bounds(query.day, query.zone)
    if not (window.start <= start < window.end) or (start - window.start) % GRID or start <= query.now:
        return False
    if not within_horizon(query.day, query.now, query.zone):
        return False
    hours = business_intervals(query.hours, query.day, query.zone)
    free = hours if calendar is None else staff_free_time(hours, calendar)
    wanted = Interval(start, start + query.duration)
    return any(interval.contains(wanted) for interval in free) and resources_suffice(query.pools, wanted)

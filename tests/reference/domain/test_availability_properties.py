"""Property: `open_slots` and `is_open_start` agree with a naive reading of design §8 #26 (A1 ⇔ A3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from caldasa_reference.domain.availability import (
    BusinessHour,
    DayQuery,
    ResourcePool,
    ResourceUnit,
    StaffCalendar,
    business_intervals,
    is_open_start,
    open_slots,
    within_horizon,
)
from caldasa_reference.domain.timeline import GRID, Interval, local_day_bounds

ZONE = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 3, 1, 9, 7, tzinfo=timezone.utc)
DAYS = [date(2027, 3, 1), date(2027, 3, 28), date(2027, 10, 31)]


@st.composite
def intervals(draw: st.DrawFn, day: date, max_size: int = 3) -> list[Interval]:
    """Intervals on a 5-minute grid around the local day (so they also cut between slot starts)."""
    bounds = local_day_bounds(day, ZONE)
    found = []
    for _ in range(draw(st.integers(0, max_size))):
        start = bounds.start + timedelta(minutes=5 * draw(st.integers(-24, 12 * 25)))
        found.append(Interval(start, start + timedelta(minutes=5 * draw(st.integers(1, 60)))))
    return found


@st.composite
def day_queries(draw: st.DrawFn) -> tuple[DayQuery, list[StaffCalendar] | None]:
    day = draw(st.sampled_from(DAYS))
    hours = [
        BusinessHour(day.isoweekday() % 7, "06:00:00", "12:30:00"),
        BusinessHour(day.isoweekday() % 7, "13:00:00", "22:00:00"),
    ]
    staff = [
        StaffCalendar(
            f"s{index}", f"S{index}", draw(intervals(day)), draw(intervals(day, 2)), draw(intervals(day))
        )
        for index in range(draw(st.integers(0, 3)))
    ]
    units = [
        ResourceUnit(f"r{index}", f"R{index}", draw(intervals(day)))
        for index in range(draw(st.integers(0, 2)))
    ]
    pools = [ResourcePool("room", draw(st.integers(1, 2)), units)] if draw(st.booleans()) else []
    needs_staff = draw(st.booleans())
    duration = timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90])))
    calendars = staff if needs_staff else None
    return DayQuery(day, ZONE, NOW, duration, hours, calendars, pools), calendars


STEP = timedelta(minutes=5)  # every bound in these cases lies on this grid, so sampling by it is exact


def covered(interval: Interval, cover: list[Interval]) -> bool:
    moment = interval.start
    while moment < interval.end:
        if not any(part.start <= moment < part.end for part in cover):
            return False
        moment += STEP
    return True


def naive_open(start: datetime, query: DayQuery, calendar: StaffCalendar | None) -> bool:
    wanted = Interval(start, start + query.duration)
    if start <= query.now or not within_horizon(query.day, query.now, ZONE):
        return False
    if not covered(wanted, business_intervals(query.hours, query.day, ZONE)):
        return False
    if calendar is not None:
        clashes = [*calendar.blocks, *calendar.busy]
        if not covered(wanted, list(calendar.shifts)) or any(wanted.overlaps(c) for c in clashes):
            return False
    return all(
        sum(not any(wanted.overlaps(held) for held in unit.busy) for unit in pool.units) >= pool.quantity
        for pool in query.pools
    )


@settings(max_examples=150, deadline=None)
@given(day_queries())
def test_slots_are_exactly_the_open_grid_starts(case: tuple[DayQuery, list[StaffCalendar] | None]) -> None:
    query, calendars = case
    listed = {(slot.starts_at, slot.staff_member_id) for slot in open_slots(query)}
    bounds = local_day_bounds(query.day, ZONE)
    starts = [bounds.start + k * GRID for k in range(int((bounds.end - bounds.start) / GRID))]
    expected = {
        (start, calendar.staff_member_id if calendar else None)
        for calendar in (calendars if calendars is not None else [None])
        for start in starts
        if naive_open(start, query, calendar)
    }
    assert listed == expected
    assert all(
        is_open_start(start, query, staff and next(c for c in calendars or [] if c.staff_member_id == staff))
        for start, staff in expected
    )

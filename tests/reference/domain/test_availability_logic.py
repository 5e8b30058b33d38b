"""Unit tests of the pure availability rules (design §8 #26–#27), DST days included."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from caldasa_reference.domain.availability import (
    BusinessHour,
    DayQuery,
    ResourcePool,
    ResourceUnit,
    StaffCalendar,
    business_intervals,
    is_open_start,
    open_slots,
)
from caldasa_reference.domain.timeline import Interval, local_day_bounds, merge, subtract

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 1, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def every_day(opens: str, closes: str) -> list[BusinessHour]:
    return [BusinessHour(day, opens, closes) for day in range(7)]


def whole_day(day: date) -> Interval:
    return local_day_bounds(day, BERLIN)


def query(day: date, hours: list[BusinessHour], staff: list[StaffCalendar] | None, **kw: object) -> DayQuery:
    return DayQuery(day=day, zone=BERLIN, now=NOW, duration=HOUR, hours=hours, staff=staff, **kw)  # type: ignore[arg-type]


def test_spring_forward_day_has_23_hours_and_gap_times_use_fold_0() -> None:
    day = date(2027, 3, 28)
    bounds = local_day_bounds(day, BERLIN)
    assert bounds == Interval(utc("2027-03-27T23:00:00"), utc("2027-03-28T22:00:00"))
    [hours] = business_intervals([BusinessHour(0, "01:00:00", "02:30:00")], day, BERLIN)
    assert hours == Interval(utc("2027-03-28T00:00:00"), utc("2027-03-28T01:30:00"))


def test_fall_back_day_has_25_hours_and_repeated_times_use_first_occurrence() -> None:
    day = date(2027, 10, 31)
    bounds = local_day_bounds(day, BERLIN)
    assert bounds.end - bounds.start == timedelta(hours=25)
    [hours] = business_intervals([BusinessHour(0, "02:30:00", "04:00:00")], day, BERLIN)
    assert hours == Interval(utc("2027-10-31T00:30:00"), utc("2027-10-31T03:00:00"))


def test_slots_on_spring_forward_day_follow_real_time_grid() -> None:
    day = date(2027, 3, 28)
    staff = StaffCalendar("s1", "Sam", shifts=[whole_day(day)])
    slots = open_slots(query(day, every_day("01:00:00", "04:00:00"), [staff]))
    # 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z: two real hours, 60-min slots every 15 min.
    assert [s.starts_at for s in slots] == [
        utc("2027-03-28T00:00:00") + k * timedelta(minutes=15) for k in range(5)
    ]


def test_whole_fall_back_day_has_100_grid_points() -> None:
    day = date(2027, 10, 31)
    staff = StaffCalendar("s1", "Sam", shifts=[whole_day(day)])
    q = DayQuery(day, BERLIN, NOW, timedelta(minutes=15), every_day("00:00:00", "23:59:59"), [staff])
    slots = open_slots(q)
    assert len(slots) == 100 - 1  # the last 15 minutes end after 23:59:59
    assert all(s.starts_at.astimezone(BERLIN).date() == day for s in slots)


def test_abutting_shifts_merge_and_blocks_and_bookings_remove_slots() -> None:
    day = date(2027, 5, 3)
    base = utc("2027-05-03T07:00:00")  # 09:00 local (CEST)
    staff = StaffCalendar(
        "s1",
        "Sam",
        shifts=[Interval(base, base + HOUR), Interval(base + HOUR, base + 3 * HOUR)],
        blocks=[Interval(base + HOUR, base + HOUR + timedelta(minutes=15))],
        busy=[Interval(base + timedelta(minutes=135), base + 3 * HOUR)],
    )
    slots = open_slots(query(day, every_day("08:00:00", "18:00:00"), [staff]))
    assert [s.starts_at for s in slots] == [base, base + timedelta(minutes=75)]


def test_slots_sorted_by_start_then_staff_and_past_slots_dropped() -> None:
    day = date(2027, 5, 3)
    shift = [Interval(utc("2027-05-03T07:00:00"), utc("2027-05-03T09:00:00"))]
    staff = [StaffCalendar("b", "B", shifts=shift), StaffCalendar("a", "A", shifts=shift)]
    now = utc("2027-05-03T07:20:00")
    q = DayQuery(day, BERLIN, now, HOUR, every_day("08:00:00", "18:00:00"), staff)
    keys = [(s.starts_at, s.staff_member_id) for s in open_slots(q)]
    assert keys == sorted(keys)
    assert keys[0] == (utc("2027-05-03T07:30:00"), "a")
    assert len(set(keys)) == len(keys)


def test_no_slots_outside_horizon() -> None:
    day = date(2028, 1, 2)  # 366 days after NOW's local date
    staff = StaffCalendar("s1", "Sam", shifts=[whole_day(day)])
    assert open_slots(query(day, every_day("08:00:00", "18:00:00"), [staff])) == []
    assert open_slots(query(date(2026, 12, 31), every_day("08:00:00", "18:00:00"), [staff])) == []


def test_resources_limit_slots_and_no_staff_reservables_have_null_staff() -> None:
    day = date(2027, 5, 3)
    start = utc("2027-05-03T08:00:00")
    pool = ResourcePool("room", 1, [ResourceUnit("r1", "Room 1", busy=[Interval(start, start + HOUR)])])
    slots = open_slots(query(day, every_day("10:00:00", "12:00:00"), None, pools=[pool]))
    assert [(s.starts_at, s.staff_member_id) for s in slots] == [(start + HOUR, None)]


def test_is_open_start_requires_grid_alignment() -> None:
    day = date(2027, 5, 3)
    staff = StaffCalendar("s1", "Sam", shifts=[whole_day(day)])
    q = query(day, every_day("08:00:00", "18:00:00"), [staff])
    assert is_open_start(utc("2027-05-03T08:00:00"), q, staff)
    assert not is_open_start(utc("2027-05-03T08:07:00"), q, staff)
    assert not is_open_start(utc("2027-05-03T05:00:00"), q, staff)


def test_interval_algebra() -> None:
    a, b, c = (utc(f"2027-01-01T0{h}:00:00") for h in (1, 2, 3))
    assert merge([Interval(b, c), Interval(a, b)]) == [Interval(a, c)]
    assert subtract([Interval(a, c)], [Interval(b, c)]) == [Interval(a, b)]

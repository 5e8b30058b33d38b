"""Instants, half-open intervals and the wire format of timestamps (design §8 #22, #26)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from caldasa_reference.store import iso

UTC = timezone.utc
GRID = timedelta(minutes=15)


class Interval(NamedTuple):
    """A half-open interval [start, end) of aware UTC instants."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


def parse_instant(text: str) -> datetime:
    """Parse an RFC 3339 date-time (any offset) into an aware UTC datetime."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_instant(instant: datetime) -> str:
    """Render as `YYYY-MM-DDTHH:MM:SS.fffZ` (ms precision, UTC); one formatter for the whole server."""
    return iso(instant)


def normalise_instant(text: str) -> str:
    """Canonical wire form of a client-sent date-time, truncated to milliseconds."""
    return format_instant(parse_instant(text))


def truncate_ms(instant: datetime) -> datetime:
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)


def local_to_utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """Local wall-clock time of `day` in `zone` as a UTC instant (PEP 495 `fold=0` for gaps and folds)."""
    return datetime.combine(day, clock, tzinfo=zone).replace(fold=0).astimezone(UTC)


def local_day_bounds(day: date, zone: ZoneInfo) -> Interval:
    """The instants of local calendar `day`: [local midnight, next local midnight)."""
    return Interval(local_to_utc(day, time(0), zone), local_to_utc(day + timedelta(days=1), time(0), zone))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or abutting intervals."""
    merged: list[Interval] = []
    for current in sorted(intervals):
        if merged and current.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Interval(last.start, max(last.end, current.end))
        else:
            merged.append(current)
    return merged


def intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    """Intersection of two merged (sorted, disjoint) interval lists."""
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i].start, right[j].start)
        end = min(left[i].end, right[j].end)
        if start < end:
            result.append(Interval(start, end))
        if left[i].end < right[j].end:
            i += 1
        else:
            j += 1
    return result


def subtract(base: list[Interval], holes: Iterable[Interval]) -> list[Interval]:
    """`base` (merged) minus every interval in `holes`."""
    result = base
    for hole in merge(holes):
        result = list(_cut(result, hole))
    return result


def _cut(intervals: list[Interval], hole: Interval) -> Iterator[Interval]:
    for interval in intervals:
        if not interval.overlaps(hole):
            yield interval
            continue
        if interval.start < hole.start:
            yield Interval(interval.start, hole.start)
        if hole.end < interval.end:
            yield Interval(hole.end, interval.end)


def utc_days(interval: Interval) -> Iterator[date]:
    """Every UTC calendar date that the half-open interval touches (index buckets)."""
    day = interval.start.date()
    last = (interval.end - timedelta(microseconds=1)).date()
    while day <= last:
        yield day
        day += timedelta(days=1)

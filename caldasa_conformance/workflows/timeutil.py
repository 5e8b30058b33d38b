"""Time helpers of the models: UTC intervals, local wall-clock conversion, the wire format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

GRID = timedelta(minutes=15)


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open UTC interval [start, end)."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def within(self, others: list[Interval]) -> bool:
        """Whether this interval lies inside the union of `others` (abutting intervals merge)."""
        return any(merged.start <= self.start and self.end <= merged.end for merged in merge(others))


def merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            merged[-1] = Interval(merged[-1].start, max(merged[-1].end, interval.end))
        else:
            merged.append(interval)
    return merged


def local(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local wall-clock `clock` on `day` in `zone` (fold=0, as the contract says)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(timezone.utc)


# the machines' locations: no offset, a European and an American one with their own DST dates
ZONES = ("UTC", "Europe/Berlin", "America/New_York")


def quarter_hours(last: int) -> st.SearchStrategy[int]:
    """A start, in quarter hours after local midnight, up to `last`: a few hot spots (10:00, 10:30, 11:00,
    12:00, 13:00, 14:00) make conflicts likely within a short run; the range covers the opening and closing
    edges."""
    return st.one_of(st.sampled_from([40, 42, 44, 48, 52, 56]), st.integers(32, last))


def wire(instant: datetime) -> str:
    """The contract's emission format `YYYY-MM-DDTHH:MM:SS.fffZ`."""
    utc = instant.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse(text: str) -> datetime:
    """Parse an RFC 3339 date-time (any offset) to an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


def tomorrow() -> date:
    """The first UTC date on which every slot is hours ahead (design §8 #68: book a day ahead)."""
    return (now() + timedelta(days=1)).date()

"""Strategies for request payloads that are valid for the domain, not only for the schema.

Values are built bottom-up from their parts (a window from a start and a length, a name from a tag and a
suffix) so that every draw is valid and shrinks towards a simple value; nothing is filtered.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

_UTC = dt.timezone.utc
_NAME_ALPHABET = st.characters(codec="utf-8", categories=("L", "N", "Zs"), exclude_characters="\u2028\u2029")
_SAFE_LOCAL = string.ascii_lowercase + string.digits
TIME_ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")


def _check_size(min_size: int, max_size: int, upper: int) -> None:
    if not 1 <= min_size <= max_size <= upper:
        raise InvalidArgument(f"need 1 <= min_size={min_size} <= max_size={max_size} <= {upper}")


def names(*, tag: str = "", min_size: int = 1, max_size: int = 200) -> st.SearchStrategy[str]:
    """Display names: `tag` + space + printable letters/digits, `min_size`..`max_size` code points long."""
    _check_size(min_size, max_size, 200)
    prefix = f"{tag} " if tag else ""
    if len(prefix) + 1 > max_size:
        raise InvalidArgument(f"tag {tag!r} leaves no room within max_size={max_size}")
    low = max(1, min_size - len(prefix))
    suffix = st.text(_NAME_ALPHABET, min_size=low, max_size=max_size - len(prefix))
    return suffix.map(lambda text: prefix + (text.strip() or "x"))


def emails(*, tag: str = "") -> st.SearchStrategy[str]:
    """Addresses matching the contract's pattern `^[^@ \\t\\r\\n]+@[^@ \\t\\r\\n]+$`, unique-ish per draw."""
    local = st.text(_SAFE_LOCAL, min_size=1, max_size=20)
    prefix = f"{tag.lower()}-" if tag else ""
    return st.builds(lambda part, n: f"{prefix}{part}.{n}@example.com", local, st.integers(0, 10**9))


def phones() -> st.SearchStrategy[str]:
    """E.164-style phone numbers (at most 16 characters, within the contract's 32)."""
    return st.integers(10**7, 10**14).map(lambda number: f"+{number}")


def customers(*, tag: str = "", with_email: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """CreatePublicCustomerRequest bodies (always with an email or a phone, as the `anyOf` demands)."""
    contact = (
        st.fixed_dictionaries({"email": emails(tag=tag)}, optional={"phone": phones()})
        if with_email
        else st.fixed_dictionaries({"phone": phones()})
    )
    flags = st.fixed_dictionaries({}, optional={"optInEmail": st.booleans(), "optInSms": st.booleans()})
    return st.builds(lambda name, c, f: {"name": name, **c, **f}, names(tag=tag), contact, flags)


def locations(*, tag: str = "") -> st.SearchStrategy[dict[str, Any]]:
    """CreatePublicBusinessLocationRequest bodies with a real IANA zone and optional address fields."""
    address = st.fixed_dictionaries(
        {},
        optional={
            "city": st.sampled_from(["Berlin", "Zürich", "Tōkyō"]),
            "postalCode": st.from_regex(r"\A[0-9]{5}\Z"),
            "country": st.sampled_from(["DE", "CH", "JP", "US"]),
            "phone": phones(),
        },
    )
    return st.builds(
        lambda name, zone, extra: {"name": name, "timeZone": zone, **extra},
        names(tag=tag, max_size=200),
        st.sampled_from(TIME_ZONES),
        address,
    )


def resource_types(*, tag: str = "") -> st.SearchStrategy[dict[str, Any]]:
    """CreatePublicResourceTypeRequest bodies (names up to 100 code points)."""
    return st.builds(
        lambda name, description: {"name": name, "description": description},
        names(tag=tag, max_size=100),
        st.none() | st.text(max_size=200),
    )


def staff_members(*, tag: str = "") -> st.SearchStrategy[dict[str, Any]]:
    """CreatePublicStaffMemberRequest bodies (no location assignments)."""
    return st.builds(
        lambda name, email, title: {"name": name, "email": email, "title": title},
        names(tag=tag),
        emails(tag=tag),
        st.none() | st.text(_NAME_ALPHABET, min_size=1, max_size=100),
    )


def note_bodies(*, min_size: int = 1, max_size: int = 4000) -> st.SearchStrategy[dict[str, str]]:
    """CreatePublicCustomerNoteRequest bodies with a body that is not whitespace-only."""
    _check_size(min_size, max_size, 4000)
    return st.builds(
        lambda head, rest: {"body": (head + rest)[:max_size]},
        st.text(_SAFE_LOCAL, min_size=1, max_size=1),
        st.text(max_size=max_size - 1),
    )


def time_windows(
    *,
    min_start: dt.datetime,
    max_start: dt.datetime,
    min_minutes: int = 15,
    max_minutes: int = 240,
    step_minutes: int = 15,
) -> st.SearchStrategy[tuple[dt.datetime, dt.datetime]]:
    """Half-open UTC windows [start, end) on a `step_minutes` grid, built from a start and a length."""
    if min_start.tzinfo is None or max_start.tzinfo is None:
        raise InvalidArgument("min_start and max_start must be timezone-aware")
    if not 0 < min_minutes <= max_minutes or step_minutes <= 0 or min_start > max_start:
        raise InvalidArgument(
            "need 0 < min_minutes <= max_minutes, step_minutes > 0 and min_start <= max_start"
        )
    base = min_start.astimezone(_UTC).replace(second=0, microsecond=0)
    steps = int((max_start - base).total_seconds() // (step_minutes * 60))
    lengths = st.integers(
        _ceil_steps(min_minutes, step_minutes),
        max(_ceil_steps(min_minutes, step_minutes), max_minutes // step_minutes),
    )
    return st.builds(
        lambda k, n: (
            base + dt.timedelta(minutes=k * step_minutes),
            base + dt.timedelta(minutes=(k + n) * step_minutes),
        ),
        st.integers(0, max(0, steps)),
        lengths,
    )


def _ceil_steps(value: int, step: int) -> int:
    """Smallest number of `step`s covering `value` (at least one)."""
    return max(1, -(-value // step))


def business_hours(*, opens_from: int = 6, closes_by: int = 22) -> st.SearchStrategy[dict[str, Any]]:
    """UpdatePublicBusinessHoursRequest bodies: per day at most one non-empty interval within the bounds."""
    if not 0 <= opens_from < closes_by <= 23:
        raise InvalidArgument(f"need 0 <= opens_from={opens_from} < closes_by={closes_by} <= 23")
    interval = st.integers(opens_from, closes_by - 1).flatmap(
        lambda opens: st.integers(opens + 1, closes_by).map(lambda closes: (opens, closes))
    )
    days = st.dictionaries(st.integers(0, 6), interval, max_size=7)
    return days.map(
        lambda week: {
            "entries": [
                {"dayOfWeek": day, "opensAt": f"{opens:02d}:00:00", "closesAt": f"{closes:02d}:00:00"}
                for day, (opens, closes) in sorted(week.items())
            ]
        }
    )

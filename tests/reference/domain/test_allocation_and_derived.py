"""Unit tests of resource allocation (§8 #31) and derived booking fields (B9, §8 #28, #37)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from caldasa_reference.domain.allocation import ResourceUnavailable, allocate
from caldasa_reference.domain.availability import ResourcePool, ResourceUnit
from caldasa_reference.domain.derived import booking_summary, service_name, sort_items
from caldasa_reference.domain.timeline import Interval, format_instant, normalise_instant, parse_instant

START = datetime(2027, 5, 3, 8, tzinfo=timezone.utc)
SLOT = Interval(START, START + timedelta(hours=1))
HELD = [Interval(START + timedelta(minutes=30), START + timedelta(hours=2))]


def pool(quantity: int = 1, busy_b: bool = False) -> ResourcePool:
    units = [ResourceUnit("id-a", "Alpha"), ResourceUnit("id-b", "Beta", HELD if busy_b else ())]
    return ResourcePool("room", quantity, units)


def test_auto_allocation_takes_free_units_in_name_order() -> None:
    assert allocate([pool()], {}, SLOT) == ["id-a"]
    assert allocate([pool(2)], {}, SLOT) == ["id-a", "id-b"]


def test_pinned_units_come_first_and_the_rest_is_auto_allocated() -> None:
    assert allocate([pool(2)], {"room": ["id-b"]}, SLOT) == ["id-b", "id-a"]


def test_busy_pinned_unit_or_too_few_free_units_raise() -> None:
    with pytest.raises(ResourceUnavailable):
        allocate([pool(busy_b=True)], {"room": ["id-b"]}, SLOT)
    with pytest.raises(ResourceUnavailable):
        allocate([pool(2, busy_b=True)], {}, SLOT)
    assert allocate(
        [pool(busy_b=True)], {}, Interval(START + timedelta(hours=2), START + timedelta(hours=3))
    ) == ["id-a"]


def test_service_name_uses_an_en_dash() -> None:
    assert service_name("Haircut", "60 min") == "Haircut \u2013 60 min"


def test_booking_summary_and_item_order() -> None:
    items = [
        {
            "startsAt": "2027-05-03T10:00:00.000Z",
            "endsAt": "2027-05-03T11:00:00.000Z",
            "priceCents": 1500,
            "n": 0,
        },
        {
            "startsAt": "2027-05-03T08:00:00.000Z",
            "endsAt": "2027-05-03T08:30:00.000Z",
            "priceCents": 500,
            "n": 1,
        },
        {
            "startsAt": "2027-05-03T10:00:00.000Z",
            "endsAt": "2027-05-03T10:15:00.000Z",
            "priceCents": 0,
            "n": 2,
        },
    ]
    assert [item["n"] for item in sort_items(items)] == [1, 0, 2]  # ties keep request order
    assert booking_summary(items) == {
        "startsAt": "2027-05-03T08:00:00.000Z",
        "endsAt": "2027-05-03T11:00:00.000Z",
        "totalCents": 2000,
    }


def test_instants_normalise_to_utc_milliseconds() -> None:
    assert normalise_instant("2027-05-03T10:00:00.123456+02:00") == "2027-05-03T08:00:00.123Z"
    assert format_instant(parse_instant("2027-05-03T08:00:00Z")) == "2027-05-03T08:00:00.000Z"


def test_years_before_1000_keep_four_digits() -> None:
    assert normalise_instant("0294-03-01T10:28:33.77+08:23") == "0294-03-01T02:05:33.770Z"

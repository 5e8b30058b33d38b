"""listAvailabilitySlots over HTTP (design §8 #25–#27, A1–A4, B3–B6, T10)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from tests.reference.domain.salon import BERLIN, Salon, build_salon, ok


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_slots_lie_on_the_local_grid_inside_hours_and_shifts(salon: Salon) -> None:
    slots = salon.slots()
    starts = sorted({slot["startsAt"] for slot in slots})
    assert starts[0] == salon.at(8)
    assert starts[-1] == salon.at(17)
    assert len(starts) == 37  # 08:00 … 17:00 every 15 minutes
    for slot in slots:
        start, end = parse(slot["startsAt"]), parse(slot["endsAt"])
        assert end - start == timedelta(minutes=60)
        assert start.astimezone(BERLIN).date() == salon.day
        assert start.minute % 15 == 0
        assert slot["staffMemberName"].startswith("Stylist")


def test_slots_are_sorted_without_duplicates_and_echo_the_query(salon: Salon) -> None:
    params = {"reservableVariantId": salon.variant_id, "businessLocationId": salon.location_id}
    body = ok(salon.client.get("/availability", params={**params, "date": salon.day.isoformat()}))
    keys = [(slot["startsAt"], slot["staffMemberId"]) for slot in body["slots"]]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys)) == 2 * 37
    assert body["timeZone"] == "Europe/Berlin"
    assert body["durationMinutes"] == 60
    assert body["date"] == salon.day.isoformat()
    assert body["reservableVariantId"] == salon.variant_id


@pytest.mark.parametrize("field", ["reservableVariantId", "businessLocationId", "staffMemberId"])
def test_unknown_ids_are_400_naming_the_parameter(salon: Salon, field: str) -> None:
    params = {
        "reservableVariantId": salon.variant_id,
        "businessLocationId": salon.location_id,
        "date": salon.day.isoformat(),
        field: "00000000-0000-4000-8000-000000000000",
    }
    response = salon.client.get("/availability", params=params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_ids_of_another_tenant_are_400(salon: Salon, other_tenant: httpx.Client) -> None:
    params = {
        "reservableVariantId": salon.variant_id,
        "businessLocationId": salon.location_id,
        "date": "2027-01-05",
    }
    response = other_tenant.get("/availability", params=params)
    assert response.status_code == 400


def test_inactive_location_and_far_or_past_dates_give_empty_slots(salon: Salon) -> None:
    today = datetime.now(BERLIN).date()
    assert salon.slots(day=today - timedelta(days=1)) == []
    assert salon.slots(day=today + timedelta(days=366)) == []
    ok(salon.client.patch(f"/locations/{salon.location_id}", json={"isActive": False}))
    assert salon.slots() == []


def test_booking_removes_overlapping_slots_of_that_staff_only(salon: Salon) -> None:
    first, second = salon.staff_ids
    ok(salon.book(salon.at(10), first), 201)
    mine, theirs = salon.starts(first), salon.starts(second)
    gone = {salon.at(9, 15), salon.at(9, 30), salon.at(9, 45), salon.at(10), salon.at(10, 45)}
    assert not gone & mine
    assert salon.at(9) in mine
    assert salon.at(11) in mine
    assert gone <= theirs


def test_block_removes_slots(salon: Salon) -> None:
    staff = salon.staff_ids[0]
    block = {"startsAt": salon.at(12), "endsAt": salon.at(13)}
    ok(salon.client.post(f"/staff/{staff}/blocks", json=block), 201)
    starts = salon.starts(staff)
    assert salon.at(11) in starts
    assert salon.at(13) in starts
    assert not {salon.at(11, 15), salon.at(12), salon.at(12, 45)} & starts


def test_staff_filter_and_shift_bounds(api: httpx.Client) -> None:
    salon = build_salon(api, staff=1)
    staff = salon.staff_ids[0]
    assert {slot["staffMemberId"] for slot in salon.slots(staff)} == {staff}
    other_day = salon.day + timedelta(days=1)  # no shift that day
    assert salon.slots(day=other_day) == []


def test_resources_limit_concurrency_across_staff(api: httpx.Client) -> None:
    salon = build_salon(api, units=1)
    ok(salon.book(salon.at(10), salon.staff_ids[0]), 201)
    assert salon.at(10) not in salon.starts(salon.staff_ids[1])
    assert salon.at(11) in salon.starts(salon.staff_ids[1])


def test_reservable_without_staff_lists_null_staff(api: httpx.Client) -> None:
    salon = build_salon(api, staff=0, requires_staff=False, units=1)
    slots = salon.slots()
    assert slots
    assert {slot["staffMemberId"] for slot in slots} == {None}


@pytest.mark.parametrize(
    ("day", "first_utc"),
    [(date(2027, 3, 28), "2027-03-28T06:00:00.000Z"), (date(2027, 10, 31), "2027-10-31T07:00:00.000Z")],
)
def test_dst_transition_days_use_local_hours(api: httpx.Client, day: date, first_utc: str) -> None:
    salon = build_salon(api, staff=1, day=day)
    starts = sorted(salon.starts())
    assert starts[0] == first_utc == salon.at(8)
    assert len(starts) == 37

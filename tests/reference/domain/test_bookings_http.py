"""createBooking / getBooking / listBookings over HTTP (design §4.1 B1–B12, §8 #28–#37)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.reference.domain.salon import Salon, assert_names_field, build_salon, ok


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def minutes_between(start: str, end: str) -> float:
    return (parse(end) - parse(start)).total_seconds() / 60


def conflict_code(response: httpx.Response) -> tuple[int, Any, Any]:
    body = response.json()
    return response.status_code, body.get("code"), body.get("itemIndex")


def test_create_returns_201_with_location_and_derived_fields(salon: Salon) -> None:
    response = salon.book(salon.at(10), salon.staff_ids[0], notes="Window seat")
    booking = ok(response, 201)
    assert response.headers["Location"] == f"/bookings/{booking['id']}"
    [item] = booking["items"]
    assert item["startsAt"] == booking["startsAt"] == salon.at(10)
    assert minutes_between(item["startsAt"], item["endsAt"]) == 60
    assert booking["endsAt"] == item["endsAt"]
    assert item["priceCents"] == booking["totalCents"] == 4000
    assert item["serviceName"].startswith("Haircut ")
    assert item["serviceName"].endswith(" \u2013 60 min")
    assert booking["status"] == "Confirmed"
    assert booking["completedAt"] is None
    assert booking["publicId"].startswith("BK-")
    assert booking["customerId"]
    assert booking["notes"] == "Window seat"
    assert ok(salon.client.get(f"/bookings/{booking['id']}")) == booking


def test_same_staff_same_slot_twice_is_409_slot_unavailable(salon: Salon) -> None:
    staff = salon.staff_ids[0]
    ok(salon.book(salon.at(10), staff), 201)
    assert conflict_code(salon.book(salon.at(10, 30), staff)) == (409, "slot_unavailable", 0)
    listed = ok(salon.client.get("/bookings", params={"staffMemberId": staff}))
    assert listed["totalCount"] == 1


def test_null_staff_gets_lowest_open_id_then_the_next(salon: Salon) -> None:
    first = ok(salon.book(salon.at(10)), 201)["items"][0]["staffMemberId"]
    second = ok(salon.book(salon.at(10)), 201)["items"][0]["staffMemberId"]
    assert [first, second] == salon.staff_ids
    assert conflict_code(salon.book(salon.at(10))) == (409, "slot_unavailable", 0)


@pytest.mark.parametrize(("hour", "minute"), [(10, 7), (7, 0), (17, 30), (18, 0)])
def test_off_grid_or_outside_hours_is_409(salon: Salon, hour: int, minute: int) -> None:
    assert conflict_code(salon.book(salon.at(hour, minute), salon.staff_ids[0]))[:2] == (
        409,
        "slot_unavailable",
    )


def test_semantic_400s_name_the_field(salon: Salon) -> None:
    cases = {
        "items[0].startsAt": salon.booking_body("2020-01-01T10:00:00.000Z"),
        "items[0].reservableVariantId": salon.booking_body(
            salon.at(10), item={"reservableVariantId": salon.location_id}
        ),
        "items[0].staffMemberId": salon.booking_body(salon.at(10), salon.variant_id),
        "businessLocationId": salon.booking_body(salon.at(10), businessLocationId=salon.variant_id),
        "customerId": salon.booking_body(salon.at(10), customerId=salon.variant_id),
        "customerEmail": salon.booking_body(salon.at(10), customerEmail="not-an-email"),
    }
    for field, body in cases.items():
        response = salon.client.post("/bookings", json=body)
        assert_names_field(response, field)


def test_overlapping_items_of_one_staff_are_400(salon: Salon) -> None:
    body = salon.booking_body(salon.at(10), salon.staff_ids[0])
    body["items"].append({**body["items"][0], "startsAt": salon.at(10, 30)})
    response = salon.client.post("/bookings", json=body)
    assert response.status_code == 400
    assert "items[1].startsAt" in response.json()["errors"]


def test_multi_item_booking_is_all_or_nothing(salon: Salon) -> None:
    staff = salon.staff_ids[0]
    ok(salon.book(salon.at(14), staff), 201)
    body = salon.booking_body(salon.at(10), staff)
    body["items"].append({**body["items"][0], "startsAt": salon.at(14)})
    assert conflict_code(salon.client.post("/bookings", json=body)) == (409, "slot_unavailable", 1)
    assert salon.at(10) in salon.starts(staff)


def test_multi_item_booking_sorts_items_and_sums(salon: Salon) -> None:
    body = salon.booking_body(salon.at(12), salon.staff_ids[0])
    body["items"].append({**body["items"][0], "startsAt": salon.at(10)})
    booking = ok(salon.client.post("/bookings", json=body), 201)
    assert [item["startsAt"] for item in booking["items"]] == [salon.at(10), salon.at(12)]
    assert booking["startsAt"] == salon.at(10)
    assert booking["endsAt"] == salon.at(13)
    assert booking["totalCents"] == 8000


def test_customer_linkage_by_case_insensitive_email(salon: Salon) -> None:
    first = ok(salon.book(salon.at(10), customerEmail="Grace@Example.com"), 201)
    second = ok(salon.book(salon.at(11), customerEmail="grace@example.COM", optInSms=True), 201)
    assert first["customerId"] == second["customerId"]
    customer = ok(salon.client.get(f"/customers/{first['customerId']}"))
    assert customer["email"] == "Grace@Example.com"
    assert customer["optInSms"] is True
    assert second["customerEmail"] == "grace@example.COM"


def test_customer_id_snapshot_copies_contact_fields(salon: Salon) -> None:
    customer = ok(salon.client.post("/customers", json={"name": "Alan", "email": "alan@example.com"}), 201)
    body = {k: v for k, v in salon.booking_body(salon.at(10)).items() if not k.startswith("customer")}
    booking = ok(salon.client.post("/bookings", json={**body, "customerId": customer["id"]}), 201)
    assert booking["customerId"] == customer["id"]
    assert (booking["customerName"], booking["customerEmail"]) == ("Alan", "alan@example.com")


def test_create_records_activity_outbox_and_lists_newest_first(salon: Salon) -> None:
    first = ok(salon.book(salon.at(10)), 201)
    second = ok(salon.book(salon.at(12)), 201)
    outbox = ok(salon.client.get("/_testing/outbox", params={"bookingId": first["id"]}))["items"]
    assert [entry["template"] for entry in outbox] == ["BookingConfirmation"]
    activities = ok(salon.client.get(f"/customers/{first['customerId']}/activities"))["items"]
    assert [a["kind"] for a in activities] == ["BookingCreated"]
    assert activities[0]["bookingId"] == first["id"]
    listed = ok(salon.client.get("/bookings", params={"businessLocationId": salon.location_id}))["items"]
    assert [b["id"] for b in listed] == [second["id"], first["id"]]


def test_list_filters(salon: Salon) -> None:
    a = ok(salon.book(salon.at(10), salon.staff_ids[0]), 201)
    b = ok(salon.book(salon.at(12), salon.staff_ids[1]), 201)
    ok(salon.client.post(f"/bookings/{b['id']}/cancel"))

    def ids(**params: Any) -> list[str]:
        params["businessLocationId"] = salon.location_id
        return [booking["id"] for booking in ok(salon.client.get("/bookings", params=params))["items"]]

    assert ids(status="Cancelled") == [b["id"]]
    assert ids(status=["Confirmed", "Cancelled"]) == [
        b["id"],
        a["id"],
    ]
    assert ids(staffMemberId=salon.staff_ids[0]) == [a["id"]]
    assert ids(customerId=b["customerId"]) == [b["id"]]
    assert ids(**{"from": salon.at(11), "to": salon.at(13)}) == [b["id"]]


def test_idempotency_key_replays_and_rejects_a_different_body(salon: Salon) -> None:
    body = salon.booking_body(salon.at(10), salon.staff_ids[0])
    headers = {"Idempotency-Key": f"key-{salon.location_id}"}
    first = salon.client.post("/bookings", json=body, headers=headers)
    replay = salon.client.post("/bookings", json=body, headers=headers)
    assert (first.status_code, replay.status_code) == (201, 201)
    assert first.json() == replay.json()
    assert replay.headers["Location"] == first.headers["Location"]
    assert (
        ok(salon.client.get("/bookings", params={"businessLocationId": salon.location_id}))["totalCount"] == 1
    )
    other = salon.client.post("/bookings", json={**body, "notes": "x"}, headers=headers)
    assert other.status_code == 409  # slot_unavailable wins over idempotency_key_reused (§8 #38 precedence)
    other = salon.client.post("/bookings", json=salon.booking_body(salon.at(14)), headers=headers)
    assert conflict_code(other)[:2] == (409, "idempotency_key_reused")


def test_ids_of_another_tenant_are_400(salon: Salon, other_tenant: httpx.Client) -> None:
    response = other_tenant.post("/bookings", json=salon.booking_body(salon.at(10)))
    assert response.status_code == 400
    assert "businessLocationId" in response.json()["errors"]
    booking = ok(salon.book(salon.at(10)), 201)
    assert other_tenant.get(f"/bookings/{booking['id']}").status_code == 404


def test_unknown_booking_is_404(api: httpx.Client) -> None:
    assert api.get("/bookings/00000000-0000-4000-8000-000000000000").json()["code"] == "not_found"


def test_bookings_at_least_a_day_ahead_for_a_week(api: httpx.Client) -> None:
    salon = build_salon(api, staff=1, days_ahead=1)
    assert ok(salon.book(salon.at(8)), 201)["startsAt"] == salon.at(8)
    assert salon.slots(day=salon.day + timedelta(days=1)) == []


def test_extreme_dates_never_yield_5xx(salon: Salon) -> None:
    for starts_at in ("9999-12-31T23:45:00.000Z", "9999-12-31T23:59:59.999+00:00"):
        assert salon.book(starts_at).status_code == 409
    for day in ("0001-01-01", "9999-12-31"):
        params = {
            "reservableVariantId": salon.variant_id,
            "businessLocationId": salon.location_id,
            "date": day,
        }
        assert ok(salon.client.get("/availability", params=params))["slots"] == []


def test_reservable_without_staff_books_with_null_staff(api: httpx.Client) -> None:
    salon = build_salon(api, staff=0, requires_staff=False, units=1)
    booking = ok(salon.book(salon.at(10)), 201)
    assert booking["items"][0]["staffMemberId"] is None
    assert conflict_code(salon.book(salon.at(10, 15)))[:2] == (409, "slot_unavailable")


def test_unassigned_staff_is_409(salon: Salon) -> None:
    staff = salon.staff_ids[0]
    assert salon.client.delete(f"/locations/{salon.location_id}/staff/{staff}").status_code == 204
    assert conflict_code(salon.book(salon.at(10), staff))[:2] == (409, "slot_unavailable")
    assert {slot["staffMemberId"] for slot in salon.slots()} == {salon.staff_ids[1]}

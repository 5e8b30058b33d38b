"""cancelBooking (C1–C4, §8 #35), resource allocation (B2, §8 #31) and deposits (B12, §8 #33) over HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.reference.domain.conftest import make_client
from tests.reference.domain.salon import Salon, assert_names_field, build_salon, ok


def code(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, response.json().get("code")


def state(client: httpx.Client, name: str, /, **params: Any) -> dict[str, Any]:
    return dict(ok(client.post("/_testing/states", json={"state": name, "params": params}))["ids"])


def test_cancel_frees_the_slot_and_is_sticky(salon: Salon) -> None:
    staff = salon.staff_ids[0]
    booking = ok(salon.book(salon.at(10), staff), 201)
    cancelled = ok(salon.client.post(f"/bookings/{booking['id']}/cancel"))
    assert cancelled["status"] == "Cancelled"
    assert cancelled["id"] == booking["id"]
    assert ok(salon.client.get(f"/bookings/{booking['id']}"))["status"] == "Cancelled"
    assert salon.at(10) in salon.starts(staff)
    ok(salon.book(salon.at(10), staff), 201)


def test_cancel_twice_is_409_and_unknown_is_404(salon: Salon) -> None:
    booking = ok(salon.book(salon.at(10)), 201)
    ok(salon.client.post(f"/bookings/{booking['id']}/cancel"))
    assert code(salon.client.post(f"/bookings/{booking['id']}/cancel")) == (409, "already_cancelled")
    unknown = salon.client.post("/bookings/00000000-0000-4000-8000-000000000000/cancel")
    assert code(unknown) == (404, "not_found")


def test_cancel_records_activity_outbox_and_respects_notify_customer(salon: Salon) -> None:
    quiet = ok(salon.book(salon.at(12)), 201)
    loud = ok(salon.book(salon.at(10)), 201)
    ok(salon.client.post(f"/bookings/{loud['id']}/cancel"))
    ok(salon.client.post(f"/bookings/{quiet['id']}/cancel", params={"notifyCustomer": "false"}))

    def templates(booking: dict[str, Any]) -> list[str]:
        outbox = ok(salon.client.get("/_testing/outbox", params={"bookingId": booking["id"]}))["items"]
        return [entry["template"] for entry in outbox]

    assert sorted(templates(loud)) == ["BookingCancellation", "BookingConfirmation"]
    assert templates(quiet) == ["BookingConfirmation"]
    kinds = [a["kind"] for a in ok(salon.client.get(f"/customers/{loud['customerId']}/activities"))["items"]]
    assert kinds == ["BookingCancelled", "BookingCreated"]


def test_completed_and_no_show_are_not_cancellable(salon: Salon) -> None:
    for name in ("booking-completed", "booking-no-show"):
        booking = ok(salon.book(salon.at(10 if name == "booking-completed" else 12)), 201)
        assert state(salon.client, name, bookingId=booking["id"]) == {"bookingId": booking["id"]}
        stored = ok(salon.client.get(f"/bookings/{booking['id']}"))
        assert (stored["completedAt"] is not None) == (stored["status"] == "Completed")
        assert code(salon.client.post(f"/bookings/{booking['id']}/cancel")) == (
            409,
            "booking_not_cancellable",
        )
        again = salon.client.post(
            "/_testing/states", json={"state": name, "params": {"bookingId": booking["id"]}}
        )
        assert code(again) == (409, "invalid_state")


def test_one_unit_is_never_double_allocated(api: httpx.Client) -> None:
    salon = build_salon(api, units=1)
    ok(salon.book(salon.at(10), salon.staff_ids[0]), 201)
    assert code(salon.book(salon.at(10, 30), salon.staff_ids[1])) == (409, "slot_unavailable")
    ok(salon.book(salon.at(11), salon.staff_ids[1]), 201)


def test_auto_allocation_by_name_and_pinned_units(api: httpx.Client) -> None:
    salon = build_salon(api, units=2)
    room0, room1 = salon.resource_ids
    first = ok(salon.book(salon.at(10), salon.staff_ids[0]), 201)
    held = ok(api.get("/bookings", params={"resourceId": room0}))["items"]
    assert [b["id"] for b in held] == [first["id"]]
    pin = {"resourceSelections": [{"resourceTypeId": salon.resource_type_id, "specificResourceId": room0}]}
    assert code(salon.book(salon.at(10), salon.staff_ids[1], item=pin)) == (409, "resource_unavailable")
    second = ok(salon.book(salon.at(10), salon.staff_ids[1]), 201)
    assert [b["id"] for b in ok(api.get("/bookings", params={"resourceId": room1}))["items"]] == [
        second["id"]
    ]


def test_invalid_resource_selections_are_400(api: httpx.Client) -> None:
    salon, other = build_salon(api, units=1), build_salon(api, units=1)
    cases = {
        "items[0].resourceSelections[0].resourceTypeId": {"resourceTypeId": other.resource_type_id},
        "items[0].resourceSelections[0].specificResourceId": {
            "resourceTypeId": salon.resource_type_id,
            "specificResourceId": other.resource_ids[0],
        },
    }
    for field, selection in cases.items():
        response = salon.book(salon.at(10), item={"resourceSelections": [selection]})
        assert_names_field(response, field)
    twice = [{"resourceTypeId": salon.resource_type_id}] * 2
    assert (
        "items[0].resourceSelections"
        in salon.book(salon.at(10), item={"resourceSelections": twice}).json()["errors"]
    )


def test_deposit_booking_is_pending_with_a_pending_deposit_order(api: httpx.Client) -> None:
    ids = state(api, "deposit-booking", depositCents=1500)
    booking = ok(api.get(f"/bookings/{ids['bookingId']}"))
    order = ok(api.get(f"/orders/{ids['orderId']}"))
    assert booking["status"] == "Pending"
    assert order["status"] == "Pending"
    assert order["bookingId"] == booking["id"]
    assert [(line["kind"], line["totalCents"]) for line in order["lineItems"]] == [("Deposit", 1500)]
    assert order["totalCents"] == 1500
    assert order["source"] == "Booking"
    assert state(api, "deposit-paid", bookingId=booking["id"]) == {
        "bookingId": booking["id"],
        "orderId": order["id"],
    }
    assert ok(api.get(f"/bookings/{booking['id']}"))["status"] == "Confirmed"
    paid = ok(api.get(f"/orders/{order['id']}"))
    assert paid["status"] == "Paid"
    assert paid["paidCents"] == 1500
    assert paid["paidAt"]


def test_cancelling_a_pending_deposit_booking_cancels_its_order(api: httpx.Client) -> None:
    ids = state(api, "deposit-booking")
    ok(api.post(f"/bookings/{ids['bookingId']}/cancel"))
    assert ok(api.get(f"/orders/{ids['orderId']}"))["status"] == "Cancelled"


def test_reservable_with_deposit_state_sets_the_variant_deposit(salon: Salon) -> None:
    params = {"name": "Colour", "durationMinutes": 30, "priceCents": 3000, "depositCents": 500}
    ids = state(salon.client, "reservable-with-deposit", businessLocationIds=[salon.location_id], **params)
    variants = ok(salon.client.get(f"/reservables/{ids['reservableId']}/variants"))["items"]
    assert [(v["id"], v["depositCents"]) for v in variants] == [(ids["reservableVariantId"], 500)]


def test_parallel_identical_creates_give_exactly_one_201(salon: Salon, api: httpx.Client) -> None:
    body = salon.booking_body(salon.at(10), salon.staff_ids[0])

    def create(_: int) -> int:
        with make_client(str(api.base_url)) as client:
            return client.post("/bookings", json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(create, range(8)))
    assert statuses == [201] + [409] * 7


def test_parallel_creates_for_one_unit_give_exactly_one_201(api: httpx.Client) -> None:
    salon = build_salon(api, staff=4, units=1)
    bodies = [salon.booking_body(salon.at(10), staff) for staff in salon.staff_ids]

    def create(body: dict[str, Any]) -> int:
        with make_client(str(api.base_url)) as client:
            return client.post("/bookings", json=body).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(create, bodies)) == [201, 409, 409, 409]


def test_core_protective_409s_see_booking_items(salon: Salon) -> None:
    staff = salon.staff_ids[0]
    ok(salon.book(salon.at(10), staff), 201)
    block = salon.client.post(
        f"/staff/{staff}/blocks", json={"startsAt": salon.at(10, 30), "endsAt": salon.at(11)}
    )
    assert code(block) == (409, "overlaps_booking")
    assert code(salon.client.delete(f"/staff/{staff}")) == (409, "in_use")

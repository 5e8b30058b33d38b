"""Each booking-domain fault switch changes behaviour in the way its registry entry says (faults.py)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.reference.domain.events_support import buy, new_event, new_tier, published_event, state
from tests.reference.domain.salon import build_salon, ok

Faulty = Callable[[str], httpx.Client]


def test_double_booking_staff_allows_a_second_booking(faulty: Faulty) -> None:
    salon = build_salon(faulty("double-booking-staff"), staff=1)
    ok(salon.book(salon.at(10)), 201)
    ok(salon.book(salon.at(10)), 201)


def test_double_allocation_resource_ignores_held_units(faulty: Faulty) -> None:
    salon = build_salon(faulty("double-allocation-resource"), units=1)
    ok(salon.book(salon.at(10), salon.staff_ids[0]), 201)
    ok(salon.book(salon.at(10), salon.staff_ids[1]), 201)


def test_availability_ignores_bookings_keeps_booked_slots(faulty: Faulty) -> None:
    salon = build_salon(faulty("availability-ignores-bookings"), staff=1)
    ok(salon.book(salon.at(10)), 201)
    assert salon.at(10) in salon.starts()
    assert salon.book(salon.at(10)).status_code == 409  # createBooking still checks


def test_availability_ignores_blocks_in_availability_and_create(faulty: Faulty) -> None:
    salon = build_salon(faulty("availability-ignores-blocks"), staff=1)
    block = {"startsAt": salon.at(12), "endsAt": salon.at(13)}
    ok(salon.client.post(f"/staff/{salon.staff_ids[0]}/blocks", json=block), 201)
    assert salon.at(12) in salon.starts()
    ok(salon.book(salon.at(12)), 201)


def test_cancel_not_sticky_answers_cancelled_but_keeps_the_booking(faulty: Faulty) -> None:
    salon = build_salon(faulty("cancel-not-sticky"), staff=1)
    booking = ok(salon.book(salon.at(10)), 201)
    assert ok(salon.client.post(f"/bookings/{booking['id']}/cancel"))["status"] == "Cancelled"
    assert ok(salon.client.get(f"/bookings/{booking['id']}"))["status"] == "Confirmed"
    assert salon.at(10) not in salon.starts()


def test_cancel_twice_allowed_answers_200(faulty: Faulty) -> None:
    salon = build_salon(faulty("cancel-twice-allowed"), staff=1)
    booking = ok(salon.book(salon.at(10)), 201)
    ok(salon.client.post(f"/bookings/{booking['id']}/cancel"))
    assert ok(salon.client.post(f"/bookings/{booking['id']}/cancel"))["status"] == "Cancelled"


def test_event_republish_publishes_a_cancelled_event(faulty: Faulty) -> None:
    client = faulty("event-republish")
    event_id, _ = published_event(client)
    ok(client.post(f"/events/{event_id}/publish"))
    ok(client.post(f"/events/{event_id}/cancel"))
    assert ok(client.post(f"/events/{event_id}/publish"))["status"] == "Published"


def test_ticket_oversell_sells_past_capacity(faulty: Faulty) -> None:
    client = faulty("ticket-oversell")
    event = new_event(client)
    tier = new_tier(client, event["id"], capacity=1)
    ok(client.post(f"/events/{event['id']}/publish"))
    buy(client, event["id"], tier["id"], 3)
    assert ok(client.get(f"/events/{event['id']}/ticket-sales-report"))["ticketsSold"] == 3


def test_redeem_twice_never_answers_already_redeemed(faulty: Faulty) -> None:
    client = faulty("redeem-twice")
    event_id, tier_id = published_event(client)
    ticket_code = buy(client, event_id, tier_id)["tickets"][0]["code"]
    ok(client.post("/tickets/redeem", json={"code": ticket_code}))
    ok(client.post("/tickets/redeem", json={"code": ticket_code}))


def test_clean_server_refuses_what_the_faults_allow(api: httpx.Client) -> None:
    event_id, _ = published_event(api)
    ok(api.post(f"/events/{event_id}/cancel"))
    assert api.post(f"/events/{event_id}/publish").status_code == 409
    event = new_event(api)
    tier = new_tier(api, event["id"], capacity=1)
    ok(api.post(f"/events/{event['id']}/publish"))
    lines = [{"ticketTypeId": tier["id"], "quantity": 3}]
    assert state(api, "ticket-order", eventId=event["id"], lines=lines).status_code == 409

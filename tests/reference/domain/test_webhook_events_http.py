"""The booking domain records webhook events for subscribers (design §3.15 catalogue, §8 #61)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.reference.domain.events_support import buy, published_event
from tests.reference.domain.salon import build_salon, ok

DOMAIN_TYPES = [
    "booking.cancelled",
    "booking.completed",
    "booking.created",
    "customer.created",
    "event.cancelled",
    "event.published",
    "ticket.redeemed",
    "ticket_order.cancelled",
    "ticket_order.created",
]


@pytest.fixture
def subscription(api: httpx.Client) -> Iterator[str]:
    """A webhook subscribed to every booking-domain event type (deliveries to a closed port just fail)."""
    body = {"url": "https://127.0.0.1:9/hook", "eventTypes": DOMAIN_TYPES}
    webhook_id = str(ok(api.post("/webhooks", json=body), 201)["id"])
    yield webhook_id
    api.delete(f"/webhooks/{webhook_id}")


def delivered_types(api: httpx.Client, webhook_id: str) -> list[str]:
    page = ok(api.get(f"/webhooks/{webhook_id}/deliveries", params={"pageSize": 100}))
    return sorted(delivery["eventType"] for delivery in page["items"])


def test_booking_lifecycle_events(api: httpx.Client, subscription: str) -> None:
    salon = build_salon(api, staff=1)
    first = ok(salon.book(salon.at(10)), 201)
    second = ok(salon.book(salon.at(12)), 201)
    ok(api.post(f"/bookings/{first['id']}/cancel"))
    ok(
        api.post(
            "/_testing/states", json={"state": "booking-completed", "params": {"bookingId": second["id"]}}
        )
    )
    types = delivered_types(api, subscription)
    assert types == sorted(
        ["booking.created"] * 2 + ["customer.created"] * 2 + ["booking.cancelled", "booking.completed"]
    )


def test_event_and_ticket_events(api: httpx.Client, subscription: str) -> None:
    event_id, tier_id = published_event(api)
    order = buy(api, event_id, tier_id, 2)
    ok(api.post("/tickets/redeem", json={"code": order["tickets"][0]["code"]}))
    ok(api.post(f"/events/{event_id}/cancel"))
    second_event, second_tier = published_event(api)
    other = buy(api, second_event, second_tier)
    ok(api.post(f"/events/{second_event}/ticket-orders/{other['ticketOrderId']}/cancel", json={}))
    types = delivered_types(api, subscription)
    assert types.count("event.published") == 2
    assert types.count("ticket_order.created") == 2
    assert {"ticket.redeemed", "event.cancelled", "ticket_order.cancelled"} <= set(types)

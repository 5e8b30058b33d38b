"""Events and ticket types over HTTP (design §4.4 E1–E5, §8 #46, #49, #50, #52–#54)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.reference.domain.events_support import buy, future, new_event, new_tier, published_event, state
from tests.reference.domain.salon import ok


def code(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, response.json().get("code")


def test_create_is_draft_with_location_header(api: httpx.Client) -> None:
    response = api.post("/events", json={"name": "Gala", "startsAt": future(5), "endsAt": future(5, 2)})
    event = ok(response, 201)
    assert response.headers["Location"] == f"/events/{event['id']}"
    assert (event["status"], event["publishedAt"], event["cancelledAt"], event["updatedAt"]) == (
        "Draft",
        None,
        None,
        None,
    )
    assert event["ticketTypes"] == []
    assert event["attendees"] == []
    assert event["bookingSummary"]["ticketsSold"] == 0
    assert ok(api.get(f"/events/{event['id']}")) == event


def test_create_semantic_400s(api: httpx.Client) -> None:
    past = api.post("/events", json={"name": "x", "startsAt": "2020-01-01T00:00:00Z", "endsAt": future(1)})
    backwards = api.post("/events", json={"name": "x", "startsAt": future(2), "endsAt": future(1)})
    nowhere = {
        "name": "x",
        "startsAt": future(1),
        "endsAt": future(2),
        "businessLocationId": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
    }
    assert "startsAt" in past.json()["errors"]
    assert "endsAt" in backwards.json()["errors"]
    assert "businessLocationId" in api.post("/events", json=nowhere).json()["errors"]


def test_state_machine_publish_and_cancel(api: httpx.Client) -> None:
    event = new_event(api)
    assert code(api.post(f"/events/{event['id']}/publish")) == (409, "no_ticket_types")
    new_tier(api, event["id"])
    published = ok(api.post(f"/events/{event['id']}/publish"))
    assert published["status"] == "Published"
    assert published["publishedAt"]
    assert code(api.post(f"/events/{event['id']}/publish")) == (409, "event_not_draft")
    cancelled = ok(api.post(f"/events/{event['id']}/cancel"))
    assert cancelled["status"] == "Cancelled"
    assert cancelled["cancelledAt"]
    assert cancelled["publishedAt"]
    assert code(api.post(f"/events/{event['id']}/cancel")) == (409, "already_cancelled")
    assert code(api.post(f"/events/{event['id']}/publish")) == (409, "event_not_draft")


def test_cancelled_event_refuses_every_write(api: httpx.Client) -> None:
    event = new_event(api)
    tier = new_tier(api, event["id"])
    ok(api.post(f"/events/{event['id']}/cancel"))
    base = f"/events/{event['id']}"
    assert code(api.patch(base, json={"name": "New"})) == (409, "event_cancelled")
    assert code(api.patch(base, json={})) == (409, "event_cancelled")
    assert code(api.post(f"{base}/ticket-types", json={"name": "B", "priceCents": 1, "capacity": 1})) == (
        409,
        "event_cancelled",
    )
    assert code(api.patch(f"{base}/ticket-types/{tier['id']}", json={"capacity": 5})) == (
        409,
        "event_cancelled",
    )
    assert code(api.delete(f"{base}/ticket-types/{tier['id']}")) == (409, "event_cancelled")


def test_ended_draft_event_cannot_be_published(api: httpx.Client) -> None:
    ids = ok(state(api, "ended-draft-event"))["ids"]
    assert code(api.post(f"/events/{ids['eventId']}/publish")) == (409, "event_ended")


def test_update_event_patch_semantics(api: httpx.Client) -> None:
    event = new_event(api, capacity=50)
    assert ok(api.patch(f"/events/{event['id']}", json={"name": None}))["updatedAt"] is None
    updated = ok(api.patch(f"/events/{event['id']}", json={"name": "Renamed", "capacity": None}))
    assert (updated["name"], updated["capacity"]) == ("Renamed", 50)
    assert updated["updatedAt"]
    backwards = api.patch(f"/events/{event['id']}", json={"endsAt": future(9)})
    assert "endsAt" in backwards.json()["errors"]


def test_capacity_and_price_locks_after_sales(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    buy(api, event_id, tier_id, 3)
    tier_path = f"/events/{event_id}/ticket-types/{tier_id}"
    assert code(api.patch(tier_path, json={"capacity": 2})) == (409, "capacity_below_sold")
    assert code(api.patch(tier_path, json={"priceCents": 999})) == (409, "price_locked")
    assert code(api.patch(f"/events/{event_id}", json={"capacity": 2})) == (409, "capacity_below_sold")
    assert code(api.delete(tier_path)) == (409, "tickets_sold")
    assert ok(api.patch(tier_path, json={"capacity": 3}))["remaining"] == 0


def test_ticket_type_rules(api: httpx.Client) -> None:
    event = new_event(api)
    tier = new_tier(api, event["id"], name="GA")
    base = f"/events/{event['id']}/ticket-types"
    assert code(api.post(base, json={"name": "GA", "priceCents": 1, "capacity": 1})) == (
        409,
        "duplicate_name",
    )
    late = api.post(base, json={"name": "Late", "priceCents": 1, "capacity": 1, "salesEndAt": future(30)})
    assert "salesEndAt" in late.json()["errors"]
    assert ok(api.patch(f"{base}/{tier['id']}", json={"priceCents": 999}))["priceCents"] == 999
    assert api.delete(f"{base}/{tier['id']}").status_code == 204
    assert code(api.delete(f"{base}/{tier['id']}")) == (404, "not_found")
    assert ok(api.get(base))["items"] == []


def test_counters_agree_across_views(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api, capacity=10)
    second = new_tier(api, event_id, capacity=5, priceCents=1000)
    buy(api, event_id, tier_id, 2)
    order = buy(api, event_id, second["id"], 1)
    ok(api.post(f"/events/{event_id}/ticket-orders/{order['ticketOrderId']}/cancel", json={"refund": True}))
    detail = ok(api.get(f"/events/{event_id}"))
    report = ok(api.get(f"/events/{event_id}/ticket-sales-report"))
    summary = detail["bookingSummary"]
    assert detail["ticketsSold"] == summary["ticketsSold"] == report["ticketsSold"] == 2
    assert summary["capacity"] == report["capacity"] == 15
    assert summary["ticketsRemaining"] == 13
    assert summary["grossCents"] == report["grossCents"] == report["netCents"] == 5000
    assert report["refundedCents"] == 1000
    assert (report["ordersCount"], report["cancelledOrdersCount"]) == (
        1,
        1,
    )
    assert [(t["sold"], t["remaining"]) for t in report["tiers"]] == [(2, 8), (0, 5)]
    assert [t["soldCount"] for t in detail["ticketTypes"]] == [2, 0]
    assert len(detail["attendees"]) == 2


def test_is_on_sale_follows_status_and_capacity(api: httpx.Client) -> None:
    event = new_event(api, capacity=2)
    tier = new_tier(api, event["id"], capacity=5)
    assert tier["isOnSale"] is False
    ok(api.post(f"/events/{event['id']}/publish"))
    assert ok(api.get(f"/events/{event['id']}/ticket-types"))["items"][0]["isOnSale"] is True
    buy(api, event["id"], tier["id"], 2)
    assert ok(api.get(f"/events/{event['id']}/ticket-types"))["items"][0]["isOnSale"] is False
    sold_out = state(
        api, "ticket-order", eventId=event["id"], lines=[{"ticketTypeId": tier["id"], "quantity": 1}]
    )
    assert code(sold_out) == (409, "sold_out")


def test_list_events_order_and_filters(api: httpx.Client) -> None:
    late = new_event(api, startsAt=future(200), endsAt=future(200, 1))
    early = new_event(api, startsAt=future(199), endsAt=future(199, 1))
    params = {"from": future(198), "to": future(201), "status": "Draft"}
    assert [e["id"] for e in ok(api.get("/events", params=params))["items"]] == [early["id"], late["id"]]
    assert "ticketTypes" not in ok(api.get("/events", params=params))["items"][0]

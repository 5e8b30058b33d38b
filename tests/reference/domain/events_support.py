"""Helpers for the event/ticket tests: create events and ticket types over the API, place orders by state."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from tests.reference.domain.salon import ok


def future(days: int, hours: int = 0) -> str:
    moment = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days, hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def new_event(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {
        "name": f"Concert {uuid.uuid4().hex[:8]}",
        "startsAt": future(10),
        "endsAt": future(10, 3),
        **fields,
    }
    return dict(ok(client.post("/events", json=body), 201))


def new_tier(client: httpx.Client, event_id: str, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Tier {uuid.uuid4().hex[:6]}", "priceCents": 2500, "capacity": 10, **fields}
    return dict(ok(client.post(f"/events/{event_id}/ticket-types", json=body), 201))


def state(client: httpx.Client, name: str, /, **params: Any) -> httpx.Response:
    return client.post("/_testing/states", json={"state": name, "params": params})


def buy(client: httpx.Client, event_id: str, tier_id: str, quantity: int = 1, **extra: Any) -> dict[str, Any]:
    lines = [{"ticketTypeId": tier_id, "quantity": quantity}]
    return dict(ok(state(client, "ticket-order", eventId=event_id, lines=lines, **extra))["ids"])


def published_event(client: httpx.Client, capacity: int = 10, **event_fields: Any) -> tuple[str, str]:
    event = new_event(client, **event_fields)
    tier = new_tier(client, event["id"], capacity=capacity)
    ok(client.post(f"/events/{event['id']}/publish"))
    return event["id"], tier["id"]

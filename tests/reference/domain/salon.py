"""Build a fresh, bookable salon through the public API (each test isolates itself by fresh entities)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx

BERLIN = ZoneInfo("Europe/Berlin")


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    return response.json() if response.content else None


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Salon:
    client: httpx.Client
    day: date
    location_id: str = ""
    staff_ids: list[str] = field(default_factory=list)
    reservable_id: str = ""
    variant_id: str = ""
    resource_type_id: str | None = None
    resource_ids: list[str] = field(default_factory=list)

    def at(self, hour: int, minute: int = 0, day: date | None = None) -> str:
        """UTC wire form of a local wall-clock time on the salon's day."""
        return utc_iso(datetime.combine(day or self.day, time(hour, minute), tzinfo=BERLIN))

    def booking_body(self, starts_at: str, staff: str | None = None, **extra: Any) -> dict[str, Any]:
        item: dict[str, Any] = {
            "reservableVariantId": self.variant_id,
            "staffMemberId": staff,
            "startsAt": starts_at,
        }
        item.update(extra.pop("item", {}))
        body = {
            "businessLocationId": self.location_id,
            "customerName": "Ada Lovelace",
            "customerEmail": f"ada-{uuid.uuid4().hex[:8]}@example.com",
            "items": [item],
        }
        body.update(extra)
        return body

    def book(self, starts_at: str, staff: str | None = None, **extra: Any) -> httpx.Response:
        return self.client.post("/bookings", json=self.booking_body(starts_at, staff, **extra))

    def slots(self, staff: str | None = None, day: date | None = None) -> list[dict[str, Any]]:
        params = {
            "reservableVariantId": self.variant_id,
            "businessLocationId": self.location_id,
            "date": (day or self.day).isoformat(),
        }
        if staff:
            params["staffMemberId"] = staff
        return list(ok(self.client.get("/availability", params=params))["slots"])

    def starts(self, staff: str | None = None) -> set[str]:
        return {slot["startsAt"] for slot in self.slots(staff)}


def build_salon(
    client: httpx.Client,
    *,
    staff: int = 2,
    units: int | None = None,
    requires_staff: bool = True,
    duration: int = 60,
    price: int = 4000,
    days_ahead: int = 3,
    day: date | None = None,
) -> Salon:
    """A location open 08:00–18:00 daily (Europe/Berlin) with `staff` members on shift on the salon's day."""
    tag = uuid.uuid4().hex[:8]
    salon_day = day or datetime.now(BERLIN).date() + timedelta(days=days_ahead)
    salon = Salon(client, salon_day)
    salon.location_id = ok(
        client.post("/locations", json={"name": f"Salon {tag}", "timeZone": "Europe/Berlin"}), 201
    )["id"]
    hours = [{"dayOfWeek": d, "opensAt": "08:00:00", "closesAt": "18:00:00"} for d in range(7)]
    ok(client.put(f"/locations/{salon.location_id}/business-hours", json={"entries": hours}))
    for index in range(staff):
        body = {"name": f"Stylist {index} {tag}", "businessLocationIds": [salon.location_id]}
        member = ok(client.post("/staff", json=body), 201)
        shift = {"businessLocationId": salon.location_id, "startsAt": salon.at(7), "endsAt": salon.at(19)}
        ok(client.post(f"/staff/{member['id']}/shifts", json=shift), 201)
        salon.staff_ids.append(member["id"])
    salon.staff_ids.sort()
    type_ids: list[str] = []
    if units is not None:
        salon.resource_type_id = ok(client.post("/resource-types", json={"name": f"Room {tag}"}), 201)["id"]
        type_ids = [salon.resource_type_id]
        for index in range(units):
            body = {
                "name": f"Room {index}",
                "resourceTypeId": salon.resource_type_id,
                "businessLocationId": salon.location_id,
            }
            salon.resource_ids.append(ok(client.post("/resources", json=body), 201)["id"])
    reservable = {
        "name": f"Haircut {tag}",
        "durationMinutes": duration,
        "priceCents": price,
        "requiresStaff": requires_staff,
        "businessLocationIds": [salon.location_id],
        "staffMemberIds": salon.staff_ids,
        "resourceTypeIds": type_ids,
    }
    created = ok(client.post("/reservables", json=reservable), 201)
    salon.reservable_id = created["id"]
    salon.variant_id = created["variants"][0]["id"]
    return salon


def assert_names_field(response: httpx.Response, field: str) -> None:
    """A 400 ValidationProblemDetails whose `errors` name `field`."""
    assert response.status_code == 400, response.text
    assert field in response.json()["errors"], response.text

"""Each booking-rule fault (B3, B4, B6–B11, T9, T10) changes behaviour as its registry entry says; the clean
server does not."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from caldasa_conformance.builders.scenario import dst_change_day
from caldasa_reference.faults import FAULTS
from tests.reference.conftest import created, make_location, make_staff

Probe = Callable[[httpx.Client], bool]  # True = the faulty behaviour is observed


def _wire(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Setup:
    location_id: str
    zone: ZoneInfo
    day: date
    staff_ids: list[str]
    variant_id: str

    def at(self, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.day, time(hour, minute), tzinfo=self.zone).astimezone(timezone.utc)

    def item(self, start: datetime, staff: int = 0) -> dict[str, Any]:
        return {
            "reservableVariantId": self.variant_id,
            "staffMemberId": self.staff_ids[staff],
            "startsAt": _wire(start),
        }


def _setup(
    c: httpx.Client,
    *,
    zone: str = "UTC",
    hours: tuple[str, str] = ("09:00:00", "17:00:00"),
    shift: tuple[int, int] = (9, 17),
    staff: int = 1,
    eligible: int = 1,
    day: date | None = None,
) -> Setup:
    tz = ZoneInfo(zone)
    day = day or datetime.now(tz).date() + timedelta(days=3)
    location = make_location(c, timeZone=zone)
    entries = [{"dayOfWeek": d, "opensAt": hours[0], "closesAt": hours[1]} for d in range(7)]
    assert c.put(f"/locations/{location['id']}/business-hours", json={"entries": entries}).status_code == 200
    staff_ids = [make_staff(c, businessLocationIds=[location["id"]])["id"] for _ in range(staff)]
    for staff_id in staff_ids:
        start = datetime.combine(day, time(shift[0]), tzinfo=tz)
        end = datetime.combine(day, time(shift[1]), tzinfo=tz)
        body = {"businessLocationId": location["id"], "startsAt": _wire(start), "endsAt": _wire(end)}
        created(c.post(f"/staff/{staff_id}/shifts", json=body))
    service = {
        "name": f"Svc {uuid.uuid4().hex[:8]}",
        "durationMinutes": 30,
        "priceCents": 2500,
        "businessLocationIds": [location["id"]],
        "staffMemberIds": staff_ids[:eligible],
        "resourceTypeIds": [],
    }
    reservable = created(c.post("/reservables", json=service))
    return Setup(location["id"], tz, day, staff_ids, reservable["variants"][0]["id"])


def _book(c: httpx.Client, setup: Setup, *items: dict[str, Any], **fields: Any) -> httpx.Response:
    body = {
        "businessLocationId": setup.location_id,
        "customerName": "Probe",
        "customerEmail": f"{uuid.uuid4().hex[:8]}@example.com",
        "items": list(items),
        **fields,
    }
    return c.post("/bookings", json=body)


def _outside_hours(c: httpx.Client) -> bool:
    setup = _setup(c, zone="America/New_York", hours=("09:00:00", "12:00:00"), shift=(8, 18))
    return _book(c, setup, setup.item(setup.at(14))).status_code == 201


def _outside_shift(c: httpx.Client) -> bool:
    setup = _setup(c, shift=(9, 12))
    return _book(c, setup, setup.item(setup.at(14))).status_code == 201


def _ineligible_staff(c: httpx.Client) -> bool:
    setup = _setup(c, staff=2, eligible=1)
    return _book(c, setup, setup.item(setup.at(10), staff=1)).status_code == 201


def _off_grid(c: httpx.Client) -> bool:
    setup = _setup(c)
    return _book(c, setup, setup.item(setup.at(10, 7))).status_code == 201


def _partial_create(c: httpx.Client) -> bool:
    setup = _setup(c)
    refused = _book(c, setup, setup.item(setup.at(10)), setup.item(setup.at(18)))
    assert refused.status_code == 409, refused.text
    listed = c.get("/bookings", params={"businessLocationId": setup.location_id}).json()
    return bool(listed["totalCount"])


def _total_first_item(c: httpx.Client) -> bool:
    setup = _setup(c)
    booking = created(_book(c, setup, setup.item(setup.at(10)), setup.item(setup.at(11))))
    return bool(booking["totalCents"] != 5000)


def _linkage_case_sensitive(c: httpx.Client) -> bool:
    setup = _setup(c)
    email = f"Case-{uuid.uuid4().hex[:8]}@example.com"
    first = created(_book(c, setup, setup.item(setup.at(10)), customerEmail=email))
    second = created(_book(c, setup, setup.item(setup.at(11)), customerEmail=email.upper()))
    return bool(first["customerId"] != second["customerId"])


def _unknown_variant_404(c: httpx.Client) -> bool:
    setup = _setup(c)
    item = {**setup.item(setup.at(10)), "reservableVariantId": str(uuid.uuid4())}
    return _book(c, setup, item).status_code == 404


def _dst_ignored(c: httpx.Client) -> bool:
    zone = ZoneInfo("Europe/Berlin")
    day = dst_change_day(zone, datetime.now(zone).date() + timedelta(days=2))
    assert day is not None
    setup = _setup(c, zone="Europe/Berlin", hours=("09:00:00", "12:00:00"), shift=(6, 20), day=day)
    params = {
        "reservableVariantId": setup.variant_id,
        "businessLocationId": setup.location_id,
        "date": str(day),
    }
    slots = c.get("/availability", params=params).json()["slots"]
    return bool(slots[0]["startsAt"] != _wire(setup.at(9)))


def _idempotency_no_replay(c: httpx.Client) -> bool:
    setup = _setup(c)
    body = {
        "businessLocationId": setup.location_id,
        "customerName": "Probe",
        "customerEmail": f"{uuid.uuid4().hex[:8]}@example.com",
        "items": [setup.item(setup.at(10))],
    }
    key = {"Idempotency-Key": f"probe-{uuid.uuid4()}"}
    original = created(c.post("/bookings", json=body, headers=key))
    retry = c.post("/bookings", json=body, headers=key)
    return retry.status_code != 201 or retry.json() != original


PROBES: dict[str, Probe] = {
    "booking-ignores-business-hours": _outside_hours,
    "booking-ignores-shifts": _outside_shift,
    "booking-ignores-eligibility": _ineligible_staff,
    "booking-off-grid-accepted": _off_grid,
    "booking-partial-create": _partial_create,
    "booking-total-first-item": _total_first_item,
    "customer-linkage-case-sensitive": _linkage_case_sensitive,
    "booking-unknown-variant-404": _unknown_variant_404,
    "availability-ignores-dst": _dst_ignored,
    "idempotency-no-replay": _idempotency_no_replay,
}


def test_every_booking_rule_fault_has_a_probe() -> None:
    mine = {"B3", "B4", "B6", "B7", "B8", "B9", "B10", "B11", "T9", "T10"}
    assert {f.name for f in FAULTS if f.requirement in mine} == set(PROBES)

"""Each legal variant changes the free choice its registry entry names; the default server keeps its own.

The default picks the open staff member with the lowest id (design §8 #30) and the first free unit by name
(#31); a variant picks another allowed one. Nothing else differs: every answer stays within the contract.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta, timezone
from typing import Any

import httpx
import pytest

from caldasa_reference.cli import main
from caldasa_reference.variants import VARIANTS
from tests.reference.conftest import ServerFactory, client_for, created, make_location, make_staff

MINUTE = timedelta(minutes=1)
BOOKINGS = 16  # quarter-hour slots 09:00-13:00: two random choices agree 16 times with p = 2**-15


def _wire(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _world(c: httpx.Client, *, units: int) -> tuple[dict[str, Any], list[str], list[str], str]:
    """A UTC location open 09-17 with two staff on shift, `units` rooms and a 15-minute service."""
    location = make_location(c, timeZone="UTC")
    entries = [{"dayOfWeek": d, "opensAt": "09:00:00", "closesAt": "17:00:00"} for d in range(7)]
    assert c.put(f"/locations/{location['id']}/business-hours", json={"entries": entries}).status_code == 200
    day = datetime.now(timezone.utc).date() + timedelta(days=3)
    staff_ids = sorted(make_staff(c, businessLocationIds=[location["id"]])["id"] for _ in range(2))
    for staff_id in staff_ids:
        shift = {
            "businessLocationId": location["id"],
            "startsAt": _wire(datetime.combine(day, time(9), timezone.utc)),
            "endsAt": _wire(datetime.combine(day, time(17), timezone.utc)),
        }
        created(c.post(f"/staff/{staff_id}/shifts", json=shift))
    room_type = created(c.post("/resource-types", json={"name": f"Room {uuid.uuid4().hex[:8]}"}))
    body = {"resourceTypeId": room_type["id"], "businessLocationId": location["id"]}
    unit_ids = [created(c.post("/resources", json={"name": f"Room {i}", **body}))["id"] for i in range(units)]
    service = {
        "name": f"Svc {uuid.uuid4().hex[:8]}",
        "durationMinutes": 15,
        "priceCents": 100,
        "businessLocationIds": [location["id"]],
        "staffMemberIds": staff_ids,
        "resourceTypeIds": [room_type["id"]],
    }
    variant_id = created(c.post("/reservables", json=service))["variants"][0]["id"]
    first = datetime.combine(day, time(9), timezone.utc)
    bookings = []
    for k in range(BOOKINGS):
        start = _wire(first + 15 * k * MINUTE)
        item = {"reservableVariantId": variant_id, "staffMemberId": None, "startsAt": start}
        body = {"businessLocationId": location["id"], "customerName": "P", "customerEmail": "p@example.com"}
        bookings.append(created(c.post("/bookings", json={**body, "items": [item]})))
    return location, staff_ids, unit_ids, ",".join(b["items"][0]["staffMemberId"] for b in bookings)


def _staff_chosen(base_url: str) -> tuple[list[str], list[str]]:
    with client_for(base_url) as c:
        _, staff_ids, _, chosen = _world(c, units=1)
    return staff_ids, chosen.split(",")


def _units_chosen(base_url: str) -> tuple[list[str], list[str]]:
    with client_for(base_url) as c:
        _, _, unit_ids, _ = _world(c, units=2)
        return unit_ids, [
            unit
            for unit in unit_ids
            for _ in c.get("/bookings", params={"resourceId": unit, "pageSize": 100}).json()["items"]
        ]


def test_default_assigns_the_lowest_open_id_and_the_first_unit_by_name(core_server: ServerFactory) -> None:
    staff_ids, chosen = _staff_chosen(core_server())
    assert set(chosen) == {staff_ids[0]}
    unit_ids, held = _units_chosen(core_server())
    assert set(held) == {unit_ids[0]}


def test_staff_highest_id_assigns_the_highest_open_id(core_server: ServerFactory) -> None:
    staff_ids, chosen = _staff_chosen(core_server(variants=("staff-highest-id",)))
    assert set(chosen) == {staff_ids[1]}


def test_staff_random_assigns_either_open_member(core_server: ServerFactory) -> None:
    staff_ids, chosen = _staff_chosen(core_server(variants=("staff-random",)))
    assert set(chosen) == set(staff_ids)


def test_unit_random_allocates_either_free_unit(core_server: ServerFactory) -> None:
    unit_ids, held = _units_chosen(core_server(variants=("unit-random",)))
    assert set(held) == set(unit_ids)
    assert len(held) == BOOKINGS  # one unit per booking, never two


def test_variants_command_lists_every_variant(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["variants"]) == 0
    listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [variant.name for variant in VARIANTS]


def test_unknown_variant_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--variant", "staff-lowest-nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "unknown variant staff-lowest-nope" in err

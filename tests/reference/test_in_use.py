"""Protective 409s of the core area against live bookings (§8 #32, #44) and the atomicity of core writes."""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.reference.conftest import ServerFactory, assert_problem, client_for


def deposit_booking(client: httpx.Client) -> dict[str, Any]:
    """A live `Pending` booking (booking domain's provider state) with its salon's ids."""
    response = client.post("/_testing/states", json={"state": "deposit-booking", "params": {}})
    assert response.status_code == 200, response.text
    ids: dict[str, Any] = response.json()["ids"]
    return ids


def test_live_booking_protects_staff_location_and_reservable(client: httpx.Client) -> None:
    ids = deposit_booking(client)
    staff, location = ids["staffMemberId"], ids["businessLocationId"]
    assert_problem(client.delete(f"/staff/{staff}"), 409, "in_use")
    assert_problem(client.delete(f"/locations/{location}/staff/{staff}"), 409, "in_use")
    assert_problem(client.delete(f"/reservables/{ids['reservableId']}"), 409, "in_use")
    assert_problem(client.delete(f"/locations/{location}"), 409, "in_use")
    (shift,) = client.get(f"/staff/{staff}/shifts").json()["items"]
    assert_problem(client.delete(f"/staff/{staff}/shifts/{shift['id']}"), 409, "in_use")


def test_block_over_a_booking_is_409_until_cancelled(client: httpx.Client) -> None:
    ids = deposit_booking(client)
    booking = client.get(f"/bookings/{ids['bookingId']}").json()
    block = {"startsAt": booking["startsAt"], "endsAt": booking["endsAt"]}
    staff = ids["staffMemberId"]
    assert_problem(client.post(f"/staff/{staff}/blocks", json=block), 409, "overlaps_booking")
    assert client.post(f"/bookings/{ids['bookingId']}/cancel").status_code == 200
    assert client.post(f"/staff/{staff}/blocks", json=block).status_code == 201
    assert client.delete(f"/locations/{ids['businessLocationId']}/staff/{staff}").status_code == 204


def test_no_409_for_hours_or_deactivation(client: httpx.Client) -> None:
    ids = deposit_booking(client)
    location = ids["businessLocationId"]
    assert client.put(f"/locations/{location}/business-hours", json={"entries": []}).status_code == 200
    assert (
        client.patch(f"/locations/{location}", json={"isActive": False, "timeZone": "UTC"}).status_code == 200
    )
    assert client.patch(f"/staff/{ids['staffMemberId']}", json={"isBookable": False}).status_code == 200
    assert client.patch(f"/reservables/{ids['reservableId']}", json={"isActive": False}).status_code == 200


def test_parallel_duplicate_creates_give_exactly_one_201(core_server: ServerFactory) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    name = f"Race {uuid.uuid4().hex[:6]}"

    def create(kind: str) -> int:
        with client_for(core_server()) as c:
            if kind == "customer":
                return c.post("/customers", json={"name": "Race", "email": email}).status_code
            return c.post("/locations", json={"name": name, "timeZone": "UTC"}).status_code

    for kind in ("customer", "location"):
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(create, [kind] * 8))
        assert sorted(statuses) == [201] + [409] * 7, (kind, statuses)


def test_server_timestamps_are_near_now(client: httpx.Client) -> None:
    created_at = client.post("/customers", json={"name": "Now", "phone": "+1"}).json()["createdAt"]
    moment = dt.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    assert abs((moment - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 120

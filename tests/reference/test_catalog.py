"""Locations, staff, resources and reservables: §2/§3 rules and §8 #17–#18, #38–#45 (core area)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx

from tests.reference.conftest import (
    assert_field_error,
    assert_problem,
    created,
    make_location,
    make_staff,
    unique,
)


def iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


TOMORROW = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).replace(
    hour=8, minute=0, second=0, microsecond=0
)


def test_location_create_defaults_and_get_equal(client: httpx.Client) -> None:
    location = make_location(client, city="Berlin")
    assert location["isActive"] is True
    assert location["updatedAt"] is None
    assert client.get(f"/locations/{location['id']}").json() == location


def test_location_duplicate_name_is_409(client: httpx.Client) -> None:
    location = make_location(client)
    response = client.post("/locations", json={"name": location["name"], "timeZone": "UTC"})
    assert_problem(response, 409, "duplicate_name")


def test_location_unknown_time_zone_is_400(client: httpx.Client) -> None:
    assert_field_error(
        client.post("/locations", json={"name": unique("L"), "timeZone": "Mars/Olympus"}), "timeZone"
    )


def test_location_patch_null_and_empty_are_noops(client: httpx.Client) -> None:
    location = make_location(client, phone="+4930")
    for body in ({}, {"phone": None, "name": None}):
        response = client.patch(f"/locations/{location['id']}", json=body)
        assert response.json() == location  # unchanged, updatedAt still null (§8 #17)
    changed = client.patch(f"/locations/{location['id']}", json={"phone": "+4940"}).json()
    assert changed["phone"] == "+4940"
    assert changed["updatedAt"] is not None


def test_location_address_patch(client: httpx.Client) -> None:
    location = make_location(client, city="Berlin")
    updated = client.patch(
        f"/locations/{location['id']}/address", json={"postalCode": "10115", "city": None}
    ).json()
    assert (updated["postalCode"], updated["city"]) == ("10115", "Berlin")
    assert_field_error(
        client.patch(f"/locations/{location['id']}/address", json={"country": "de"}), "country"
    )


def test_business_hours_replace_and_validate(client: httpx.Client) -> None:
    location = make_location(client)
    url = f"/locations/{location['id']}/business-hours"
    entries = [
        {"dayOfWeek": 2, "opensAt": "13:00:00", "closesAt": "18:00:00"},
        {"dayOfWeek": 2, "opensAt": "09:00:00", "closesAt": "12:00:00"},
    ]
    body = client.put(url, json={"entries": entries}).json()
    assert [e["opensAt"] for e in body["items"]] == ["09:00:00", "13:00:00"]
    assert body["timeZone"] == "Europe/Berlin"
    assert client.get(url).json() == body
    overlapping = [*entries, {"dayOfWeek": 2, "opensAt": "11:00:00", "closesAt": "14:00:00"}]
    assert_problem(client.put(url, json={"entries": overlapping}), 400)
    inverted = [{"dayOfWeek": 1, "opensAt": "10:00:00", "closesAt": "09:00:00"}]
    assert_field_error(client.put(url, json={"entries": inverted}), "entries[0].closesAt")
    assert_field_error(
        client.put(url, json={"entries": [{**inverted[0], "closesAt": "24:00:00"}]}), "entries[0].closesAt"
    )


def test_assign_and_unassign_staff(client: httpx.Client) -> None:
    location, staff = make_location(client), make_staff(client)
    path = f"/locations/{location['id']}/staff/{staff['id']}"
    assert client.put(path).status_code == 204
    assert client.put(path).status_code == 204  # idempotent
    listed = client.get(f"/locations/{location['id']}/staff").json()["items"]
    assert [s["staffMemberId"] for s in listed] == [staff["id"]]
    assert listed[0]["assignedAt"]
    assert client.get(f"/staff/{staff['id']}").json()["businessLocationIds"] == [location["id"]]
    assert client.delete(path).status_code == 204
    assert_problem(client.delete(path), 404, "not_found")
    assert_problem(client.put(f"/locations/{location['id']}/staff/{uuid.uuid4()}"), 404, "not_found")


def test_unassign_deletes_shifts_at_that_location(client: httpx.Client) -> None:
    location = make_location(client)
    staff = make_staff(client, businessLocationIds=[location["id"]])
    shift = _shift(client, staff, location, 0)
    client.delete(f"/locations/{location['id']}/staff/{staff['id']}")
    assert client.get(f"/staff/{staff['id']}/shifts").json()["totalCount"] == 0
    assert_problem(client.delete(f"/staff/{staff['id']}/shifts/{shift['id']}"), 404)


def test_delete_location_cascades_and_then_404(client: httpx.Client) -> None:
    location = make_location(client)
    staff = make_staff(client, businessLocationIds=[location["id"]])
    assert client.delete(f"/locations/{location['id']}").status_code == 204
    assert_problem(client.get(f"/locations/{location['id']}"), 404)
    assert_problem(client.delete(f"/locations/{location['id']}"), 404)
    assert client.get(f"/staff/{staff['id']}").json()["businessLocationIds"] == []


def test_delete_location_in_use_by_resource_or_reservable(client: httpx.Client) -> None:
    location = make_location(client)
    resource_type = created(client.post("/resource-types", json={"name": unique("Room")}))
    created(
        client.post(
            "/resources",
            json={"name": "R1", "resourceTypeId": resource_type["id"], "businessLocationId": location["id"]},
        )
    )
    assert_problem(client.delete(f"/locations/{location['id']}"), 409, "in_use")


def test_staff_duplicate_email_case_insensitive(client: httpx.Client) -> None:
    email = f"{uuid.uuid4().hex[:8]}@Example.com"
    make_staff(client, email=email)
    assert_problem(client.post("/staff", json={"name": "X", "email": email.upper()}), 409, "duplicate_email")


def test_staff_unknown_location_is_400(client: httpx.Client) -> None:
    response = client.post("/staff", json={"name": "X", "businessLocationIds": [str(uuid.uuid4())]})
    assert_field_error(response, "businessLocationIds[0]")


def _shift(
    client: httpx.Client, staff: dict[str, Any], location: dict[str, Any], hours: int, length: int = 4
) -> dict[str, Any]:
    start = TOMORROW + dt.timedelta(hours=hours)
    body = {
        "businessLocationId": location["id"],
        "startsAt": iso(start),
        "endsAt": iso(start + dt.timedelta(hours=length)),
    }
    return created(client.post(f"/staff/{staff['id']}/shifts", json=body))


def test_shift_rules(client: httpx.Client) -> None:
    location, elsewhere = make_location(client), make_location(client)
    staff = make_staff(client, businessLocationIds=[location["id"], elsewhere["id"]])
    first = _shift(client, staff, location, 0)
    start = TOMORROW + dt.timedelta(hours=2)
    overlapping = {
        "businessLocationId": elsewhere["id"],
        "startsAt": iso(start),
        "endsAt": iso(start + dt.timedelta(hours=1)),
    }
    assert_problem(client.post(f"/staff/{staff['id']}/shifts", json=overlapping), 409, "shift_overlap")
    _shift(client, staff, elsewhere, 4)  # abutting is fine
    too_long = {
        **overlapping,
        "startsAt": iso(start + dt.timedelta(days=2)),
        "endsAt": iso(start + dt.timedelta(days=3, hours=1)),
    }
    assert_field_error(client.post(f"/staff/{staff['id']}/shifts", json=too_long), "endsAt")
    unassigned = {**overlapping, "businessLocationId": make_location(client)["id"]}
    assert_field_error(client.post(f"/staff/{staff['id']}/shifts", json=unassigned), "businessLocationId")
    listed = client.get(f"/staff/{staff['id']}/shifts").json()
    assert [s["startsAt"] for s in listed["items"]] == sorted(s["startsAt"] for s in listed["items"])
    assert client.delete(f"/staff/{staff['id']}/shifts/{first['id']}").status_code == 204


def test_blocks_create_list_delete(client: httpx.Client) -> None:
    staff = make_staff(client)
    body = {"startsAt": iso(TOMORROW), "endsAt": iso(TOMORROW + dt.timedelta(hours=1)), "reason": "Dentist"}
    block = created(client.post(f"/staff/{staff['id']}/blocks", json=body))
    assert block["startsAt"] == iso(TOMORROW)
    other = make_staff(client)
    assert_problem(client.delete(f"/staff/{other['id']}/blocks/{block['id']}"), 404)
    assert client.get(f"/staff/{staff['id']}/blocks").json()["totalCount"] == 1
    assert client.delete(f"/staff/{staff['id']}/blocks/{block['id']}").status_code == 204
    inverted = {"startsAt": body["endsAt"], "endsAt": body["startsAt"]}
    assert_field_error(client.post(f"/staff/{staff['id']}/blocks", json=inverted), "endsAt")


def test_delete_staff_cascades(client: httpx.Client) -> None:
    location = make_location(client)
    staff = make_staff(client, businessLocationIds=[location["id"]])
    _shift(client, staff, location, 0)
    assert client.delete(f"/staff/{staff['id']}").status_code == 204
    assert_problem(client.get(f"/staff/{staff['id']}/shifts"), 404)
    assert client.get(f"/locations/{location['id']}/staff").json()["items"] == []


def test_resource_types_and_resources(client: httpx.Client) -> None:
    location = make_location(client)
    room = created(client.post("/resource-types", json={"name": unique("Room")}))
    assert_problem(client.post("/resource-types", json={"name": room["name"]}), 409, "duplicate_name")
    body = {"name": "Room 1", "resourceTypeId": room["id"], "businessLocationId": location["id"]}
    resource = created(client.post("/resources", json=body))
    assert resource["resourceTypeName"] == room["name"]
    assert_problem(client.post("/resources", json=body), 409, "duplicate_name")
    assert client.get(f"/resource-types/{room['id']}").json()["resourceCount"] == 1
    assert_problem(client.delete(f"/resource-types/{room['id']}"), 409, "in_use")
    renamed = client.patch(f"/resource-types/{room['id']}", json={"name": unique("Suite")}).json()
    assert client.get(f"/resources/{resource['id']}").json()["resourceTypeName"] == renamed["name"]
    assert client.patch(f"/resources/{resource['id']}", json={"isActive": False}).json()["isActive"] is False
    assert client.get(f"/resource-types/{room['id']}").json()["resourceCount"] == 0
    assert client.delete(f"/resources/{resource['id']}").status_code == 204
    assert client.delete(f"/resource-types/{room['id']}").status_code == 204


def test_resource_with_unknown_type_is_400(client: httpx.Client) -> None:
    body = {
        "name": "X",
        "resourceTypeId": str(uuid.uuid4()),
        "businessLocationId": make_location(client)["id"],
    }
    assert_field_error(client.post("/resources", json=body), "resourceTypeId")


def test_reservable_default_variant_staff_and_resources(client: httpx.Client) -> None:
    location = make_location(client)
    staff = make_staff(client, businessLocationIds=[location["id"]])
    room = created(client.post("/resource-types", json={"name": unique("Room")}))
    body = {
        "name": unique("Massage"),
        "durationMinutes": 45,
        "priceCents": 5000,
        "businessLocationIds": [location["id"]],
        "staffMemberIds": [staff["id"]],
        "resourceTypeIds": [room["id"], room["id"]],
    }
    reservable = created(client.post("/reservables", json=body))
    (variant,) = reservable["variants"]
    assert (variant["name"], variant["durationMinutes"], variant["priceCents"], variant["depositCents"]) == (
        "45 min",
        45,
        5000,
        0,
    )
    assert reservable["resources"] == [
        {"resourceTypeId": room["id"], "resourceTypeName": room["name"], "quantity": 2}
    ]
    assert client.get(f"/reservables/{reservable['id']}/variants").json()["items"] == [variant]
    staff_list = client.get(f"/reservables/{reservable['id']}/staff").json()["items"]
    assert staff_list == [{"staffMemberId": staff["id"], "name": staff["name"], "isBookable": True}]
    assert_problem(client.delete(f"/resource-types/{room['id']}"), 409, "in_use")
    cleared = client.patch(
        f"/reservables/{reservable['id']}", json={"staffMemberIds": [], "name": None}
    ).json()
    assert cleared["name"] == reservable["name"]
    assert cleared["updatedAt"] is not None
    assert client.get(f"/reservables/{reservable['id']}/staff").json()["items"] == []
    assert_problem(client.delete(f"/locations/{location['id']}"), 409, "in_use")
    assert client.delete(f"/reservables/{reservable['id']}").status_code == 204
    assert_problem(client.get(f"/reservables/{reservable['id']}/variants"), 404)


def test_list_orders_are_name_then_id(client: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:6]
    for name in ("b", "a", "c"):
        make_staff(client, name=f"{tag} {name}")
    items = client.get(f"/staff?search={tag}").json()["items"]
    assert [i["name"] for i in items] == [f"{tag} a", f"{tag} b", f"{tag} c"]


def test_tenant_isolation_of_catalog(client: httpx.Client, client_b: httpx.Client) -> None:
    location = make_location(client)
    assert_problem(client_b.get(f"/locations/{location['id']}"), 404, "not_found")
    assert location["id"] not in {
        loc["id"] for loc in client_b.get("/locations?pageSize=100").json()["items"]
    }
    body = {"name": "X", "businessLocationIds": [location["id"]]}
    assert_field_error(client_b.post("/staff", json=body), "businessLocationIds[0]")

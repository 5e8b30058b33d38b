"""Catalog and race faults (K1, T7 and T11 on locations; B1 and R1 under parallel requests) change behaviour
as their registry entry says; the clean server does not."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from caldasa_reference.faults import FAULTS
from tests.reference.conftest import created, make_location, make_staff
from tests.reference.domain.salon import build_salon, ok

Probe = Callable[[httpx.Client], bool]  # True = the faulty behaviour is observed
PARALLEL = 6


def _together(send: Callable[[], httpx.Response]) -> list[int]:
    with ThreadPoolExecutor(PARALLEL) as pool:
        return [response.status_code for response in pool.map(lambda _: send(), range(PARALLEL))]


def _lost_update(c: httpx.Client) -> bool:
    location = make_location(c)
    renamed = uuid.uuid4().hex
    ok(c.patch(f"/locations/{location['id']}", json={"name": renamed}))
    return bool(ok(c.patch(f"/locations/{location['id']}", json={"phone": "+4930123"}))["name"] != renamed)


def _no_cascade(c: httpx.Client) -> bool:
    location = make_location(c)
    member = make_staff(c, businessLocationIds=[location["id"]])
    assert c.delete(f"/locations/{location['id']}").status_code == 204
    return location["id"] in ok(c.get(f"/staff/{member['id']}"))["businessLocationIds"]


def _in_use_deletable(c: httpx.Client) -> bool:
    location = make_location(c)
    type_id = created(c.post("/resource-types", json={"name": uuid.uuid4().hex}))["id"]
    created(
        c.post(
            "/resources",
            json={"name": "Room", "resourceTypeId": type_id, "businessLocationId": location["id"]},
        )
    )
    return c.delete(f"/locations/{location['id']}").status_code == 204


def _duplicate_location_names(c: httpx.Client) -> bool:
    """A second location, and a rename of another one, to a live location's name."""
    first, second = make_location(c), make_location(c)
    again = c.post("/locations", json={"name": first["name"], "timeZone": "Europe/Berlin"}).status_code
    renamed = c.patch(f"/locations/{second['id']}", json={"name": first["name"]}).status_code
    return again == 201 and renamed == 200


def _parallel_bookings_all_win(c: httpx.Client) -> bool:
    salon = build_salon(c, staff=1)
    body = salon.booking_body(salon.at(10), salon.staff_ids[0])
    return _together(lambda: c.post("/bookings", json=body)).count(201) > 1


def _parallel_redeems_all_win(c: httpx.Client) -> bool:
    state = {"state": "event-with-paid-ticket-order", "params": {"quantity": 1}}
    ids = ok(c.post("/_testing/states", json=state))["ids"]
    body = {"code": ids["tickets"][0]["code"], "eventId": ids["eventId"]}
    return _together(lambda: c.post("/tickets/redeem", json=body)).count(200) > 1


PROBES: dict[str, Probe] = {
    "location-lost-update": _lost_update,
    "location-delete-no-cascade": _no_cascade,
    "location-in-use-deletable": _in_use_deletable,
    "duplicate-names-accepted": _duplicate_location_names,
    "booking-lock-removed": _parallel_bookings_all_win,
    "redeem-lock-removed": _parallel_redeems_all_win,
}


def test_probes_cover_this_section_of_the_registry() -> None:
    by_name = {fault.name: fault.requirement for fault in FAULTS}
    assert set(PROBES) <= set(by_name)
    assert {by_name[name] for name in PROBES} == {"K1", "T7", "T11", "B1", "R1"}

"""Builders for the core booking-rule scenarios (B1, B2, B5, A2, C1, C2) on top of `builders.scenario`.

`builders.scenario.Scenario` builds the location, staff, shifts and services; this module adds what the core
rules need besides: a pool of resource units (B2), staff blocks (B5), and bookings whose cleanup tolerates a
test that cancelled them itself (C1, C2) — `Scenario.book` would cancel them a second time at session end,
which answers 409 and is recorded as a leftover. Every created entity is registered with the scenario's
`Cleanup` stack (undone newest first: bookings, then the service, the units, the type, the staff and the
location), and every name comes from `naming.unique_name` (run tag + xdist worker).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import httpx

from caldasa_conformance.builders.scenario import Scenario, World
from caldasa_conformance.naming import unique_name
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.timeutil import GRID, Interval, parse, wire

ROOM_TYPE = "room_type_id"  # keys of `World.extra` set by `resource_world`
ROOM_UNITS = "room_unit_ids"


def resource_pool(scenario: Scenario, location_id: str, units: int) -> tuple[str, list[str]]:
    """A new resource type with `units` active units at the location; returns (type id, unit ids)."""
    entities, run_tag = scenario.entities, scenario.run_tag
    type_id = str(entities.resource_type(unique_name(run_tag, "room type"))["id"])
    unit_ids = [
        str(entities.resource(unique_name(run_tag, "room"), type_id, location_id)["id"]) for _ in range(units)
    ]
    return type_id, unit_ids


def resource_world(scenario: Scenario, *, staff_count: int, units: int, zone: str = "UTC") -> World:
    """`Scenario.basic` (open 09–17, staff shifts 09–17) plus a 30-minute service of all its staff that
    also requires one unit of a new resource type with `units` units at the location; the world books that
    service (type and unit ids in `extra[ROOM_TYPE]` and `extra[ROOM_UNITS]`)."""
    world = scenario.basic(zone=zone, staff_count=staff_count)
    type_id, unit_ids = resource_pool(scenario, world.location_id, units)
    reservable_id, variant_id = scenario.service(
        world.location_id, world.staff_ids, resource_type_ids=[type_id]
    )
    extra = {**world.extra, ROOM_TYPE: type_id, ROOM_UNITS: unit_ids}
    return replace(world, reservable_id=reservable_id, variant_id=variant_id, extra=extra)


def pinned(item: dict[str, Any], world: World, unit_id: str) -> dict[str, Any]:
    """`item` with the world's room unit `unit_id` pinned (`specificResourceId`)."""
    selection = {"resourceTypeId": world.extra[ROOM_TYPE], "specificResourceId": unit_id}
    return {**item, "resourceSelections": [selection]}


def book(scenario: Scenario, world: World, items: list[dict[str, Any]], **fields: Any) -> httpx.Response:
    """createBooking (for the world's customer unless `fields` say otherwise); a 201 is cancelled at session
    end unless it is cancelled by then."""
    response = ops.create_booking(scenario.client, body=scenario.booking_body(world, items, **fields))
    scenario.forget_later(response)
    return response


def block(scenario: Scenario, staff_id: str, interval: Interval, expect: Expect) -> httpx.Response:
    """createStaffBlock over `interval`, judged by `expect`; a 201 is deleted at session end."""
    body = {"startsAt": wire(interval.start), "endsAt": wire(interval.end), "reason": scenario.run_tag}
    response = ops.create_staff_block(scenario.client, staff_id, body=body)
    if response.status_code == 201:
        block_id, client = str(response.json()["id"]), scenario.client
        scenario.cleanup.push("block", block_id, lambda: ops.delete_staff_block(client, staff_id, block_id))
    check_answer(response, expect, "createStaffBlock")
    return response


def cancel(scenario: Scenario, booking_id: str) -> httpx.Response:
    """cancelBooking without notifying the customer (the scenarios judge the answer themselves)."""
    return ops.cancel_booking(scenario.client, booking_id, params={"notifyCustomer": "false"})


def slot_starts(scenario: Scenario, world: World, staff_id: str, requirement: str) -> set[datetime]:
    """The starts listed by listAvailabilitySlots for `staff_id` on the world's day."""
    slots = scenario.slots(world, staff_id=staff_id, requirement=requirement)
    return {parse(slot["startsAt"]) for slot in slots if slot.get("staffMemberId") == staff_id}


def overlapping_starts(world: World, busy: Interval) -> list[datetime]:
    """Every grid start t whose service interval [t, t + duration) overlaps `busy` (half-open)."""
    starts, t = [], busy.start - world.duration + GRID
    while t < busy.end:
        starts.append(t)
        t += GRID
    return starts

"""The list-filter scene (T12): run-made entities that differ in every field a list filters on, and the
filtered queries that tell a filter applied from one ignored or one that drops matches.

Everything of the scene sits at the session world's location, so that every query can be narrowed to it
(`anchor`) and answers on one page, whatever else the tenant holds: two staff members (active and bookable,
and neither), two reservables and two resource units (active and inactive, the units of a new type), two
customers with a booking each (one of them cancelled), two events (a draft and a cancelled one), a shift and
a block, an inactive webhook, and a second, inactive location that holds nothing. The entities are this
module's own (no other test has their ids), so their last answers are their state; each is removed at
session end like everything else the run made.

Which lists have filters, and what a filter means, is read from the contract (`support.filters`); the
queries are derived from it and from the scene's items, never listed by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from caldasa_conformance.builders.factory import DataFactory, TenantWorld
from caldasa_conformance.fixtures.data import expect
from caldasa_conformance.support import operations as ops
from caldasa_conformance.support.filters import (
    ANY_ITEM,
    AT_LEAST,
    AT_MOST,
    BEFORE,
    HIDDEN,
    LISTED_IN,
    TEXT,
    ListFilter,
    list_filters,
)
from caldasa_conformance.workflows.timeutil import Interval, parse

OFFSET = dt.timezone(dt.timedelta(hours=1))  # instants go in another offset than the emitted one (§8 #22)
PER_FILTER = 2  # values tried per filter (a repeatable one also gets them together)


@dataclass
class FilterScene:
    """The scene's items per list operation, the values to filter by, and the path values of its lists."""

    known: dict[str, list[dict[str, Any]]]
    pool: dict[str, list[str]]  # filter name -> the scene's ids for it, to contrast with what items hold
    anchor: dict[str, str]  # the filter that narrows every query to the scene's location
    path: dict[str, str] = field(default_factory=dict)

    def path_values(self, world: TenantWorld) -> dict[str, str]:
        return {**world.path_values(), **self.path}


def _patched(factory: DataFactory, operation_id: str, path: Mapping[str, str], body: Any) -> dict[str, Any]:
    response = ops.call(factory.client, operation_id, path, body=body)
    return dict(expect(response, 200, operation_id))


def build_filter_scene(factory: DataFactory, world: TenantWorld) -> FilterScene:
    """Create the scene beside `world` (about 25 requests)."""
    entities, here = factory.entities, world.location["id"]
    elsewhere = entities.location(factory.name("Location"), "UTC")
    elsewhere = _patched(factory, "updateLocation", {"locationId": elsewhere["id"]}, {"isActive": False})
    staff = [factory.staff_member(here)]
    idle = entities.staff(factory.name("Staff"), [here], email=factory.email("staff"), isBookable=False)
    staff.append(_patched(factory, "updateStaffMember", {"staffMemberId": idle["id"]}, {"isActive": False}))
    rtype = factory.resource_type()
    units = [entities.resource(factory.name("Unit"), rtype["id"], here, isActive=on) for on in (True, False)]
    services = [entities.reservable(factory.name("Service"), here, []) for _ in range(2)]
    path = {"reservableId": services[1]["id"]}
    services[1] = _patched(factory, "updateReservable", path, {"isActive": False})
    customers = [factory.customer(), factory.customer()]
    bookings = [factory.booking(here, world.variant_id, world.day, c["id"]) for c in customers]
    bookings[1] = dict(expect(ops.cancel_booking(factory.client, bookings[1]["id"]), 200, "cancelBooking"))
    week = world.day + dt.timedelta(days=7)
    events = [
        entities.event(factory.name("Event"), here, window_of(week + dt.timedelta(n), 18), 50) for n in (0, 1)
    ]
    events[1] = dict(expect(ops.cancel_event(factory.client, events[1]["id"]), 200, "cancelEvent"))
    shift = factory.shift(staff[0]["id"], here, world.day)
    block = factory.block(staff[0]["id"], world.day)
    hook = factory.webhook()
    known = {
        "listLocations": [elsewhere],
        "listStaffMembers": staff,
        "listResources": units,
        "listReservables": services,
        "listCustomers": customers,
        "listBookings": bookings,
        "listEvents": events,
        "listStaffShifts": [shift],
        "listStaffBlocks": [block],
        "listWebhooks": [hook],
    }
    pool = {
        "businessLocationId": [here, elsewhere["id"]],
        "staffMemberId": [s["id"] for s in staff],
        "customerId": [c["id"] for c in customers],
        "resourceTypeId": [rtype["id"], world.resource_type["id"]],
        "eventId": [e["id"] for e in events],
        "bookingId": [b["id"] for b in bookings],
    }
    path = {
        "customerId": customers[1]["id"],
        "staffMemberId": staff[0]["id"],
        "eventId": events[0]["id"],
        "webhookId": hook["id"],
    }
    return FilterScene(known, pool, {"businessLocationId": here}, path)


# ---------------------------------------------------------------- the queries
def queries(
    operation_id: str, items: Sequence[Mapping[str, Any]], scene: FilterScene, *, anchored: bool = True
) -> list[dict[str, Any]]:
    """One query per value tried of each filter of `operation_id`; with `anchored` (the items are the
    scene's), narrowed by the scene's anchor where the list has it (the anchor is tried alone)."""
    filters = list_filters()[operation_id]
    anchor = {name: value for name, value in scene.anchor.items() if name in filters and anchored}
    result = []
    for name, list_filter in filters.items():
        for value in values_to_try(list_filter, items, scene.pool.get(name, [])):
            result.append({name: value} if name in anchor else {**anchor, name: value})
    return result


def values_to_try(
    list_filter: ListFilter, items: Sequence[Mapping[str, Any]], pool: Sequence[str]
) -> list[Any]:
    """Values of one filter that some items hold and others do not: from the items' own fields, then the
    scene's ids; both booleans; an instant of an item (sent in another offset) for a range."""
    if list_filter.how == HIDDEN:
        return []  # the items do not show it: only a caller with a model can judge it
    if list_filter.kind == "boolean":
        return [True, False]
    if list_filter.how == TEXT:
        names = [_text_of(item) for item in items]
        return [name.swapcase() for name in names if name][:PER_FILTER]
    if list_filter.how in (AT_LEAST, AT_MOST, BEFORE):
        bounds = [item[str(list_filter.field)] for item in items if item.get(str(list_filter.field))]
        return [_in_offset(str(bounds[0])) if list_filter.kind == "instant" else bounds[0]] if bounds else []
    held = _held(list_filter, items) + list(pool)
    values = list(dict.fromkeys(value for value in held if value is not None))[:PER_FILTER]
    if list_filter.repeatable:
        return [[value] for value in values] + ([values] if len(values) > 1 else [])
    return values


def _held(list_filter: ListFilter, items: Sequence[Mapping[str, Any]]) -> list[Any]:
    values: list[Any] = []
    for item in items:
        seen = item.get(str(list_filter.field))
        if list_filter.how == LISTED_IN and isinstance(seen, list):
            values.extend(seen)
        elif list_filter.how == ANY_ITEM and isinstance(seen, list):
            values.extend(part.get(list_filter.name) for part in seen if isinstance(part, Mapping))
        else:
            values.append(seen)
    return values


def _text_of(item: Mapping[str, Any]) -> str:
    """The item's name (or its first non-empty string that is no id or timestamp), at most 200 characters."""
    name = item.get("name")
    if isinstance(name, str) and name:
        return name[:200]
    for key, value in item.items():
        if isinstance(value, str) and value and not key.endswith(("Id", "id", "At")):
            return value[:200]
    return ""


def _in_offset(instant: str) -> str:
    return parse(instant).astimezone(OFFSET).isoformat(timespec="milliseconds")


def window_of(day: dt.date, hour: int, hours: int = 1) -> Interval:
    start = dt.datetime.combine(day, dt.time(hour), dt.timezone.utc)
    return Interval(start, start + dt.timedelta(hours=hours))

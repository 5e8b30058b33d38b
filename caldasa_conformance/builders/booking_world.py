"""The booking machine's world, built (and read back) through the public API for each example (`bookings`).

One location (hours whole or split), two staff members with shifts on one future local date, a resource pool
and two services (one needing a room), made by `builders.entities` like every builder's. Every call is
journaled on the machine's journal, so a failing set-up shows in the failure's curl script; every 201 is
judged by T8 (201 + Location), never by the rule the machine probes, and registered for teardown.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from caldasa_conformance.builders.entities import Entities
from caldasa_conformance.oracles.lists import judge_list_filters
from caldasa_conformance.workflows.api import Api
from caldasa_conformance.workflows.booking_model import Booking, BookingWorld, Service, Staff, instant
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.timeutil import Interval, local, now, wire

SETUP = "T8"  # set-up answers are judged by T8 (201 + Location), never by the rule a machine probes
# (role, shift start hour, shift end hour), given to the staff members in id order
ROLES = (("early", 9, 17), ("late", 10, 15))
INVALID_KINDS = ["past", "unknown_variant", "unknown_location", "empty_items", "foreign_type"]


def answered(api: Api, operation_id: str, status: int, *, requirement: str = SETUP, **kwargs: Any) -> Any:
    """Call `operation_id`; its answer must be `status` (judged for `requirement`); return the body."""
    return check_answer(api.call(operation_id, **kwargs), Expect(status, requirement), operation_id)


def judged_in_setup(response: httpx.Response, operation_id: str, status: int) -> Any:
    """A set-up answer, judged by T8 (201 + Location), never by the rule the machine probes."""
    return check_answer(response, Expect(status, SETUP, why="setup of the booking world"), operation_id)


@dataclass
class BuiltWorld:
    """What `BookingWorldBuilder.build` made: the model, the room type and each member's own shifts."""

    world: BookingWorld
    room_type_id: str
    home_shifts: dict[str, list[Interval]]


class BookingWorldBuilder:
    """Builds one example's world for a machine, through `builders.entities` on the machine's journal.

    Args:
        api: the machine's journaling operation caller (its client and journal).
        unique: makes a run-tagged unique name from a stem.
        on_teardown: registers a best-effort cleanup (run newest first when the example ends).
        run_tag: the run's tag (resource names carry it plainly: the reference allocates units by name).
    """

    def __init__(
        self,
        api: Api,
        unique: Callable[[str], str],
        on_teardown: Callable[[Callable[[], Any]], None],
        run_tag: str,
    ) -> None:
        self.unique = unique
        self.run_tag = run_tag

        def track(kind: str, entity_id: str, undo: Callable[[], Any] | None) -> None:
            # A shift goes with its staff member, deleted at teardown: no request of its own.
            if undo is not None and kind != "shift":
                on_teardown(undo)

        self.entities = Entities(api.client, judged_in_setup, track, api.journal)

    def build(
        self, zone: str, days_ahead: int, split_hours: bool, units: int, durations: tuple[int, int]
    ) -> BuiltWorld:
        tz = ZoneInfo(zone)
        day = now().astimezone(tz).date() + timedelta(days=days_ahead)
        location_id = str(self.entities.location(self.unique("location"), zone)["id"])
        windows = (
            [("09:00:00", "12:00:00"), ("13:00:00", "17:00:00")]
            if split_hours
            else [("09:00:00", "17:00:00")]
        )
        self.entities.business_hours(location_id, windows)
        hours = [
            Interval(local(day, time.fromisoformat(o), tz), local(day, time.fromisoformat(c), tz))
            for o, c in windows
        ]
        staff, home_shifts = self._staff(location_id, day, tz)
        unit_ids, type_id = self._resources(location_id, units)
        services = self._services(location_id, list(staff), type_id, durations)
        world = BookingWorld(location_id, tz, day, hours, staff, unit_ids, services)
        return BuiltWorld(world, type_id, home_shifts)

    def _staff(
        self, location_id: str, day: date, tz: ZoneInfo
    ) -> tuple[dict[str, Staff], dict[str, list[Interval]]]:
        """Two staff members; the one with the lower id works the long shift.

        Roles follow id order, not creation order, so that every replay of an example meets the same world
        (ids are random, and the reference assigns a null `staffMemberId` to the lowest open id): Hypothesis'
        replay and shrinking then see the same answers.
        """
        made = [self.entities.staff(self.unique(f"staff {index}"), [location_id]) for index in range(2)]
        staff: dict[str, Staff] = {}
        home_shifts: dict[str, list[Interval]] = {}
        for staff_id, (name, opens, closes) in zip(sorted(m["id"] for m in made), ROLES, strict=True):
            shift = Interval(local(day, time(opens), tz), local(day, time(closes), tz))
            self.add_shift(location_id, staff_id, shift)
            staff[staff_id] = Staff(staff_id, name, shifts=[shift])
            home_shifts[staff_id] = [shift]
        return staff, home_shifts

    def add_shift(self, location_id: str, staff_id: str, shift: Interval) -> None:
        self.entities.shift(staff_id, location_id, shift)

    def _resources(self, location_id: str, units: int) -> tuple[list[str], str]:
        type_id = str(self.entities.resource_type(self.unique("room type"))["id"])
        named = []
        for index in range(units):
            name = f"{self.run_tag} room {index}"
            named.append((name, str(self.entities.resource(name, type_id, location_id)["id"])))
        return [unit_id for _, unit_id in sorted(named)], type_id

    def _services(
        self, location_id: str, staff_ids: list[str], type_id: str, durations: tuple[int, int]
    ) -> dict[str, Service]:
        services = {}
        for key, minutes, price, types in (
            ("plain", durations[0], 3000, []),
            ("room", durations[1], 4500, [type_id]),
        ):
            name = self.unique(f"service {key}")
            created = self.entities.reservable(
                name, location_id, staff_ids, minutes=minutes, price_cents=price, type_ids=types
            )
            variant_id = str(self.entities.variants(created)[0]["id"])
            services[key] = Service(
                key, created["id"], variant_id, timedelta(minutes=minutes), price, bool(types)
            )
        return services


# ---------------------------------------------------------------- reading the world back
def available_slots(api: Api, world: BookingWorld, service: str) -> set[tuple[Any, str]]:
    """The (start, staff member) slots availability lists for `service` on the world's day."""
    response = api.call(
        "listAvailabilitySlots",
        params={
            "reservableVariantId": world.services[service].variant_id,
            "date": world.day.isoformat(),
            "businessLocationId": world.location_id,
        },
    )
    body = check_answer(
        response, Expect(200, "A3", why="availability of the world's day"), "listAvailabilitySlots"
    )
    return {(instant(slot["startsAt"]), slot["staffMemberId"]) for slot in body.get("slots", [])}


def booking_ids_holding(api: Api, unit: str) -> list[str]:
    """Ids of the bookings listBookings?resourceId= lists for the unit (one page of 100)."""
    params = {"resourceId": unit, "pageSize": 100}
    listed = answered(api, "listBookings", 200, requirement="B2", params=params)["items"]
    return [b.get("id") for b in listed]


def customer_activities(api: Api, booking: Booking, kind: str, requirement: str) -> dict[str, Any]:
    """The booking customer's `kind` activities (the answer is judged for `requirement`, its rule)."""
    response = api.call(
        "listCustomerActivities",
        path={"customerId": booking.customer_id},
        params={"kind": kind, "limit": 100},
    )
    listed = check_answer(
        response, Expect(200, requirement, why="the customer's timeline"), "listCustomerActivities"
    )
    judge_list_filters("listCustomerActivities", {"kind": kind}, listed.get("items", []))
    return dict(listed)


# ---------------------------------------------------------------- request bodies
def booking_request(
    world: BookingWorld,
    service: str,
    staff_id: str | None,
    start: Any,
    customer: tuple[str, str],
    pinned: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A one-item createBooking body; `customer` is (name, email), `pinned` (resource type, unit)."""
    item: dict[str, Any] = {
        "reservableVariantId": world.services[service].variant_id,
        "staffMemberId": staff_id,
        "startsAt": wire(start),
    }
    if pinned is not None:
        item["resourceSelections"] = [{"resourceTypeId": pinned[0], "specificResourceId": pinned[1]}]
    return {
        "businessLocationId": world.location_id,
        "customerName": customer[0],
        "customerEmail": customer[1],
        "notes": None,
        "items": [item],
    }


def invalid_booking_request(world: BookingWorld, kind: str, email: str) -> tuple[dict[str, Any], str]:
    """A createBooking body broken the way `kind` says, and the field the 400 must name."""
    item: dict[str, Any] = {
        "reservableVariantId": world.services["room"].variant_id,
        "staffMemberId": world.staff_by_index(0),
        "startsAt": wire(world.at(10 * 60)),
    }
    body: dict[str, Any] = {
        "businessLocationId": world.location_id,
        "customerName": "Invalid Case",
        "customerEmail": email,
        "items": [item],
    }
    if kind == "past":
        item["startsAt"] = wire((now() - timedelta(days=1)).replace(minute=0, second=0, microsecond=0))
        return body, "items[0].startsAt"
    if kind == "unknown_variant":
        item["reservableVariantId"] = str(uuid.uuid4())
        return body, "items[0].reservableVariantId"
    if kind == "unknown_location":
        body["businessLocationId"] = str(uuid.uuid4())
        return body, "businessLocationId"
    if kind == "empty_items":
        body["items"] = []
        return body, "items"
    item["resourceSelections"] = [{"resourceTypeId": str(uuid.uuid4()), "specificResourceId": None}]
    return body, "items[0].resourceSelections"

"""The world machine's steps below its rules: building each kind of entity, deleting, the budget, Allure.

`WorldSteps` holds what `world_machine.WorldMachine`'s rules share: the model (`world_model.World`), creating
an entity with its predicted answer (201, or the refusal the model predicts) and registering its removal for
teardown, deleting with the predicted `204`/`404`/`409 in_use`, and the workflow's next link (`_furnished`).
Its budget is its own table (issue #14: default at least 10 examples x 30 steps, deep 100 x 50).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from hypothesis import settings as Settings

from caldasa_conformance.budget import budget_named
from caldasa_conformance.oracles import catalog
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import WorkflowMachine, _label
from caldasa_conformance.workflows.settings import machine_settings
from caldasa_conformance.workflows.timeutil import Interval, wire
from caldasa_conformance.workflows.world_model import (
    HOURS,
    Block,
    Entity,
    Location,
    Member,
    ResourceType,
    Service,
    Shift,
    Unit,
    World,
)

F = TypeVar("F", bound=Callable[..., Any])
LIMITS = {"locations": 2, "members": 4, "shifts": 8, "blocks": 4, "rtypes": 2, "units": 4, "services": 4}
LIMITS |= {"customer_records": 3}
DELETE = {
    Location: ("deleteLocation", "locationId"),
    Member: ("deleteStaffMember", "staffMemberId"),
    Service: ("deleteReservable", "reservableId"),
    Unit: ("deleteResource", "resourceId"),
    ResourceType: ("deleteResourceType", "resourceTypeId"),
}


def world_settings(budget: str) -> Settings:
    """The world machine's own sizes from the Budget table (issue #14: default ≥ 10 × 30, deep 100 × 50)."""
    figures = budget_named(budget)
    return Settings(
        machine_settings(budget), max_examples=figures.world_examples, stateful_step_count=figures.world_steps
    )


def reported(function: F) -> F:
    """Show the rule as an Allure step (its requests are its attachments) under the journal's `@step`."""

    @functools.wraps(function)
    def wrapper(self: WorldSteps, *args: Any, **kwargs: Any) -> Any:
        import allure

        shown = ", ".join(f"{key}={_label(value)!r}" for key, value in kwargs.items())
        with allure.step(f"{len(self.journal.steps) + 1}. {function.__name__}({shown})"):
            return function(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class WorldSteps(WorkflowMachine):
    """The world machine without its rules; see the module docstring."""

    @classmethod
    def settings_for(cls, budget: str) -> Settings:
        return world_settings(budget)

    def __init__(self) -> None:
        super().__init__()
        self.world: World | None = None
        # bookings by email use the first two; a customer may also be created with the third
        self.emails = [f"{who}-{uuid.uuid4().hex[:8]}@example.test" for who in ("ann", "bob", "cat")]
        self.customer_name = self.unique("world customer")  # tagged: customers cannot be deleted

    @property
    def w(self) -> World:
        assert self.world is not None
        return self.world

    def below(self, kind: str) -> bool:
        """Whether fewer `kind` were asked for than the limit (a count of steps, never of answers)."""
        return self.world is not None and len(getattr(self.world, kind)) < LIMITS[kind]

    def _expect(self, operation_id: str, expect: Expect, **kwargs: Any) -> Any:
        return check_answer(self.api.call(operation_id, **kwargs), expect, operation_id)

    def _created(
        self, entity: Entity, operation_id: str, body: dict[str, Any], refusal: Expect | None
    ) -> None:
        """Create `entity` (201, or the predicted refusal) and register its removal for teardown."""
        response = self.api.call(operation_id, json=body)
        dto = check_answer(
            response, refusal or Expect(201, "T8", why=f"a valid {entity.label}"), operation_id
        )
        if refusal is not None:
            return
        entity.id = str(dto["id"])
        location = response.headers.get("Location", "")
        catalog.created_entity_reads_back(operation_id, entity_id=entity.id, location=location)
        if type(entity) in DELETE:
            operation, parameter = DELETE[type(entity)]
            self.on_teardown(functools.partial(self.api.call, operation, path={parameter: entity.id}))

    def _absent(self, *entities: Entity) -> bool:
        """Note in the journal which drawn entity was never created (a step on it has nothing to do)."""
        missing = [e.label for e in entities if e.id is None]
        if missing:
            self.journal.steps[-1].arguments["note"] = f"never created: {', '.join(missing)}"
        return bool(missing)

    def _furnished(self, place: Location) -> bool:
        """Whether `place` has two staff members and a room; else add the first missing one (False)."""
        staffed = [m for m in self.w.members if m.live and str(place.id) in m.locations]
        if len(staffed) < 2 and self.below("members"):
            self._member(place, True, (32, 32))
            return False
        if not any(t.live for t in self.w.rtypes) and self.below("rtypes"):
            self._rtype()
            return False
        rtype = next((t for t in self.w.rtypes if t.live), None)
        if rtype is not None and self._room_type(place) is None and self.below("units"):
            self._unit(rtype, place)
            return False
        return True

    def _room_type(self, place: Location) -> ResourceType | None:
        """The first live resource type with a live unit at `place`."""
        return next(
            (u.rtype for u in self.w.units if u.live and u.location is place and u.rtype and u.rtype.live),
            None,
        )

    def _location(self, hours: str) -> Location:
        location = Location(f"location{len(self.w.locations) + 1}", name=self.unique("world location"))
        self.w.locations.append(location)
        body = {"name": location.name, "timeZone": str(self.w.zone)}
        self._created(location, "createLocation", body, None)
        self._replace_hours(location, hours)
        return location

    def _replace_hours(self, location: Location, hours: str) -> None:
        entries = [{"dayOfWeek": d, "opensAt": o, "closesAt": c} for d in range(7) for o, c in HOURS[hours]]
        expect = Expect(404, "T7", why="deleted") if location.deleted else Expect(200, "B3")
        self._expect(
            "replaceBusinessHours", expect, path={"locationId": location.id}, json={"entries": entries}
        )
        if not location.deleted:
            location.hours = list(HOURS[hours])

    def _member(self, location: Location, assign: bool, shift: tuple[int, int] | None) -> Member:
        member = Member(f"staff{len(self.w.members) + 1}", name=self.unique("world staff"))
        self.w.members.append(member)
        places = [str(location.id)] if assign and location.live else []
        body = {"name": member.name, "businessLocationIds": places}
        self._created(member, "createStaffMember", body, None)
        member.locations = set(places)
        if shift is not None:
            self._add_shift(member, location, *shift)
        return member

    def _add_shift(self, member: Member, location: Location, start: int, quarters: int) -> Shift:
        interval = Interval(self.w.at(start * 15), self.w.at(min(start + quarters, 95) * 15))
        shift = Shift(f"shift{len(self.w.shifts) + 1}", member=member, location=location, interval=interval)
        self.w.shifts.append(shift)
        overlaps = [
            s.label
            for s in self.w.shifts
            if s.live and s.member is member and s.interval and s.interval.overlaps(interval)
        ]
        refusal = (
            Expect(404, "T7", why="staff deleted")
            if not member.live
            else Expect(400, "V1", field="businessLocationId", why="not assigned there")
            if not location.live or str(location.id) not in member.locations
            else Expect(409, "B4", "shift_overlap", why=f"overlaps {overlaps}")
            if overlaps
            else None
        )
        body = {
            "businessLocationId": location.id,
            "startsAt": wire(interval.start),
            "endsAt": wire(interval.end),
        }
        response = self.api.call("createStaffShift", path={"staffMemberId": str(member.id)}, json=body)
        dto = check_answer(response, refusal or Expect(201, "T8", why="a valid shift"), "createStaffShift")
        if refusal is None:
            shift.id = str(dto["id"])
        return shift

    def _rtype(self) -> ResourceType:
        rtype = ResourceType(f"type{len(self.w.rtypes) + 1}", name=self.unique("world room type"))
        self.w.rtypes.append(rtype)
        self._created(rtype, "createResourceType", {"name": rtype.name}, None)
        return rtype

    def _unit(self, rtype: ResourceType, location: Location) -> Unit:
        unit = Unit(
            f"unit{len(self.w.units) + 1}", name=self.unique("world room"), rtype=rtype, location=location
        )
        self.w.units.append(unit)
        bad = [
            key
            for key, entity in (("resourceTypeId", rtype), ("businessLocationId", location))
            if not entity.live
        ]
        refusal = (
            Expect(400, "V1", field=bad[0] if len(bad) == 1 else None, why=f"deleted {bad}") if bad else None
        )
        body = {"name": unit.name, "resourceTypeId": rtype.id, "businessLocationId": location.id}
        self._created(unit, "createResource", body, refusal)
        return unit

    def _service(
        self, location: Location, rtype: ResourceType | None, skip: int | None, minutes: int
    ) -> Service:
        """A reservable at `location` for every live staff member but the `skip`-th (an ineligible one)."""
        staff = [m for m in self.w.members if m.live]
        if skip is not None and staff:
            staff.pop(skip % len(staff))
        label = f"service{len(self.w.services) + 1}"
        service = Service(
            label, name=self.unique("world service"), location=location, staff=staff, rtype=rtype
        )
        service.duration, service.price_cents = timedelta(minutes=minutes), 1000 + minutes * 50
        self.w.services.append(service)
        bad = [
            key
            for key, e in (("businessLocationIds", location), ("resourceTypeIds", rtype))
            if e and not e.live
        ]
        refusal = (
            Expect(400, "V1", field=bad[0] if len(bad) == 1 else None, why=f"deleted {bad}") if bad else None
        )
        body = {
            "name": service.name,
            "durationMinutes": minutes,
            "priceCents": service.price_cents,
            "businessLocationIds": [location.id],
            "staffMemberIds": [m.id for m in staff],
            "resourceTypeIds": [rtype.id] if rtype else [],
        }
        response = self.api.call("createReservable", json=body)
        dto = check_answer(
            response, refusal or Expect(201, "T8", why="a valid reservable"), "createReservable"
        )
        if refusal is None:
            service.id, service.variant_id = str(dto["id"]), str(dto["variants"][0]["id"])
            self.on_teardown(
                functools.partial(self.api.call, "deleteReservable", path={"reservableId": service.id})
            )
        return service

    def _delete(self, entity: Entity, operation_id: str, path: dict[str, Any]) -> None:
        users = self.w.users_of(entity)
        expect = (
            Expect(404, "T7", why="already deleted")
            if entity.deleted
            else Expect(409, "T7", "in_use", why=f"used by {users}")
            if users
            else Expect(204, "T7")
        )
        self._expect(operation_id, expect, path=path)
        if expect.status == 204:
            self.w.removed(entity)
            self._expect(operation_id, Expect(404, "T7", why="deleted just now"), path=path)

    def _path_of(self, entity: Entity) -> tuple[str, dict[str, Any]]:
        """The delete operation of `entity` and its path parameters."""
        if isinstance(entity, Shift):
            assert entity.member is not None
            return "deleteStaffShift", {"staffMemberId": str(entity.member.id), "shiftId": str(entity.id)}
        if isinstance(entity, Block):
            assert entity.member is not None
            return "deleteStaffBlock", {"staffMemberId": str(entity.member.id), "blockId": str(entity.id)}
        operation, parameter = DELETE[type(entity)]
        return operation, {parameter: str(entity.id)}

    def teardown(self) -> None:
        if self.world is not None:
            for booking in self.world.occupying():
                self.api.call(
                    "cancelBooking", path={"bookingId": str(booking.id)}, params={"notifyCustomer": False}
                )
        super().teardown()

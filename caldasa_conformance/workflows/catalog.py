"""Catalog lifecycle machine (class `catalog`: create, read, update, delete of the booking catalog).

Locations, staff, resource types, resources and reservables are created, patched, assigned and deleted in
random order. The model predicts `409 in_use` for deletes of things still referenced (design §8 #44: a
resource type with resources or required by a reservable; a location with resources or reservables) and
`204` otherwise; deleted things answer 404 to GET and to a second DELETE (T7), live ones read back as created
(T8), and PATCH leaves omitted or null fields unchanged (K1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from caldasa_conformance.oracles import catalog as oracles
from caldasa_conformance.oracles.customers import patch_keeps_unsent_fields
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step

KINDS = ("location", "staff", "resourceType", "resource", "reservable")
GET = {
    "location": ("getLocation", "locationId"),
    "staff": ("getStaffMember", "staffMemberId"),
    "resourceType": ("getResourceType", "resourceTypeId"),
    "resource": ("getResource", "resourceId"),
    "reservable": ("getReservable", "reservableId"),
}
DELETE = {
    "location": "deleteLocation",
    "staff": "deleteStaffMember",
    "resourceType": "deleteResourceType",
    "resource": "deleteResource",
    "reservable": "deleteReservable",
}
MAX_PER_KIND = 3


@dataclass
class Entity:
    kind: str
    label: str
    id: str
    name: str
    refs: dict[str, Any] = field(default_factory=dict)


class CatalogLifecycle(WorkflowMachine):
    """The catalog against its model; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.live: dict[str, list[Entity]] = {kind: [] for kind in KINDS}
        self.deleted: list[Entity] = []

    def _count(self, kind: str) -> int:
        return len(self.live[kind])

    # ---------------------------------------------------------------- creates
    @precondition(lambda self: self._count("location") < MAX_PER_KIND)
    @rule()
    @step
    def create_location(self) -> None:
        name = self.unique("catalog location")
        self._create("location", "createLocation", {"name": name, "timeZone": "Europe/Berlin"}, name)

    @precondition(lambda self: self._count("resourceType") < MAX_PER_KIND)
    @rule()
    @step
    def create_resource_type(self) -> None:
        name = self.unique("catalog type")
        self._create("resourceType", "createResourceType", {"name": name}, name)

    @precondition(
        lambda self: (
            self._count("resource") < MAX_PER_KIND
            and bool(self.live["location"])
            and bool(self.live["resourceType"])
        )
    )
    @rule(location=st.integers(0, 9), rtype=st.integers(0, 9))
    @step
    def create_resource(self, location: int, rtype: int) -> None:
        place, kind = self._nth("location", location), self._nth("resourceType", rtype)
        name = self.unique("catalog unit")
        body = {"name": name, "resourceTypeId": kind.id, "businessLocationId": place.id}
        self._create("resource", "createResource", body, name, location=place.id, type=kind.id)

    @precondition(lambda self: self._count("staff") < MAX_PER_KIND)
    @rule(assign=st.booleans(), location=st.integers(0, 9))
    @step
    def create_staff(self, assign: bool, location: int) -> None:
        places = [self._nth("location", location).id] if assign and self.live["location"] else []
        name = self.unique("catalog staff")
        self._create(
            "staff",
            "createStaffMember",
            {"name": name, "businessLocationIds": places},
            name,
            locations=set(places),
        )

    @precondition(lambda self: self._count("reservable") < MAX_PER_KIND and bool(self.live["location"]))
    @rule(location=st.integers(0, 9), with_type=st.booleans(), rtype=st.integers(0, 9))
    @step
    def create_reservable(self, location: int, with_type: bool, rtype: int) -> None:
        place = self._nth("location", location)
        types = [self._nth("resourceType", rtype).id] if with_type and self.live["resourceType"] else []
        name = self.unique("catalog service")
        body = {
            "name": name,
            "durationMinutes": 30,
            "priceCents": 1000,
            "businessLocationIds": [place.id],
            "resourceTypeIds": types,
            "requiresStaff": False,
        }
        self._create("reservable", "createReservable", body, name, locations={place.id}, types=set(types))

    def _create(self, kind: str, operation_id: str, body: dict[str, Any], name: str, **refs: Any) -> None:
        response = self.api.call(operation_id, json=body)
        dto = check_answer(response, Expect(201, "T8", why=f"a valid {kind}"), operation_id)
        entity = Entity(kind, f"{kind}{len(self.live[kind]) + len(self.deleted) + 1}", dto["id"], name, refs)
        self.live[kind].append(entity)
        self.on_teardown(lambda: self.api.call(DELETE[kind], path={GET[kind][1]: entity.id}))
        location = response.headers.get("Location", "")
        oracles.created_entity_reads_back(operation_id, entity_id=entity.id, location=location)

    # ---------------------------------------------------------------- updates and assignments
    @precondition(lambda self: bool(self.live["location"]))
    @rule(pick=st.integers(0, 9), mode=st.sampled_from(["null", "omit", "value"]))
    @step
    def update_location(self, pick: int, mode: str) -> None:
        """K1: name sent as null or omitted stays; a new name replaces it."""
        place = self._nth("location", pick)
        body: dict[str, Any] = {"phone": None}
        if mode != "omit":
            body["name"] = None if mode == "null" else self.unique("catalog location renamed")
        dto = check_answer(
            self.api.call("updateLocation", path={"locationId": place.id}, json=body),
            Expect(200, "K1"),
            "updateLocation",
        )
        place.name = body.get("name") or place.name
        patch_keeps_unsent_fields(dto, {"name": place.name}, "updateLocation")

    @precondition(lambda self: bool(self.live["location"]) and bool(self.live["staff"]))
    @rule(pick=st.integers(0, 9), location=st.integers(0, 9), assign=st.booleans())
    @step
    def toggle_assignment(self, pick: int, location: int, assign: bool) -> None:
        """Assign is idempotent (204); unassigning a member who is not assigned answers 404."""
        member, place = self._nth("staff", pick), self._nth("location", location)
        path = {"locationId": place.id, "staffMemberId": member.id}
        if assign:
            check_answer(
                self.api.call("assignStaffToLocation", path=path), Expect(204, "T7"), "assignStaffToLocation"
            )
            member.refs["locations"].add(place.id)
            return
        assigned = place.id in member.refs["locations"]
        expect = Expect(204, "T7") if assigned else Expect(404, "T7", why="not assigned")
        check_answer(
            self.api.call("unassignStaffFromLocation", path=path), expect, "unassignStaffFromLocation"
        )
        member.refs["locations"].discard(place.id)

    # ---------------------------------------------------------------- deletes
    @precondition(lambda self: any(self.live.values()))
    @rule(kind=st.sampled_from(KINDS), pick=st.integers(0, 9))
    @step
    def delete(self, kind: str, pick: int) -> None:
        """T7: 409 in_use while referenced; else 204, then 404 to GET and to a second DELETE."""
        if not self.live[kind]:
            return
        entity = self._nth(kind, pick)
        users = self._users_of(entity)
        path = {GET[kind][1]: entity.id}
        if users:
            expect = Expect(409, "T7", "in_use", why=f"used by {', '.join(users)}")
            check_answer(self.api.call(DELETE[kind], path=path), expect, DELETE[kind])
            return
        check_answer(self.api.call(DELETE[kind], path=path), Expect(204, "T7"), DELETE[kind])
        self.live[kind].remove(entity)
        self.deleted.append(entity)
        if kind == "location":
            for member in self.live["staff"]:
                member.refs["locations"].discard(entity.id)
        check_answer(
            self.api.call(DELETE[kind], path=path), Expect(404, "T7", why="already deleted"), DELETE[kind]
        )

    def _users_of(self, entity: Entity) -> list[str]:
        """What keeps `entity` in use (design §8 #44, without bookings or events: this machine makes none)."""
        if entity.kind == "resourceType":
            return [e.label for e in self.live["resource"] if e.refs["type"] == entity.id] + [
                e.label for e in self.live["reservable"] if entity.id in e.refs["types"]
            ]
        if entity.kind == "location":
            return [e.label for e in self.live["resource"] if e.refs["location"] == entity.id] + [
                e.label for e in self.live["reservable"] if entity.id in e.refs["locations"]
            ]
        return []

    # ---------------------------------------------------------------- invariant
    @invariant()
    @checked
    def catalog_matches_model(self) -> None:
        """Live entities read back (T8) with their assignments; deleted ones answer 404 (T7)."""
        for kind, entities in self.live.items():
            for entity in entities:
                operation_id, parameter = GET[kind]
                dto = check_answer(
                    self.api.call(operation_id, path={parameter: entity.id}),
                    Expect(200, "T8", why="created and not deleted"),
                    operation_id,
                )
                oracles.created_entity_reads_back(operation_id, dto=dto, name=entity.name, kind=kind)
                if kind == "staff":
                    oracles.unassignments_and_deletes_stick(dto, entity.refs["locations"], operation_id)
        for entity in self.deleted[-3:]:
            operation_id, parameter = GET[entity.kind]
            check_answer(
                self.api.call(operation_id, path={parameter: entity.id}),
                Expect(404, "T7", why="deleted"),
                operation_id,
            )

    def _nth(self, kind: str, pick: int) -> Entity:
        entity = self.live[kind][pick % len(self.live[kind])]
        self.journal.steps[-1].arguments[kind] = entity.label
        return entity


TestCatalogLifecycle = CatalogLifecycle.test_case()

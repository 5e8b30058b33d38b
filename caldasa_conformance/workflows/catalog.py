"""Catalog lifecycle machine (class `catalog`: create, read, update, delete of the booking catalog).

Locations, staff, resource types, resources and reservables are created, patched, assigned and deleted in
random order. The model predicts `409 in_use` for deletes of things still referenced (design §8 #44: a
resource type with resources or required by a reservable; a location with resources or reservables) and
`204` otherwise; deleted things answer 404 to GET and to a second DELETE (T7), live ones read back as created
(T8), and PATCH leaves omitted or null fields unchanged (K1). A create (for a location also an update of
another one) sending a live entity's unique value, the exact string, answers 409 and changes nothing (T11).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from caldasa_conformance.naming import unique_email
from caldasa_conformance.oracles import catalog as oracles
from caldasa_conformance.oracles.customers import patch_keeps_unsent_fields
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step
from caldasa_conformance.workflows.reads import read_groups

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
# Kind -> (its create, the field unique per tenant, the 409 code of a duplicate, its list) (T11)
UNIQUE = {
    "location": ("createLocation", "name", "duplicate_name", "listLocations"),
    "resourceType": ("createResourceType", "name", "duplicate_name", "listResourceTypes"),
    "staff": ("createStaffMember", "email", "duplicate_email", "listStaffMembers"),
}
MAX_PER_KIND = 3
LOCATION_DETAILS = ("name", "phone", "email")  # the PATCHable details the model follows
PATCH_MODES = ("null", "omit", "value")


@dataclass
class Entity:
    kind: str
    label: str
    id: str
    name: str
    refs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)  # a location's details as the model expects them


class CatalogLifecycle(WorkflowMachine):
    """The catalog against its model; see the module docstring."""

    examples_factor = 4  # deletes of things in use need many short histories to meet

    def __init__(self) -> None:
        super().__init__()
        self.live: dict[str, list[Entity]] = {kind: [] for kind in KINDS}
        self.deleted: list[Entity] = []
        self.updates = 0

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
    @rule(locations=st.lists(st.integers(0, 9), max_size=MAX_PER_KIND))
    @step
    def create_staff(self, locations: list[int]) -> None:
        """A staff member assigned to none, one or several of the live locations."""
        live = self.live["location"]
        places = sorted({live[pick % len(live)].id for pick in locations}) if live else []
        name, email = self.unique("catalog staff"), unique_email(self.target.run_tag, "catalog staff")
        self._create(
            "staff",
            "createStaffMember",
            {"name": name, "email": email, "businessLocationIds": places},
            name,
            locations=set(places),
            email=email,
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
        if kind == "location":
            entity.details = {"name": name, "phone": None, "email": None}
        self.live[kind].append(entity)
        self.on_teardown(lambda: self.api.call(DELETE[kind], path={GET[kind][1]: entity.id}))
        location = response.headers.get("Location", "")
        oracles.created_entity_reads_back(operation_id, entity_id=entity.id, location=location)

    # ---------------------------------------------------------------- updates and assignments
    @precondition(lambda self: bool(self.live["location"]))
    @rule(pick=st.integers(0, 9), modes=st.tuples(*[st.sampled_from(PATCH_MODES)] * len(LOCATION_DETAILS)))
    @step
    def update_location(self, pick: int, modes: tuple[str, ...]) -> None:
        """K1: each detail sent as null or omitted keeps its value; one sent with a value takes it."""
        place = self._nth("location", pick)
        body: dict[str, Any] = {}
        for detail, mode in zip(LOCATION_DETAILS, modes, strict=True):
            if mode != "omit":
                body[detail] = None if mode == "null" else self._detail_value(detail)
        dto = check_answer(
            self.api.call("updateLocation", path={"locationId": place.id}, json=body),
            Expect(200, "K1"),
            "updateLocation",
        )
        place.details.update({key: value for key, value in body.items() if value is not None})
        place.name = place.details["name"]
        patch_keeps_unsent_fields(dto, place.details, "updateLocation")

    def _detail_value(self, detail: str) -> str:
        self.updates += 1
        if detail == "name":
            return self.unique("catalog location renamed")
        return f"+4930{self.updates:06d}" if detail == "phone" else f"desk-{self.updates}@example.com"

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

    # ---------------------------------------------------------------- duplicates
    @precondition(lambda self: any(self.live[kind] for kind in UNIQUE))
    @rule(which=st.integers(0, len(UNIQUE) - 1), pick=st.integers(0, 9), other=st.integers(0, 9))
    @step
    def send_duplicate(self, which: int, pick: int, other: int) -> None:
        """T11: a create with a live entity's unique value (for a location, also an update of another live
        location to it) answers 409 duplicate_name/duplicate_email, and the value stays that entity's alone.

        `which` picks among the kinds with a unique field the model holds, `pick` the entity and `other`
        the location to rename; all three are drawn before anything is read from the target.
        """
        kinds = [kind for kind in UNIQUE if self.live[kind]]
        entity = self._nth(kinds[which % len(kinds)], pick)
        create, unique_field, code, listing = UNIQUE[entity.kind]
        value = entity.name if unique_field == "name" else entity.refs["email"]
        bodies: dict[str, dict[str, Any]] = {
            "location": {"name": value, "timeZone": "Europe/Berlin"},
            "resourceType": {"name": value},
            "staff": {"name": self.unique("catalog staff"), "email": value, "businessLocationIds": []},
        }
        answer = self.api.call(create, json=bodies[entity.kind])
        if answer.status_code == 201:  # accepted all the same: removed at teardown, then judged
            created_id = answer.json()["id"]
            delete, parameter = DELETE[entity.kind], GET[entity.kind][1]
            self.on_teardown(lambda: self.api.call(delete, path={parameter: created_id}))
        oracles.duplicate_is_refused(create, answer=answer, code=code)
        others = [place for place in self.live["location"] if place is not entity]
        if entity.kind == "location" and others:
            renamed = others[other % len(others)]
            self.journal.steps[-1].arguments["renamed"] = renamed.label
            path = {"locationId": renamed.id}
            answer = self.api.call("updateLocation", path=path, json={"name": value})
            oracles.duplicate_is_refused("updateLocation", answer=answer, code=code)
        holders = [item["id"] for item in self._list_all(listing) if item.get(unique_field) == value]
        expect = Expect(200, "T11", why="its value was refused to another")
        owner = check_answer(self._read(entity), expect, GET[entity.kind][0])
        oracles.duplicate_is_refused(listing, holders=(value, holders, entity.id, owner.get(unique_field)))

    def _list_all(self, operation_id: str) -> list[dict[str, Any]]:
        """Every item of a catalog list, all pages walked (listResourceTypes has a single page)."""
        items: list[dict[str, Any]] = []
        for page in range(1, 1000):
            params = {} if operation_id == "listResourceTypes" else {"page": page, "pageSize": 100}
            body = check_answer(self.api.call(operation_id, params=params), Expect(200, "T11"), operation_id)
            items.extend(body["items"])
            if not params or not body["items"] or len(items) >= body.get("totalCount", 0):
                return items
        return items

    # ---------------------------------------------------------------- deletes
    @precondition(lambda self: any(self.live.values()))
    @rule(which=st.integers(0, len(KINDS) - 1), used=st.booleans(), pick=st.integers(0, 9))
    @step
    def delete(self, which: int, used: bool, pick: int) -> None:
        """T7: 409 in_use while referenced; else 204, then 404 to GET and to a second DELETE.

        With `used`, one of the entities the model knows to be in use (of any kind) is picked; otherwise
        `which` picks among the kinds the model holds, so no step is spent on an empty kind.
        """
        in_use = [e for kind in KINDS for e in self.live[kind] if self._dependents(e)]
        if used and in_use:
            entity = in_use[pick % len(in_use)]
        else:
            kinds = [kind for kind in KINDS if self.live[kind]]
            entity = self._nth(kinds[which % len(kinds)], pick)
        kind = entity.kind
        self.journal.steps[-1].arguments[kind] = entity.label
        self._delete(entity)

    @precondition(lambda self: bool(self.live["location"]))
    @rule(pick=st.integers(0, 9))
    @step
    def tear_down_location(self, pick: int) -> None:
        """T7: a location with everything on it removed, its resources and services first, then itself."""
        place = self._nth("location", pick)
        for entity in self._dependents(place):
            self._delete(entity)
        self._delete(place)

    def _delete(self, entity: Entity) -> None:
        """Delete `entity` as the model predicts; once deleted, it answers 404 to a second DELETE."""
        kind, users = entity.kind, self._users_of(entity)
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
        return [user.label for user in self._dependents(entity)]

    def _dependents(self, entity: Entity) -> list[Entity]:
        """What keeps `entity` in use (design §8 #44, without bookings or events: this machine makes none)."""
        if entity.kind == "resourceType":
            return [e for e in self.live["resource"] if e.refs["type"] == entity.id] + [
                e for e in self.live["reservable"] if entity.id in e.refs["types"]
            ]
        if entity.kind == "location":
            return [e for e in self.live["resource"] if e.refs["location"] == entity.id] + [
                e for e in self.live["reservable"] if entity.id in e.refs["locations"]
            ]
        return []

    # ---------------------------------------------------------------- invariant
    @invariant()
    @checked
    def catalog_matches_model(self) -> None:
        """Live entities read back (T8) with their assignments; deleted ones answer 404 (T7); read at once."""
        live = [entity for entities in self.live.values() for entity in entities]
        gone = self.deleted[-3:]
        live_reads, gone_reads = read_groups(
            [functools.partial(self._read, entity) for entity in live],
            [functools.partial(self._read, entity) for entity in gone],
        )
        for entity, response in zip(live, live_reads, strict=True):
            operation_id = GET[entity.kind][0]
            dto = check_answer(response, Expect(200, "T8", why="created and not deleted"), operation_id)
            oracles.created_entity_reads_back(operation_id, dto=dto, name=entity.name, kind=entity.kind)
            if entity.details:
                patch_keeps_unsent_fields(dto, entity.details, operation_id)
            if entity.kind == "staff":
                oracles.unassignments_and_deletes_stick(dto, entity.refs["locations"], operation_id)
        for entity, response in zip(gone, gone_reads, strict=True):
            check_answer(response, Expect(404, "T7", why="deleted"), GET[entity.kind][0])

    def _read(self, entity: Entity) -> httpx.Response:
        operation_id, parameter = GET[entity.kind]
        return self.api.call(operation_id, path={parameter: str(entity.id)})

    def _nth(self, kind: str, pick: int) -> Entity:
        entity = self.live[kind][pick % len(self.live[kind])]
        self.journal.steps[-1].arguments[kind] = entity.label
        return entity


TestCatalogLifecycle = CatalogLifecycle.test_case()

"""World machine (class `bookings`): build the booking world through the API, use it, and tear it down.

Where `bookings.BookingEngine` books in a world built once per example, this machine builds the world itself
with Hypothesis `Bundle`s: locations (with business hours), staff, shifts, resource types, units, reservables
and bookings are created, changed (hours replaced, staff assigned and unassigned, a reservable deactivated, a
unit moved) and deleted, also while still in use (`409 in_use`, design §8 #44), in random order. The shortest
path through the rules is the design card's workflow: location → staff → shift → reservable → booking →
cancel. The model (`world_model`) predicts every answer; after every step the server's bookings, unit
holdings, catalog and availability must equal the model's (`world_checks`, judged by `oracles`).

Replays are exact: every rule that creates returns its model object to its bundle whatever the server answered
(a refused create is kept with no id), deletes only mark, and preconditions count steps, never answers. The
model adopts the staff member and the unit the server chose when the contract leaves the choice to it (§8 #30,
#31), and fails when the choice was not open to it.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, invariant, precondition, rule

from caldasa_conformance.workflows.checks import Expect
from caldasa_conformance.workflows.machine import checked, step
from caldasa_conformance.workflows.timeutil import ZONES, now, quarter_hours
from caldasa_conformance.workflows.world_blocks import BlockRules
from caldasa_conformance.workflows.world_booking_rules import BookingRules
from caldasa_conformance.workflows.world_checks import (
    check_availability,
    check_bookings,
    check_catalog,
    listed_slots,
)
from caldasa_conformance.workflows.world_model import (
    HOURS,
    Booking,
    Entity,
    Location,
    Member,
    ResourceType,
    Service,
    Shift,
    Unit,
    World,
)
from caldasa_conformance.workflows.world_steps import reported

SLOTS = quarter_hours(76)
# deletes wait until a world can stand (a count of steps, so a replay enables the same rules)
STEPS_BEFORE_DELETES = 10
KINDS = ["locations", "members", "rtypes", "units", "services"]


class WorldMachine(BlockRules, BookingRules):
    """The world built and torn down against its model; see the module docstring."""

    locations = Bundle("locations")
    members = Bundle("staff")
    shifts = Bundle("shifts")
    rtypes = Bundle("resource_types")
    units = Bundle("units")
    services = Bundle("reservables")
    booked = Bundle("bookings")

    @initialize(
        target=locations,
        zone=st.sampled_from(ZONES),
        days_ahead=st.integers(2, 9),
        hours=st.sampled_from(["day", "split", "late"]),
    )
    @reported
    @step
    def first_location(self, zone: str, days_ahead: int, hours: str) -> Location:
        """The example's day (one future local date in one zone) and its first location: the start of the
        shortest path location → staff → shift → reservable → booking → cancel."""
        tz = ZoneInfo(zone)
        self.world = World(tz, now().astimezone(tz).date() + timedelta(days=days_ahead))
        return self._location(hours)

    # ---------------------------------------------------------------- the workflow, one link a step
    @rule()
    @reported
    @step
    def advance(self) -> None:
        """The design card's workflow, one link a step, on what the model holds: a member at the first live
        location (assigned, with a shift), a reservable there, then a booking of the newest bookable
        reservable at the first slot the model has open; with none open, at the start of its newest live
        booking again (B1/B2: 409), or, after such a refusal, the cancel of that booking (C1). What it does
        follows the model; it draws nothing."""
        place = next((location for location in self.w.locations if location.live), None)
        if place is None:
            self.journal.steps[-1].arguments["note"] = "no live location"
            return
        if not self._furnished(place):
            return
        bookable = [s for s in self.w.services if s.live and s.location is place and self.w.eligible(s)]
        if not bookable and self.below("services"):
            self._service(place, self._room_type(place), None, 60)
            return
        if not bookable:
            self.journal.steps[-1].arguments["note"] = "nothing bookable"
            return
        service = bookable[-1]
        self.journal.steps[-1].arguments["service"] = service.label
        starts = sorted(start for start, _ in self.w.open_slots(service))
        held = [b for b in self.w.occupying() if b.service is service and b.interval]
        if not starts and held and self.w.bookings[-1].id is None:
            self.journal.steps[-1].arguments["cancel"] = held[-1].label
            self._cancel(held[-1])
            return
        again = [b.interval.start for b in held if b.interval]
        start = starts[0] if starts else (again[-1] if again else self.w.at(10 * 60))
        self._book(service, None, int((start - self.w.at(0)).total_seconds()) // 900, 0, None)

    @rule()
    @reported
    @step
    def delete_in_use(self) -> None:
        """T7 and §8 #44: delete something the model knows is in use (409 in_use), taking turns among them:
        a resource type with units, a location with a unit, reservable or live booking, a member, reservable,
        unit or shift under a live booking."""
        kinds: list[list[Entity]] = [
            [*self.w.rtypes],
            [*self.w.locations],
            [*self.w.members],
            [*self.w.services],
            [*self.w.units],
        ]
        used = [e for entities in kinds for e in entities if e.live and self.w.users_of(e)]
        used += [s for s in self.w.shifts if s.live and self.w.users_of(s)]
        if not used:
            self.journal.steps[-1].arguments["note"] = "nothing in use"
            return
        entity = used[len(self.journal.steps) % len(used)]
        self.journal.steps[-1].arguments["entity"] = entity.label
        self._delete(entity, *self._path_of(entity))

    # ---------------------------------------------------------------- locations and hours
    @precondition(lambda self: self.below("locations"))
    @rule(target=locations, hours=st.sampled_from(["day", "day", "split", "late"]))
    @reported
    @step
    def create_location(self, hours: str) -> Location:
        return self._location(hours)

    @rule(location=locations, hours=st.sampled_from(list(HOURS)))
    @reported
    @step
    def edit_hours(self, location: Location, hours: str) -> None:
        """§8 #45: hours are replaced whatever is booked; availability follows them."""
        self._replace_hours(location, hours)

    # ---------------------------------------------------------------- staff, assignments, shifts
    @precondition(lambda self: self.below("members"))
    @rule(
        target=members,
        location=locations,
        assign=st.sampled_from([True, True, False]),
        shift=st.sampled_from([True, True, False]).flatmap(
            lambda on: st.tuples(st.integers(28, 48), st.integers(16, 40)) if on else st.none()
        ),
    )
    @reported
    @step
    def create_staff(self, location: Location, assign: bool, shift: tuple[int, int] | None) -> Member:
        """A member, assigned to `location` or not, with a first shift there or not (§8 #42)."""
        return self._member(location, assign, shift)

    @rule(member=members, location=locations, assign=st.booleans())
    @reported
    @step
    def toggle_assignment(self, member: Member, location: Location, assign: bool) -> None:
        """Assign (204, idempotent); unassign: 404 if not assigned, 409 in_use with live items there (§8 #44),
        else 204, and the member's shifts there go with it (§8 #43)."""
        path = {"locationId": location.id, "staffMemberId": member.id}
        gone = Expect(404, "T7", why="deleted") if not (member.live and location.live) else None
        if assign:
            self._expect("assignStaffToLocation", gone or Expect(204, "B6"), path=path)
            if gone is None:
                member.locations.add(str(location.id))
            return
        busy = [b.label for b in self.w.items_of(member, location)]
        expect = gone or (
            Expect(404, "T7", why="not assigned")
            if str(location.id) not in member.locations
            else Expect(409, "B6", "in_use", why=f"live bookings {busy}")
            if busy
            else Expect(204, "B6")
        )
        self._expect("unassignStaffFromLocation", expect, path=path)
        if expect.status == 204:
            self.w.unassigned(member, location)

    @precondition(lambda self: self.below("shifts"))
    @rule(
        target=shifts,
        member=members,
        location=locations,
        start=st.integers(28, 56),
        quarters=st.integers(8, 40),
        home=st.sampled_from([True, True, False]),
    )
    @reported
    @step
    def create_shift(
        self, member: Member, location: Location, start: int, quarters: int, home: bool
    ) -> Shift:
        """§8 #42: 400 unless the member is assigned there; 409 shift_overlap over another shift.

        With `home`, the shift is at the first location the model has the member assigned to, if any (what
        the rule does may follow the model; what it draws never does).
        """
        assigned = [place for place in self.w.locations if place.live and str(place.id) in member.locations]
        if home and assigned:
            location = assigned[0]
            self.journal.steps[-1].arguments["location"] = location.label
        return self._add_shift(member, location, start, quarters)

    @rule(shift=shifts)
    @reported
    @step
    def delete_shift(self, shift: Shift) -> None:
        """§8 #44: in use while a live item of the member at the shift's location lies inside it."""
        if not self._absent(shift):
            self._delete(shift, *self._path_of(shift))

    # ---------------------------------------------------------------- resources
    @precondition(lambda self: self.below("rtypes"))
    @rule(target=rtypes)
    @reported
    @step
    def create_resource_type(self) -> ResourceType:
        return self._rtype()

    @precondition(lambda self: self.below("units"))
    @rule(target=units, rtype=rtypes, location=locations)
    @reported
    @step
    def create_unit(self, rtype: ResourceType, location: Location) -> Unit:
        return self._unit(rtype, location)

    @rule(unit=units, location=locations)
    @reported
    @step
    def move_unit(self, unit: Unit, location: Location) -> None:
        """§8 #44: moving a unit a live booking holds answers 409 in_use."""
        if self._absent(unit):
            return
        held = [b.label for b in self.w.occupying() if unit in b.units]
        expect = (
            Expect(404, "T7", why="deleted")
            if unit.deleted
            else Expect(400, "V1", field="businessLocationId", why="location deleted")
            if not location.live
            else Expect(409, "T7", "in_use", why=f"held by {held}")
            if held and unit.location is not location
            else Expect(200, "T8")
        )
        body = {"businessLocationId": location.id}
        self._expect("updateResource", expect, path={"resourceId": unit.id}, json=body)
        if expect.status == 200:
            unit.location = location

    # ---------------------------------------------------------------- reservables
    @precondition(lambda self: self.below("services") and bool(self.w.members))
    @rule(
        target=services,
        location=locations,
        room=st.none() | st.integers(0, 9),
        skip=st.none() | st.integers(0, 9),
        minutes=st.sampled_from([30, 45, 60]),
    )
    @reported
    @step
    def create_service(self, location: Location, room: int | None, skip: int | None, minutes: int) -> Service:
        """A reservable at `location`; with `room`, needing a unit of the `room`-th resource type made."""
        rtype = self.w.rtypes[room % len(self.w.rtypes)] if room is not None and self.w.rtypes else None
        if rtype is not None:
            self.journal.steps[-1].arguments["room"] = rtype.label
        return self._service(location, rtype, skip, minutes)

    @rule(service=services, active=st.booleans())
    @reported
    @step
    def set_service_active(self, service: Service, active: bool) -> None:
        """§8 #45: (de)activating a reservable is never refused; an inactive one has no open slot (§8 #26)."""
        if self._absent(service):
            return
        expect = Expect(404, "T7", why="deleted") if service.deleted else Expect(200, "B7")
        self._expect("updateReservable", expect, path={"reservableId": service.id}, json={"isActive": active})
        if not service.deleted:
            service.active = active

    # ---------------------------------------------------------------- deletes
    @precondition(lambda self: self.world is not None and len(self.journal.steps) > STEPS_BEFORE_DELETES)
    @rule(kind=st.sampled_from(KINDS), pick=st.integers(0, 9))
    @reported
    @step
    def delete(self, kind: str, pick: int) -> None:
        """T7 and §8 #43/#44: 409 in_use while something uses it (a unit, reservable or live booking at a
        location; a live item of a member, of a reservable, on a unit, inside a shift; a unit or reservable of
        a type); else 204, the cascade (hours, assignments, shifts, eligibility), and 404 from then on.

        The entity is the `pick`-th the model asked for of its kind: an index into a list that grows with the
        steps, never with the answers.
        """
        entities: list[Entity] = getattr(self.w, kind)
        if not entities:
            self.journal.steps[-1].arguments["note"] = f"no {kind} yet"
            return
        entity = entities[pick % len(entities)]
        self.journal.steps[-1].arguments[kind] = entity.label
        if self._absent(entity):
            return
        self._delete(entity, *self._path_of(entity))

    # ---------------------------------------------------------------- bookings
    @rule(
        target=booked,
        service=services,
        member=members,
        pin=st.booleans(),
        slot=SLOTS,
        unit=st.none() | st.integers(0, 9),
        email=st.integers(0, 1),
    )
    @reported
    @step
    def book(
        self, service: Service, member: Member, pin: bool, slot: int, unit: int | None, email: int
    ) -> Booking:
        """Book the service with the member pinned or the staff left to the server (§8 #30), and with the
        `unit`-th unit asked for pinned when the service needs a room (§8 #31: 409 resource_unavailable
        when it is held, 400 when it is of another type or location)."""
        pinned = self.w.units[unit % len(self.w.units)] if unit is not None and self.w.units else None
        if pinned is not None and pinned.id is not None and service.rtype is not None:
            self.journal.steps[-1].arguments["unit"] = pinned.label
            return self._book(service, member if pin else None, slot, email, pinned)
        return self._book(service, member if pin else None, slot, email, None)

    @rule(target=booked, service=services, pick=st.integers(0, 200))
    @reported
    @step
    def book_listed_slot(self, service: Service, pick: int) -> Booking:
        """A1: the `pick`-th slot availability lists (in time, then staff order) is bookable as listed."""
        if service.live and service.location is not None:
            served = sorted(listed_slots(self.api, self.w, service), key=lambda slot: (slot[0], slot[1]))
            if served:
                start, staff_id = served[pick % len(served)]
                member = next((m for m in self.w.members if m.id == staff_id), None)
                if member is not None:
                    minutes = int((start - self.w.at(0)).total_seconds() // 60)
                    return self._book(service, member, minutes // 15, 0, None)
        self.journal.steps[-1].arguments["note"] = "no listed slot"
        return self._book(service, None, 0, 0, None)

    @rule(booking=booked)
    @reported
    @step
    def cancel(self, booking: Booking) -> None:
        """C1/C2: cancel frees the slot; a second cancel answers 409 already_cancelled."""
        if not self._absent(booking):
            self._cancel(booking)

    # ---------------------------------------------------------------- invariants
    @invariant()
    @checked
    def bookings_match_model(self) -> None:
        if self.world is not None:
            check_bookings(self.api, self.world)

    @invariant()
    @checked
    def catalog_matches_model(self) -> None:
        if self.world is not None:
            check_catalog(self.api, self.world)

    @invariant()
    @checked
    def availability_matches_model(self) -> None:
        if self.world is not None:
            check_availability(self.api, self.world)


TestWorldMachine = WorldMachine.test_case()

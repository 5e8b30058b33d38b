"""Booking engine machine (class `bookings`: B1–B12, A1–A4, L1, C1–C4).

Each example builds a fresh world through the public API (location, hours, two staff with shifts, a resource
pool, two services) on one future local date, then books, cancels, blocks and re-books at random. The model
predicts every answer; after every step the server's bookings, resource holdings and availability must equal
the model's.
"""

from __future__ import annotations

import functools
import uuid
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from caldasa_conformance.workflows.booking_model import (
    CLOSED_BY,
    LISTED_DESPITE,
    Booking,
    BookingWorld,
    Service,
    Staff,
)
from caldasa_conformance.workflows.checks import Expect, body_of, check_answer, require, violation
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step
from caldasa_conformance.workflows.settings import BudgetSettings
from caldasa_conformance.workflows.timeutil import Interval, local, now, parse, wire

ZONES = ["UTC", "Europe/Berlin", "America/New_York"]
# quarter hours after local midnight: a few hot spots (10:00, 10:30, 11:00, 12:00, 13:00, 14:00) make
# conflicts likely within a short run; the wide range covers opening and closing edges.
SLOTS = st.one_of(st.sampled_from([40, 42, 44, 48, 52, 56]), st.integers(32, 72))
# (role, shift start hour, shift end hour), given to the staff members in id order
ROLES = (("early", 9, 17), ("late", 10, 15))
INVALID_KINDS = ["past", "unknown_variant", "unknown_location", "empty_items", "foreign_type"]


class BookingEngine(WorkflowMachine):
    """The booking engine against its model; see the module docstring."""

    world: BookingWorld | None = None

    def __init__(self) -> None:
        super().__init__()
        self.world = None
        self.room_type_id = ""
        self.home_shifts: dict[str, list[Interval]] = {}
        self.emails = [f"ann-{uuid.uuid4().hex[:8]}@example.test", f"bob-{uuid.uuid4().hex[:8]}@example.test"]
        self.customer_name = self.unique("workflow customer")  # tagged: customers cannot be deleted
        # Preconditions read only what the drawn steps decide, never what the server answered: Hypothesis
        # picks the next rule among those enabled, so a precondition that reads server state makes a replay
        # draw differently (FlakyStrategyDefinition) whenever the server answers differently.
        self.booking_steps = 0
        self.block_steps = 0

    # ---------------------------------------------------------------- world
    @initialize(
        zone=st.sampled_from(ZONES),
        days_ahead=st.integers(2, 9),
        split_hours=st.booleans(),
        units=st.sampled_from([1, 1, 2]),
        durations=st.tuples(st.sampled_from([30, 45, 60]), st.sampled_from([30, 60])),
    )
    @step
    def build_world(
        self, zone: str, days_ahead: int, split_hours: bool, units: int, durations: tuple[int, int]
    ) -> None:
        tz = ZoneInfo(zone)
        day = now().astimezone(tz).date() + timedelta(days=days_ahead)
        location_id = self._create("createLocation", {"name": self.unique("location"), "timeZone": zone})
        self.on_teardown(lambda: self.api.call("deleteLocation", path={"locationId": location_id}))
        windows = (
            [("09:00:00", "12:00:00"), ("13:00:00", "17:00:00")]
            if split_hours
            else [("09:00:00", "17:00:00")]
        )
        entries = [{"dayOfWeek": d, "opensAt": o, "closesAt": c} for d in range(7) for o, c in windows]
        self._ok("replaceBusinessHours", 200, path={"locationId": location_id}, json={"entries": entries})
        hours = [
            Interval(local(day, time.fromisoformat(o), tz), local(day, time.fromisoformat(c), tz))
            for o, c in windows
        ]
        staff = self._build_staff(location_id, day, tz)
        unit_ids, type_id = self._build_resources(location_id, units)
        self.room_type_id = type_id
        services = self._build_services(location_id, list(staff), type_id, durations)
        self.world = BookingWorld(location_id, tz, day, hours, staff, unit_ids, services)

    def _build_staff(self, location_id: str, day: date, tz: ZoneInfo) -> dict[str, Staff]:
        """Two staff members; the one with the lower id works the long shift.

        Roles follow id order, not creation order, so that every replay of an example meets the same world
        (ids are random, and the reference assigns a null `staffMemberId` to the lowest open id): Hypothesis'
        replay and shrinking then see the same answers.
        """
        staff_ids = sorted(
            self._create(
                "createStaffMember",
                {"name": self.unique(f"staff {index}"), "businessLocationIds": [location_id]},
            )
            for index in range(2)
        )
        staff: dict[str, Staff] = {}
        for staff_id, (name, opens, closes) in zip(staff_ids, ROLES, strict=True):
            self.on_teardown(
                functools.partial(self.api.call, "deleteStaffMember", path={"staffMemberId": staff_id})
            )
            shift = Interval(local(day, time(opens), tz), local(day, time(closes), tz))
            self._create(
                "createStaffShift",
                {"businessLocationId": location_id, "startsAt": wire(shift.start), "endsAt": wire(shift.end)},
                path={"staffMemberId": staff_id},
            )
            staff[staff_id] = Staff(staff_id, name, shifts=[shift])
            self.home_shifts[staff_id] = [shift]
        return staff

    def _build_resources(self, location_id: str, units: int) -> tuple[list[str], str]:
        type_id = self._create("createResourceType", {"name": self.unique("room type")})
        self.on_teardown(lambda: self.api.call("deleteResourceType", path={"resourceTypeId": type_id}))
        named = []
        for index in range(units):
            name = f"{self.target.run_tag} room {index}"
            unit_id = self._create(
                "createResource", {"name": name, "resourceTypeId": type_id, "businessLocationId": location_id}
            )
            self.on_teardown(functools.partial(self.api.call, "deleteResource", path={"resourceId": unit_id}))
            named.append((name, unit_id))
        return [unit_id for _, unit_id in sorted(named)], type_id

    def _build_services(
        self, location_id: str, staff_ids: list[str], type_id: str, durations: tuple[int, int]
    ) -> dict[str, Service]:
        services = {}
        for key, minutes, price, types in (
            ("plain", durations[0], 3000, []),
            ("room", durations[1], 4500, [type_id]),
        ):
            body = {
                "name": self.unique(f"service {key}"),
                "durationMinutes": minutes,
                "priceCents": price,
                "businessLocationIds": [location_id],
                "staffMemberIds": staff_ids,
                "resourceTypeIds": types,
            }
            created = self._created_body("createReservable", body)
            reservable_id = created["id"]
            self.on_teardown(
                functools.partial(self.api.call, "deleteReservable", path={"reservableId": reservable_id})
            )
            variant_id = self._variant_of(created)
            services[key] = Service(
                key, reservable_id, variant_id, timedelta(minutes=minutes), price, bool(types)
            )
        return services

    def _variant_of(self, reservable: dict[str, Any]) -> str:
        variants = reservable.get("variants")
        if not variants:
            listed = self._ok("listReservableVariants", 200, path={"reservableId": reservable["id"]})
            variants = listed["items"]
        return str(variants[0]["id"])

    def _created_body(
        self, operation_id: str, body: dict[str, Any], path: dict[str, str] | None = None
    ) -> dict[str, Any]:
        response = self.api.call(operation_id, json=body, path=path)
        return dict(check_answer(response, Expect(201, "T8", why="setup of the booking world"), operation_id))

    def _create(self, operation_id: str, body: dict[str, Any], path: dict[str, str] | None = None) -> str:
        return str(self._created_body(operation_id, body, path)["id"])

    def _ok(self, operation_id: str, status: int, *, requirement: str = "T8", **kwargs: Any) -> Any:
        return check_answer(self.api.call(operation_id, **kwargs), Expect(status, requirement), operation_id)

    # ---------------------------------------------------------------- rules
    def ready(self) -> bool:
        return self.world is not None

    def booked_before(self) -> bool:
        return self.ready() and self.booking_steps > 0

    def blocked_before(self) -> bool:
        return self.ready() and self.block_steps > 0

    def _pick_booking(self, pick: int) -> Booking | None:
        """The `pick`-th booking of the model (modulo), or None while every booking attempt was refused."""
        assert self.world is not None
        if not self.world.bookings:
            self.journal.steps[-1].arguments["booking"] = "none yet"
            return None
        booking = self.world.bookings[pick % len(self.world.bookings)]
        self.journal.steps[-1].arguments["booking"] = booking.label
        return booking

    @precondition(ready)
    @rule(
        service=st.sampled_from(["plain", "room", "room"]),
        staff=st.sampled_from([0, 1, None]),
        slot=SLOTS,
        email=st.integers(0, 1),
        upper=st.booleans(),
        pin=st.sampled_from([None, 0, 1]),
    )
    @step
    def book(
        self, service: str, staff: int | None, slot: int, email: int, upper: bool, pin: int | None
    ) -> None:
        """Book local 08:00–18:00 on the 15-minute grid (slot = quarter hours after midnight)."""
        assert self.world is not None
        self.booking_steps += 1
        staff_id = self.world.staff_by_index(staff) if staff is not None else None
        pinned = (
            self.world.units[pin]
            if pin is not None and pin < len(self.world.units) and service == "room"
            else None
        )
        address = self.emails[email].upper() if upper else self.emails[email]
        self._book(service, staff_id, self.world.at(slot * 15), address, pinned)

    @precondition(booked_before)
    @rule(pick=st.integers(0, 200), same_staff=st.booleans())
    @step
    def repeat_booking(self, pick: int, same_staff: bool) -> None:
        """B1/B2/C1: book what an earlier booking holds (same start, same or other staff)."""
        assert self.world is not None
        earlier = self._pick_booking(pick)
        if earlier is None:
            return
        others = [sid for sid in self.world.staff_ids() if sid != earlier.staff_id]
        staff_id = earlier.staff_id if same_staff else others[0]
        self._book(earlier.service, staff_id, earlier.interval.start, self.emails[1], None)

    @precondition(ready)
    @rule(service=st.sampled_from(["plain", "room"]), pick=st.integers(0, 200))
    @step
    def book_listed_slot(self, service: str, pick: int) -> None:
        """A1: a slot that availability lists must be bookable as listed."""
        assert self.world is not None
        self.booking_steps += 1
        slots = self._availability(service)
        if slots:
            order = list(self.world.staff)
            listed = sorted(
                slots, key=lambda slot: (slot[0], order.index(slot[1]) if slot[1] in order else -1)
            )
            start, staff_id = listed[pick % len(listed)]
            self._book(service, staff_id, start, self.emails[0], None)

    @precondition(ready)
    @rule(
        service=st.sampled_from(["plain", "room"]),
        slot=st.integers(36, 64),
        offset=st.sampled_from([5, 7, 10]),
    )
    @step
    def book_off_grid(self, service: str, slot: int, offset: int) -> None:
        """B7: a start off the 15-minute grid is never a slot."""
        assert self.world is not None
        start = self.world.at(slot * 15 + offset)
        self._book(service, self.world.staff_by_index(0), start, self.emails[0], None)

    @precondition(ready)
    @rule(kind=st.sampled_from(INVALID_KINDS))
    @step
    def book_invalid(self, kind: str) -> None:
        """B11: invalid requests answer 400 naming the field, and persist nothing."""
        assert self.world is not None
        item: dict[str, Any] = {
            "reservableVariantId": self.world.services["room"].variant_id,
            "staffMemberId": self.world.staff_by_index(0),
            "startsAt": wire(self.world.at(10 * 60)),
        }
        body: dict[str, Any] = {
            "businessLocationId": self.world.location_id,
            "customerName": "Invalid Case",
            "customerEmail": self.emails[0],
            "items": [item],
        }
        field = _make_invalid(kind, body, item)
        response = self.api.call("createBooking", json=body)
        check_answer(
            response, Expect(400, "B11", field=field, why=f"invalid request: {kind}"), "createBooking"
        )

    @precondition(booked_before)
    @rule(pick=st.integers(0, 200))
    @step
    def cancel(self, pick: int) -> None:
        """C1/C2: cancel frees the slot; a second cancel answers 409 already_cancelled."""
        booking = self._pick_booking(pick)
        if booking is None:
            return
        response = self.api.call(
            "cancelBooking", path={"bookingId": booking.id}, params={"notifyCustomer": False}
        )
        if booking.status == "Cancelled":
            check_answer(
                response, Expect(409, "C2", "already_cancelled", why="already cancelled"), "cancelBooking"
            )
            return
        dto = check_answer(
            response, Expect(200, "C1", why="a Confirmed booking can be cancelled"), "cancelBooking"
        )
        require(
            dto.get("status") == "Cancelled",
            "C1",
            "cancelBooking did not answer the cancelled booking",
            dto.get("status"),
            "Cancelled",
            "cancelBooking",
        )
        booking.status = "Cancelled"
        stored = self._ok("getBooking", 200, requirement="C4", path={"bookingId": booking.id})
        require(
            stored.get("status") == "Cancelled",
            "C1",
            "The cancellation did not stick",
            f"{booking.label} is {stored.get('status')}",
            "Cancelled",
            "getBooking",
        )
        self._require_activity(booking, "BookingCancelled", "C3")

    @precondition(ready)
    @rule(staff=st.integers(0, 1), slot=st.integers(36, 64), quarters=st.integers(1, 8))
    @step
    def add_block(self, staff: int, slot: int, quarters: int) -> None:
        """B5: a block over a booking answers 409 overlaps_booking; otherwise its time leaves availability."""
        assert self.world is not None
        self.block_steps += 1
        member = self.world.staff[self.world.staff_by_index(staff)]
        interval = Interval(self.world.at(slot * 15), self.world.at((slot + quarters) * 15))
        expect = self.world.predict_block(member.id, interval)
        response = self.api.call(
            "createStaffBlock",
            path={"staffMemberId": member.id},
            json={"startsAt": wire(interval.start), "endsAt": wire(interval.end)},
        )
        body = check_answer(response, expect, "createStaffBlock")
        if response.status_code == 201:
            member.blocks[body["id"]] = interval

    @precondition(blocked_before)
    @rule(pick=st.integers(0, 200))
    @step
    def remove_block(self, pick: int) -> None:
        assert self.world is not None
        owned = [(s, block_id) for s in self.world.staff.values() for block_id in s.blocks]
        if not owned:
            self.journal.steps[-1].arguments["block"] = "none yet"
            return
        member, block_id = owned[pick % len(owned)]
        response = self.api.call("deleteStaffBlock", path={"staffMemberId": member.id, "blockId": block_id})
        check_answer(response, Expect(204, "T7", why="deleting a block"), "deleteStaffBlock")
        del member.blocks[block_id]

    @precondition(ready)
    @rule(staff=st.integers(0, 1))
    @step
    def toggle_assignment(self, staff: int) -> None:
        """B6: an unassigned member leaves availability (409 in_use while they have live bookings here)."""
        assert self.world is not None
        member = self.world.staff[self.world.staff_by_index(staff)]
        path = {"locationId": self.world.location_id, "staffMemberId": member.id}
        if not member.assigned:
            check_answer(
                self.api.call("assignStaffToLocation", path=path), Expect(204, "B6"), "assignStaffToLocation"
            )
            member.assigned = True
            for shift in self.home_shifts[member.id]:
                body = {
                    "businessLocationId": self.world.location_id,
                    "startsAt": wire(shift.start),
                    "endsAt": wire(shift.end),
                }
                self._create("createStaffShift", body, path={"staffMemberId": member.id})
                member.shifts.append(shift)
            return
        busy = [b.label for b in self.world.live_items_of(member.id)]
        expect = Expect(409, "B6", "in_use", why=f"live bookings {busy}") if busy else Expect(204, "B6")
        check_answer(
            self.api.call("unassignStaffFromLocation", path=path), expect, "unassignStaffFromLocation"
        )
        if not busy:
            member.assigned, member.shifts = False, []  # unassigning deletes the shifts there (§8 #43)

    # ---------------------------------------------------------------- booking helper
    def _book(self, service: str, staff_id: str | None, start: Any, email: str, pinned: str | None) -> None:
        assert self.world is not None
        expect, open_staff, free_units = self.world.predict_booking(service, staff_id, start, pinned)
        item: dict[str, Any] = {
            "reservableVariantId": self.world.services[service].variant_id,
            "staffMemberId": staff_id,
            "startsAt": wire(start),
        }
        if pinned is not None:
            item["resourceSelections"] = [{"resourceTypeId": self.room_type_id, "specificResourceId": pinned}]
        body = {
            "businessLocationId": self.world.location_id,
            "customerName": self.customer_name,
            "customerEmail": email,
            "notes": None,
            "items": [item],
        }
        response = self.api.call("createBooking", json=body)
        if expect.status == 409 and response.status_code == 201:
            expect = self._blame_accepted(service, start, body_of(response), expect)
        dto = check_answer(response, expect, "createBooking")
        if response.status_code != 201:
            return
        interval = Interval(start, start + self.world.services[service].duration)
        booking = Booking(
            f"b{len(self.world.bookings) + 1}",
            dto["id"],
            service,
            self._adopted_staff(dto, service, start, open_staff),
            interval,
            self._adopted_units(dto["id"], free_units),
            email,
            str(dto.get("customerId")),
        )
        self._check_created(dto, booking)
        self.world.bookings.append(booking)
        self._require_activity(booking, "BookingCreated", "B12")

    def _adopted_staff(self, dto: dict[str, Any], service: str, start: Any, open_staff: list[str]) -> str:
        """The staff member the server assigned, when the contract allows it (any open one, §8 #30)."""
        assert self.world is not None
        items = dto.get("items") or [{}]
        assigned = items[0].get("staffMemberId")
        if assigned in open_staff:
            return str(assigned)
        reason = self.world.closed_reason(service, assigned, start) if assigned in self.world.staff else None
        raise violation(
            CLOSED_BY.get(reason or "", "B6"),
            "The booking went to a staff member who is not open for it",
            f"staff {assigned} ({reason or 'not an eligible member of this world'})",
            f"one of {open_staff}",
            "createBooking",
        )

    def _adopted_units(self, booking_id: str, free_units: list[str]) -> list[str]:
        """The unit the server allocated, when the contract allows it (any free unit, §8 #31).

        A booking's body does not name its units, so with a choice left the units' booking lists tell.
        """
        if len(free_units) <= 1:
            return free_units
        holding = [
            unit
            for unit in free_units
            if any(
                b.get("id") == booking_id
                for b in self._ok(
                    "listBookings", 200, requirement="B2", params={"resourceId": unit, "pageSize": 100}
                )["items"]
            )
        ]
        require(
            len(holding) == 1,
            "B2",
            "The booking does not hold exactly one of the free units",
            holding,
            f"one of {free_units}",
            "listBookings",
        )
        return holding

    def _blame_accepted(self, service: str, start: Any, dto: Any, expect: Expect) -> Expect:
        """The server accepted a closed slot: name the rule that closes it for the staff it assigned."""
        assert self.world is not None
        items = dto.get("items") if isinstance(dto, dict) else None
        staff_id = items[0].get("staffMemberId") if items else None
        if staff_id in self.world.staff and expect.code == "slot_unavailable":
            reason = self.world.closed_reason(service, staff_id, start)
            if reason is not None:
                return Expect(409, CLOSED_BY[reason], "slot_unavailable", why=f"slot closed for it: {reason}")
        return expect

    def _check_created(self, dto: dict[str, Any], booking: Booking) -> None:
        """B9/B10/L1 on a 201 body."""
        assert self.world is not None
        service = self.world.services[booking.service]
        items = dto.get("items") or [{}]
        derived = {
            "status": dto.get("status"),
            "startsAt": _instant(dto.get("startsAt")),
            "endsAt": _instant(dto.get("endsAt")),
            "totalCents": dto.get("totalCents"),
            "item.endsAt": _instant(items[0].get("endsAt")),
            "item.priceCents": items[0].get("priceCents"),
            "item.staffMemberId": items[0].get("staffMemberId"),
            "completedAt": dto.get("completedAt"),
            "serviceName": bool(items[0].get("serviceName")),
        }
        wanted = {
            "status": "Confirmed",
            "startsAt": booking.interval.start,
            "endsAt": booking.interval.end,
            "totalCents": service.price_cents,
            "item.endsAt": booking.interval.end,
            "item.priceCents": service.price_cents,
            "item.staffMemberId": booking.staff_id,
            "completedAt": None,
            "serviceName": True,
        }
        wrong = {key: derived[key] for key in wanted if derived[key] != wanted[key]}
        require(
            not wrong,
            "B9",
            "Derived booking fields are wrong",
            wrong,
            {key: wanted[key] for key in wrong},
            "createBooking",
        )
        known = self.world.customer_for(booking.customer_email)
        require(
            bool(dto.get("customerId")) and known in (None, dto.get("customerId")),
            "B10",
            "Customer linkage broken: the same email linked to another customer",
            dto.get("customerId"),
            known or "a customer id",
            "createBooking",
        )
        self.world.customers.setdefault(booking.customer_email.lower(), str(dto.get("customerId")))

    def _require_activity(self, booking: Booking, kind: str, requirement: str) -> None:
        response = self.api.call(
            "listCustomerActivities",
            path={"customerId": booking.customer_id},
            params={"kind": kind, "limit": 100},
        )
        listed = check_answer(
            response, Expect(200, requirement, why="the customer's timeline"), "listCustomerActivities"
        )
        found = [a for a in listed.get("items", []) if a.get("bookingId") == booking.id]
        require(
            bool(found),
            requirement,
            f"No {kind} activity for the booking",
            "none",
            f"a {kind} entry with bookingId {booking.id}",
            "listCustomerActivities",
        )

    def _availability(self, service: str) -> set[tuple[Any, str]]:
        assert self.world is not None
        response = self.api.call(
            "listAvailabilitySlots",
            params={
                "reservableVariantId": self.world.services[service].variant_id,
                "date": self.world.day.isoformat(),
                "businessLocationId": self.world.location_id,
            },
        )
        body = check_answer(
            response, Expect(200, "A3", why="availability of the world's day"), "listAvailabilitySlots"
        )
        return {(_instant(slot["startsAt"]), slot["staffMemberId"]) for slot in body.get("slots", [])}

    # ---------------------------------------------------------------- invariants
    @invariant()
    @checked
    def bookings_match_model(self) -> None:
        """Statuses (C1/L1), readability of cancelled ones (C4), no staff or unit held twice (B1/B2)."""
        if self.world is None:
            return
        listed = self._ok(
            "listBookings",
            200,
            requirement="C4",
            params={"businessLocationId": self.world.location_id, "pageSize": 100},
        )["items"]
        by_id = {b["id"]: b for b in listed}
        for booking in self.world.bookings:
            self._compare_booking(booking, by_id.get(booking.id))
        extra = set(by_id) - {b.id for b in self.world.bookings}
        require(
            not extra,
            "B8",
            "A rejected booking request persisted a booking",
            sorted(extra),
            "none",
            "listBookings",
        )
        _require_no_overlap(listed, "staffMemberId", "B1", "A staff member is double-booked")
        for unit in self.world.units:
            held = self._ok(
                "listBookings", 200, requirement="B2", params={"resourceId": unit, "pageSize": 100}
            )["items"]
            _require_no_overlap(held, None, "B2", f"Resource unit {unit} is allocated twice")

    def _compare_booking(self, booking: Booking, listed: dict[str, Any] | None) -> None:
        if booking.status == "Cancelled":
            response = self.api.call("getBooking", path={"bookingId": booking.id})
            dto = check_answer(
                response, Expect(200, "C4", why="cancelled bookings stay readable"), "getBooking"
            )
            require(
                dto.get("status") == "Cancelled",
                "C1",
                "The cancellation did not stick",
                f"{booking.label} is {dto.get('status')}",
                "Cancelled",
                "getBooking",
            )
            require(
                listed is not None,
                "C4",
                "A cancelled booking left the list",
                "absent",
                booking.id,
                "listBookings",
            )
            return
        require(
            listed is not None,
            "C4",
            "A booking is missing from the list",
            "absent",
            booking.id,
            "listBookings",
        )
        assert listed is not None
        require(
            listed.get("status") == booking.status,
            "L1",
            "Booking status changed without a transition",
            listed.get("status"),
            booking.status,
            "listBookings",
        )
        require(
            (listed.get("completedAt") is None) == (listed.get("status") != "Completed"),
            "L1",
            "completedAt is inconsistent with status",
            listed.get("completedAt"),
            "set iff Completed",
            "listBookings",
        )

    @invariant()
    @checked
    def availability_matches_model(self) -> None:
        """A2/A3/B3–B5/C1: availability lists exactly the open slots, for both services."""
        if self.world is None:
            return
        for service in self.world.services:
            served = self._availability(service)
            expected = self.world.open_slots(service)
            for start, staff_id in sorted(served - expected, key=str):
                reason = (
                    self.world.closed_reason(service, staff_id, start)
                    if staff_id in self.world.staff
                    else None
                )
                raise violation(
                    LISTED_DESPITE.get(reason or "", "A3"),
                    "Availability lists a closed slot",
                    f"{wire(start)} staff {staff_id}",
                    f"closed: {reason}",
                    "listAvailabilitySlots",
                )
            for start, staff_id in sorted(expected - served, key=str):
                freed = any(
                    not b.occupying and b.interval.overlaps(Interval(start, start + timedelta(minutes=1)))
                    for b in self.world.bookings
                )
                raise violation(
                    "C1" if freed else "A3",
                    "Availability omits an open slot",
                    f"no slot {wire(start)} for staff {staff_id}",
                    "the slot is open",
                    "listAvailabilitySlots",
                )

    def teardown(self) -> None:
        if self.world is not None:
            for booking in self.world.bookings:
                if booking.occupying:
                    self.api.call(
                        "cancelBooking", path={"bookingId": booking.id}, params={"notifyCustomer": False}
                    )
        super().teardown()


def _make_invalid(kind: str, body: dict[str, Any], item: dict[str, Any]) -> str:
    """Break `body` the way `kind` says; return the field the 400 must name."""
    if kind == "past":
        item["startsAt"] = wire((now() - timedelta(days=1)).replace(minute=0, second=0, microsecond=0))
        return "items[0].startsAt"
    if kind == "unknown_variant":
        item["reservableVariantId"] = str(uuid.uuid4())
        return "items[0].reservableVariantId"
    if kind == "unknown_location":
        body["businessLocationId"] = str(uuid.uuid4())
        return "businessLocationId"
    if kind == "empty_items":
        body["items"] = []
        return "items"
    item["resourceSelections"] = [{"resourceTypeId": str(uuid.uuid4()), "specificResourceId": None}]
    return "items[0].resourceSelections"


def _instant(value: Any) -> Any:
    return parse(value) if isinstance(value, str) else value


def _require_no_overlap(
    bookings: list[dict[str, Any]], key: str | None, requirement: str, title: str
) -> None:
    """No two occupying items (of the same `key` value, or at all when key is None) overlap."""
    held: dict[Any, list[tuple[Interval, str]]] = {}
    for booking in bookings:
        if booking.get("status") == "Cancelled":
            continue
        for item in booking.get("items", []):
            interval = Interval(parse(item["startsAt"]), parse(item["endsAt"]))
            owner = item.get(key) if key else None
            if key and owner is None:
                continue
            for other, other_id in held.get(owner, []):
                require(
                    not other.overlaps(interval),
                    requirement,
                    title,
                    f"bookings {other_id} and {booking['id']} overlap at {wire(interval.start)}",
                    "no overlap between occupying items",
                    "listBookings",
                )
            held.setdefault(owner, []).append((interval, booking["id"]))


TestBookingEngine = BookingEngine.TestCase
TestBookingEngine.settings = BudgetSettings()  # type: ignore[assignment]

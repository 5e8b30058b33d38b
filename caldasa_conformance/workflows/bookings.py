"""Booking engine machine (class `bookings`: B1–B12, A1–A4, L1, C1–C4; T12 on the lists it filters).

Each example builds a fresh world through the public API (`builders.booking_world`: location, hours, two staff
with shifts, a resource pool, two services) on one future local date, then books, cancels, blocks and re-books
at random. The model (`booking_model`) predicts every answer; after every step the server's bookings, resource
holdings and availability must equal the model's. Every rule is judged by its function in `oracles`.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from caldasa_conformance.builders.booking_world import (
    INVALID_KINDS,
    BookingWorldBuilder,
    answered,
    available_slots,
    booking_ids_holding,
    booking_request,
    customer_activities,
    invalid_booking_request,
)
from caldasa_conformance.oracles import availability, bookings, lifecycle, lists
from caldasa_conformance.workflows.booking_model import Booking, BookingWorld, derived_fields
from caldasa_conformance.workflows.checks import Expect, body_of, check_answer
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step
from caldasa_conformance.workflows.timeutil import ZONES, Interval, quarter_hours, wire

SLOTS = quarter_hours(72)


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
        self.builder = BookingWorldBuilder(self.api, self.unique, self.on_teardown, self.target.run_tag)

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
        built = self.builder.build(zone, days_ahead, split_hours, units, durations)
        self.world, self.room_type_id, self.home_shifts = built.world, built.room_type_id, built.home_shifts

    def _ok(self, operation_id: str, status: int, *, requirement: str, **kwargs: Any) -> Any:
        return answered(self.api, operation_id, status, requirement=requirement, **kwargs)

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
        slots = available_slots(self.api, self.world, service)
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
        body, field = invalid_booking_request(self.world, kind, self.emails[0])
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
        lifecycle.judge_cancellation_sticks(answer=dto)
        booking.status = "Cancelled"
        stored = self._ok("getBooking", 200, requirement="C4", path={"bookingId": booking.id})
        lifecycle.judge_cancellation_sticks(stored=(booking.label, stored))
        activities = customer_activities(self.api, booking, "BookingCancelled", "C3")
        lifecycle.judge_cancel_announced(activities=(activities, booking.id))

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
                self.builder.add_shift(self.world.location_id, member.id, shift)
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
        held = (self.room_type_id, pinned) if pinned is not None else None
        body = booking_request(self.world, service, staff_id, start, (self.customer_name, email), held)
        response = self.api.call("createBooking", json=body)
        if expect.status == 409 and response.status_code == 201:
            expect = self.world.blame_accepted(service, start, body_of(response), expect)
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
        activities = customer_activities(self.api, booking, "BookingCreated", "B12")
        bookings.judge_booking_runs_portal_pipeline(activities=(activities, booking.id))

    def _adopted_staff(self, dto: dict[str, Any], service: str, start: Any, open_staff: list[str]) -> str:
        """The staff member the server assigned, when the contract allows it (any open one, §8 #30)."""
        assert self.world is not None
        assigned = (dto.get("items") or [{}])[0].get("staffMemberId")
        reason = self.world.closed_reason(service, assigned, start) if assigned in self.world.staff else None
        bookings.judge_assigned_staff_is_open(assigned, open_staff, reason)
        return str(assigned)

    def _adopted_units(self, booking_id: str, free_units: list[str]) -> list[str]:
        """The unit the server allocated, when the contract allows it (any free unit, §8 #31).

        A booking's body does not name its units, so with a choice left the units' booking lists tell.
        """
        if len(free_units) <= 1:
            return free_units
        holding = [unit for unit in free_units if booking_id in booking_ids_holding(self.api, unit)]
        bookings.judge_no_double_allocated_unit(holding=(holding, free_units))
        return holding

    def _check_created(self, dto: dict[str, Any], booking: Booking) -> None:
        """B9/B10 on a 201 body."""
        assert self.world is not None
        bookings.judge_derived_booking_fields(
            derived_fields(dto), self.world.created_fields(booking), "createBooking"
        )
        known = self.world.customer_for(booking.customer_email)
        bookings.judge_customer_linkage([dto.get("customerId")], expected=known)
        self.world.customers.setdefault(booking.customer_email.lower(), str(dto.get("customerId")))

    # ---------------------------------------------------------------- invariants
    @invariant()
    @checked
    def bookings_match_model(self) -> None:
        """Statuses (C1/L1), readability of cancelled ones (C4), no staff or unit held twice (B1/B2); the
        lists filtered by location and unit hold the model's bookings there (T12)."""
        if self.world is None:
            return
        params = {"businessLocationId": self.world.location_id, "pageSize": 100}
        page = self._ok("listBookings", 200, requirement="C4", params=params)
        listed = page["items"]
        by_id = {b["id"]: b for b in listed}
        for booking in self.world.bookings:
            self._compare_booking(booking, by_id)
        known = {b.id: True for b in self.world.bookings}
        lists.judge_list_filters("listBookings", params, listed, total=page.get("totalCount"), known=known)
        extra = set(by_id) - {b.id for b in self.world.bookings}
        bookings.judge_all_or_nothing(stored=sorted(extra))
        bookings.judge_no_double_booked_staff(listed)
        for unit in self.world.units:
            params = {"resourceId": unit, "pageSize": 100}
            page = self._ok("listBookings", 200, requirement="B2", params=params)
            bookings.judge_no_double_allocated_unit(unit_listing=(unit, page["items"]))
            known = {b.id: unit in b.resource_ids for b in self.world.bookings if b.occupying}
            lists.judge_list_filters(
                "listBookings", params, page["items"], total=page.get("totalCount"), known=known
            )

    def _compare_booking(self, booking: Booking, by_id: dict[str, dict[str, Any]]) -> None:
        if booking.status == "Cancelled":
            response = self.api.call("getBooking", path={"bookingId": booking.id})
            dto = check_answer(
                response, Expect(200, "C4", why="cancelled bookings stay readable"), "getBooking"
            )
            lifecycle.judge_cancellation_sticks(stored=(booking.label, dto))
            lifecycle.judge_bookings_are_kept(booking.id, listed_ids=by_id)
            return
        lifecycle.judge_bookings_are_kept(booking.id, listed_ids=by_id, cancelled=False)
        availability.judge_status_and_completed_at(by_id[booking.id], booking.status, "listBookings")

    @invariant()
    @checked
    def availability_matches_model(self) -> None:
        """A2/A3/B3–B5/C1: availability lists exactly the open slots, for both services."""
        world = self.world
        if world is None:
            return
        for service in world.services:

            def closed_reason(slot: tuple[Any, str], service: str = service) -> str | None:
                start, staff_id = slot
                return world.closed_reason(service, staff_id, start) if staff_id in world.staff else None

            def freed_by_cancel(slot: tuple[Any, str]) -> bool:
                minute = Interval(slot[0], slot[0] + timedelta(minutes=1))
                return any(not b.occupying and b.interval.overlaps(minute) for b in world.bookings)

            served = available_slots(self.api, world, service)
            expected = world.open_slots(service)
            availability.judge_availability_matches_model(served, expected, closed_reason, freed_by_cancel)

    def teardown(self) -> None:
        if self.world is not None:
            for booking in self.world.bookings:
                if booking.occupying:
                    self.api.call(
                        "cancelBooking", path={"bookingId": booking.id}, params={"notifyCustomer": False}
                    )
        super().teardown()


TestBookingEngine = BookingEngine.test_case()

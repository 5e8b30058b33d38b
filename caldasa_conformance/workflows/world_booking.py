"""The world machine's bookings: predict createBooking from the model, send it, adopt the server's choice.

The contract leaves the staff member of a null `staffMemberId` and an unpinned unit to the server (design §8
#30, #31): the model adopts whichever it chose when that one was open (`judge_assigned_staff_is_open`,
`judge_no_double_allocated_unit`), so a server with another legal policy passes and a wrong choice fails.
"""

from __future__ import annotations

import uuid
from typing import Any

from caldasa_conformance.builders.booking_world import booking_ids_holding
from caldasa_conformance.oracles import bookings, lifecycle
from caldasa_conformance.oracles.bookings import CLOSED_BY
from caldasa_conformance.workflows.booking_model import derived_fields
from caldasa_conformance.workflows.checks import Expect, body_of, check_answer
from caldasa_conformance.workflows.timeutil import Interval, wire
from caldasa_conformance.workflows.world_model import Booking, Member, Service, Unit
from caldasa_conformance.workflows.world_steps import WorldSteps


class BookingSteps(WorldSteps):
    """`WorldSteps` with the booking helper of the booking rules."""

    def _book(
        self,
        service: Service,
        member: Member | None,
        slot: int,
        email: int,
        unit: Unit | None,
        customer: str | None = None,
    ) -> Booking:
        """Book `service` at the `slot`-th quarter hour, for the customer with id `customer` or, without
        one, for whoever has the `email`-th address (B10: the server links or creates that customer)."""
        start = self.w.at(slot * 15)
        booking = Booking(f"booking{len(self.w.bookings) + 1}", service=service, member=member)
        booking.interval = Interval(start, start + service.duration)
        self.w.bookings.append(booking)
        if self._absent(service):
            return booking
        expect, open_staff, free = self.w.predict_booking(service, member, start, unit)
        item: dict[str, Any] = {
            "reservableVariantId": service.variant_id or str(uuid.uuid4()),
            "staffMemberId": member.id if member else None,
            "startsAt": wire(start),
        }
        if unit is not None and service.rtype is not None:
            item["resourceSelections"] = [{"resourceTypeId": service.rtype.id, "specificResourceId": unit.id}]
        who = {"customerId": customer} if customer else {"customerName": self.customer_name}
        body = {
            "businessLocationId": service.location.id if service.location else None,
            **who,
            **({} if customer else {"customerEmail": self.emails[email]}),
            "items": [item],
        }
        response = self.api.call("createBooking", json=body)
        if expect.status == 409 and response.status_code == 201:
            expect = self._blame(service, start, body_of(response), expect)
        dto = check_answer(response, expect, "createBooking")
        if response.status_code == 201:
            booking.id, booking.status = str(dto["id"]), "Confirmed"
            booking.member = self._adopted_staff(dto, service, start, open_staff)
            booking.units = self._adopted_units(booking.id, free)
            self._check_created(dto, booking, self.emails[email], customer)
        return booking

    def _blame(self, service: Service, start: Any, dto: Any, expect: Expect) -> Expect:
        """The server accepted a slot the model closed: name the rule closing it for the member it chose."""
        items = dto.get("items") if isinstance(dto, dict) else None
        chosen = items[0].get("staffMemberId") if items else None
        member = next((m for m in self.w.members if m.id == chosen), None)
        reason = self.w.closed_reason(service, member, start) if member is not None else None
        if reason is not None and expect.code == "slot_unavailable":
            return Expect(409, CLOSED_BY[reason], "slot_unavailable", why=f"slot closed for it: {reason}")
        return expect

    def _adopted_staff(
        self, dto: dict[str, Any], service: Service, start: Any, open_staff: list[Member]
    ) -> Member:
        chosen = (dto.get("items") or [{}])[0].get("staffMemberId")
        member = next((m for m in self.w.members if m.id == chosen), None)
        reason = self.w.closed_reason(service, member, start) if member is not None else None
        bookings.judge_assigned_staff_is_open(chosen, [str(m.id) for m in open_staff], reason)
        assert member is not None
        return member

    def _adopted_units(self, booking_id: str, free: list[Unit]) -> list[Unit]:
        """The unit the server allocated, any free one (§8 #31); with a choice left, the units' lists tell."""
        if len(free) <= 1:
            return free
        holding = [u for u in free if booking_id in booking_ids_holding(self.api, str(u.id))]
        bookings.judge_no_double_allocated_unit(
            holding=([str(u.id) for u in holding], [str(u.id) for u in free])
        )
        return holding

    def _check_created(self, dto: dict[str, Any], booking: Booking, email: str, customer: str | None) -> None:
        """B9 and B10 on a 201 body."""
        assert booking.service is not None
        assert booking.interval is not None
        assert booking.member is not None
        price = booking.service.price_cents
        wanted = {
            "status": "Confirmed",
            "startsAt": booking.interval.start,
            "endsAt": booking.interval.end,
            "totalCents": price,
            "item.endsAt": booking.interval.end,
            "item.priceCents": price,
            "item.staffMemberId": booking.member.id,
            "completedAt": None,
            "serviceName": True,
        }
        bookings.judge_derived_booking_fields(derived_fields(dto), wanted, "createBooking")
        expected = customer or self.w.customers.get(email.lower())
        bookings.judge_customer_linkage([dto.get("customerId")], expected=expected)
        booking.customer = str(dto.get("customerId"))
        if customer is None:
            self.w.customers.setdefault(email.lower(), booking.customer)

    def _cancel(self, booking: Booking) -> None:
        """C1/C2: a Confirmed booking is cancelled (200, Cancelled); a cancelled one answers 409."""
        path, params = {"bookingId": str(booking.id)}, {"notifyCustomer": False}
        if booking.status == "Cancelled":
            expect = Expect(409, "C2", "already_cancelled", why="already cancelled")
            check_answer(self.api.call("cancelBooking", path=path, params=params), expect, "cancelBooking")
            return
        response = self.api.call("cancelBooking", path=path, params=params)
        dto = check_answer(response, Expect(200, "C1", why="a Confirmed booking"), "cancelBooking")
        lifecycle.judge_cancellation_sticks(answer=dto)
        booking.status = "Cancelled"

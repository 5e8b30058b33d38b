"""The world machine's bookings beyond the plain ones: for a customer by id, and over a booked slot.

Customers (K2, B10, T12): a customer created with an email that a customer already holds (one a booking by
that email made, in any case) answers 409 duplicate_email and stands for the holder from then on. A booking
naming a `customerId` is linked to it, as a booking by email is linked to the customer holding the email.
After every step each known customer's bookings, listed with the `customerId` filter, must be exactly the
model's (`world_checks`).

Contention (B1, B2, C1): a booking of a booked slot, with the booked member and unit pinned. While the
booking holds them the model predicts 409 (whichever of its rules closes the slot first); once it is
cancelled, the slot is free again. Random slots rarely meet a booking; this rule makes every booked slot a
place where a server that double-books, double-allocates or does not free a cancelled slot is seen to.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, MultipleResults, multiple, precondition, rule

from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import step
from caldasa_conformance.workflows.timeutil import quarter_hours
from caldasa_conformance.workflows.world_booking import BookingSteps
from caldasa_conformance.workflows.world_model import Booking, Customer, Member, Service
from caldasa_conformance.workflows.world_steps import reported


class BookingRules(BookingSteps):
    """Customers booked by id, and bookings over booked slots; rules `world_machine.WorldMachine` takes in."""

    customers = Bundle("customers")
    services = Bundle("reservables")  # the world machine's bundles, known by their names
    members = Bundle("staff")
    booked = Bundle("bookings")

    @precondition(lambda self: self.below("customer_records"))
    @rule(target=customers, email=st.integers(0, 2), upper=st.booleans())
    @reported
    @step
    def create_customer(self, email: int, upper: bool) -> Customer:
        """K2: 201, or 409 duplicate_email when a customer holds the address already (in any case)."""
        address = self.emails[email]
        customer = Customer(f"customer{len(self.w.customer_records) + 1}", name=self.unique("world customer"))
        customer.email = address.lower()
        self.w.customer_records.append(customer)
        holder = self.w.customers.get(customer.email)
        expect = (
            Expect(409, "K2", "duplicate_email", why="a customer has it") if holder else Expect(201, "K2")
        )
        body = {"name": customer.name, "email": address.upper() if upper else address}
        dto = check_answer(self.api.call("createCustomer", json=body), expect, "createCustomer")
        customer.id = holder or str(dto["id"])
        self.w.customers[customer.email] = customer.id
        return customer

    @rule(target=booked, customer=customers, service=services, member=members, slot=quarter_hours(76))
    @reported
    @step
    def book_for_customer(self, customer: Customer, service: Service, member: Member, slot: int) -> Booking:
        """B10: a booking naming a customerId is linked to that customer. The member is pinned: which one
        the server picks for a null `staffMemberId` depends on its ids, which differ on a replay (plain
        bookings try that choice)."""
        return self._book(service, member, slot, 0, None, customer=customer.id)

    @rule(target=booked, taken=booked, pin_unit=st.booleans())
    @reported
    @step
    def book_over(self, taken: Booking, pin_unit: bool) -> Booking | MultipleResults[Booking]:
        """B1/B2 while `taken` holds its slot (409), C1 once it is cancelled (the slot is open again)."""
        if taken.service is None or taken.interval is None or taken.id is None:
            self.journal.steps[-1].arguments["note"] = "refused, nothing to book over"
            return multiple()
        slot = int((taken.interval.start - self.w.at(0)).total_seconds()) // 900
        unit = taken.units[0] if pin_unit and taken.units else None
        return self._book(taken.service, taken.member, slot, 1, unit)

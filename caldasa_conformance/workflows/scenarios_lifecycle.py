"""A small, fully known booking world for the example-based lifecycle scenarios (B12, A1, A3, A4, L1, C3, C4).

`LifecycleScene.build` creates, through `DataFactory` (run-tagged names, every entity registered with the
cleanup stack): a UTC location open 08:00–20:00 every day, one staff member assigned there with a shift
08:00–20:00 on a day at least one day ahead (design §8 #68), and a 30-minute service offered by that member.
Its helpers call one operation each through `support.operations` and check the answer with
`workflows.checks`, so a failure names the requirement the scenario rests on. Bookings are cancelled at
cleanup unless the scenario already cancelled them.
"""

from __future__ import annotations

import time as clock
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import httpx

from caldasa_conformance.fixtures.data import Cleanup, DataFactory, expect, remove_later, tomorrow
from caldasa_conformance.redaction import register_secret
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer, require
from caldasa_conformance.workflows.timeutil import GRID, wire

OPENS, CLOSES = time(8), time(20)  # the business hours and the shift of `DataFactory` (UTC)
DURATION = timedelta(minutes=30)  # `DataFactory.reservable`
DELIVERY_WAIT_SECONDS = 4.0  # a delivery row appears when the event is recorded (§8 #63); allow some lag


@dataclass(frozen=True)
class LifecycleScene:
    """One bookable day: ids of the world, the client that built it, and its cleanup stack."""

    client: httpx.Client
    cleanup: Cleanup
    location_id: str
    staff_id: str
    variant_id: str
    day: date
    customer_email: str
    run_tag: str

    @classmethod
    def build(cls, factory: DataFactory) -> LifecycleScene:
        """Create the world (raises `SetupFailed` naming the operation the target refused)."""
        day = tomorrow() + timedelta(days=1)
        location = factory.location()
        staff = factory.staff_member(location["id"])
        factory.shift(staff["id"], location["id"], day)
        reservable = factory.reservable(location["id"], [staff["id"]], [])
        variants = reservable.get("variants") or expect(
            ops.list_reservable_variants(factory.client, reservable["id"]), 200, "listReservableVariants"
        ).get("items", [])
        return cls(
            factory.client,
            factory.cleanup,
            location["id"],
            staff["id"],
            str(variants[0]["id"]),
            day,
            factory.email("customer"),
            factory.run_tag,
        )

    def at(self, hour: int, minute: int = 0) -> datetime:
        """A UTC instant on the scene's day."""
        return datetime.combine(self.day, time(hour, minute), timezone.utc)

    def open_starts(self) -> list[datetime]:
        """Every start the world leaves open: the quarter hours from opening to closing minus the duration."""
        first, last = self.at(OPENS.hour), self.at(CLOSES.hour) - DURATION
        return [first + k * GRID for k in range((last - first) // GRID + 1)]

    # ---------------------------------------------------------------- one operation each
    def slots(self, requirement: str) -> dict[str, Any]:
        """listAvailabilitySlots of the scene's service, location and day (200 expected)."""
        params = {
            "reservableVariantId": self.variant_id,
            "businessLocationId": self.location_id,
            "date": self.day.isoformat(),
        }
        response = ops.list_availability_slots(self.client, params=params)
        body: dict[str, Any] = check_answer(
            response, Expect(200, requirement, why="availability of a known day"), "listAvailabilitySlots"
        )
        return body

    def book(self, start: datetime | str, staff_id: str | None, requirement: str, why: str) -> dict[str, Any]:
        """createBooking of one item at `start` (201 expected); the booking is cancelled at cleanup."""
        item = {
            "reservableVariantId": self.variant_id,
            "staffMemberId": staff_id,
            "startsAt": start if isinstance(start, str) else wire(start),
        }
        body = {
            "businessLocationId": self.location_id,
            "customerName": self.customer_email.split("@")[0],
            "customerEmail": self.customer_email,
            "items": [item],
        }
        response = ops.create_booking(self.client, body=body)
        if response.status_code == 201:
            booking_id = str(response.json().get("id"))
            remove_later(self.cleanup, self.client, f"/bookings/{booking_id}")
        booking: dict[str, Any] = check_answer(response, Expect(201, requirement, why=why), "createBooking")
        return booking

    def cancel(self, booking_id: str, requirement: str) -> dict[str, Any]:
        """cancelBooking without notifying the customer (200 expected)."""
        response = ops.cancel_booking(self.client, booking_id, params={"notifyCustomer": "false"})
        expected = Expect(200, requirement, why="a Confirmed booking can be cancelled")
        cancelled: dict[str, Any] = check_answer(response, expected, "cancelBooking")
        return cancelled

    def get(self, booking_id: str, requirement: str) -> dict[str, Any]:
        response = ops.get_booking(self.client, booking_id)
        expected = Expect(200, requirement, why="bookings stay readable")
        booking: dict[str, Any] = check_answer(response, expected, "getBooking")
        return booking

    def listed(self, requirement: str, **filters: str) -> list[dict[str, Any]]:
        """listBookings at the scene's location (one page of 100 holds the whole scene)."""
        params = {"businessLocationId": self.location_id, "pageSize": "100", **filters}
        response = ops.list_bookings(self.client, params=params)
        body = check_answer(response, Expect(200, requirement, why="listing bookings"), "listBookings")
        return list(body.get("items", []))

    def require_activity(self, booking: dict[str, Any], kind: str, requirement: str) -> None:
        """The booking's customer has a `kind` activity naming the booking."""
        customer_id = str(booking.get("customerId"))
        response = ops.list_customer_activities(self.client, customer_id, params={"kind": kind, "limit": 100})
        listed = check_answer(
            response, Expect(200, requirement, why="the customer's timeline"), "listCustomerActivities"
        )
        found = [entry for entry in listed.get("items", []) if entry.get("bookingId") == booking.get("id")]
        require(
            bool(found),
            requirement,
            f"No {kind} activity for the booking",
            f"{len(listed.get('items', []))} {kind} entries, none with bookingId {booking.get('id')}",
            f"a {kind} entry with bookingId {booking.get('id')}",
            "listCustomerActivities",
        )

    def subscribe(self, event_type: str, requirement: str) -> str:
        """createWebhook: an active subscription to `event_type` at an unreachable https URL (its delivery
        rows are the evidence, nothing has to arrive); deleted at cleanup. Returns its id."""
        body = {
            "url": f"https://hooks.invalid/{uuid.uuid4().hex[:12]}",
            "eventTypes": [event_type],
            "isActive": True,
            "description": self.run_tag,
        }
        response = ops.create_webhook(self.client, body=body)
        if response.status_code == 201:  # the secret never shows in a failure message
            register_secret(str(response.json().get("secret") or ""))
        created = check_answer(
            response, Expect(201, requirement, why="a valid subscription"), "createWebhook"
        )
        webhook_id = str(created.get("id"))
        self.cleanup.push("webhook", webhook_id, lambda: ops.delete_webhook(self.client, webhook_id))
        return webhook_id

    def delivery_count(self, webhook_id: str, event_type: str, requirement: str) -> int:
        """How many deliveries of `event_type` the subscription has (listWebhookDeliveries `totalCount`)."""
        response = ops.list_webhook_deliveries(
            self.client, webhook_id, params={"eventType": event_type, "pageSize": "1"}
        )
        listed = check_answer(
            response, Expect(200, requirement, why="deliveries of our subscription"), "listWebhookDeliveries"
        )
        return int(listed.get("totalCount") or 0)

    def wait_for_more_deliveries(self, webhook_id: str, event_type: str, than: int, requirement: str) -> int:
        """The delivery count once it exceeds `than`, or the last count after `DELIVERY_WAIT_SECONDS`."""
        deadline = clock.monotonic() + DELIVERY_WAIT_SECONDS
        count = self.delivery_count(webhook_id, event_type, requirement)
        while count <= than and clock.monotonic() < deadline:
            clock.sleep(0.25)
            count = self.delivery_count(webhook_id, event_type, requirement)
        return count

"""A small, fully known booking world for the example-based lifecycle scenarios (B12, A1, A3, A4, L1, C3, C4).

`LifecycleScene.build` creates it with the scenario builder (`builders.scenario.Scenario`: run-tagged names,
every entity registered with the cleanup stack): a UTC location open 08:00–20:00 every day, one staff member
assigned there with a shift 08:00–20:00 on a day at least one day ahead (design §8 #68), a 30-minute service
offered by that member, and the customer it books for. Its helpers call one operation each through
`support.operations` and check the answer with `workflows.checks`, so a failure names the requirement the
scenario rests on; the rules themselves are judged by `oracles`. Bookings are cancelled at cleanup unless
the scenario already cancelled them.
"""

from __future__ import annotations

import time as clock
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx

from caldasa_conformance.builders.scenario import Scenario, World
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.oracles.lists import judge_list_filters
from caldasa_conformance.redaction import register_secret
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.timeutil import GRID, tomorrow, wire

OPENS, CLOSES = time(8), time(20)  # the business hours and the shift of the scene (UTC)
DURATION = timedelta(minutes=30)
DELIVERY_WAIT_SECONDS = 4.0  # a delivery row appears when the event is recorded (§8 #63); allow some lag


@dataclass(frozen=True)
class LifecycleScene:
    """One bookable day: the scenario builder that made it and the world it made."""

    scenario: Scenario
    world: World

    @classmethod
    def build(cls, scenario: Scenario) -> LifecycleScene:
        """Create the world (a refused setup call fails as T8, naming the operation)."""
        hours = ((OPENS.isoformat(), CLOSES.isoformat()),)
        day = tomorrow() + timedelta(days=1)
        minutes = DURATION // timedelta(minutes=1)
        world = scenario.basic(hours=hours, shift=(OPENS.hour, CLOSES.hour), minutes=minutes, day=day)
        return cls(scenario, world)

    @property
    def client(self) -> httpx.Client:
        return self.scenario.client

    @property
    def cleanup(self) -> Cleanup:
        return self.scenario.cleanup

    @property
    def location_id(self) -> str:
        return self.world.location_id

    @property
    def staff_id(self) -> str:
        return self.world.staff_ids[0]

    @property
    def day(self) -> date:
        return self.world.day

    def at(self, hour: int, minute: int = 0) -> datetime:
        """A UTC instant on the scene's day."""
        return self.world.at(hour, minute)

    def open_starts(self) -> list[datetime]:
        """Every start the world leaves open: the quarter hours from opening to closing minus the duration."""
        first, last = self.at(OPENS.hour), self.at(CLOSES.hour) - DURATION
        return [first + k * GRID for k in range((last - first) // GRID + 1)]

    # ---------------------------------------------------------------- one operation each
    def slots(self, requirement: str) -> dict[str, Any]:
        """listAvailabilitySlots of the scene's service, location and day (200 expected)."""
        params = {
            "reservableVariantId": self.world.variant_id,
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
            "reservableVariantId": self.world.variant_id,
            "staffMemberId": staff_id,
            "startsAt": start if isinstance(start, str) else wire(start),
        }
        response = self.scenario.book(self.scenario.booking_body(self.world, [item]))
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
        judge_list_filters("listBookings", params, body.get("items", []), total=body.get("totalCount"))
        return list(body.get("items", []))

    def activities(self, booking: dict[str, Any], kind: str, requirement: str) -> dict[str, Any]:
        """The booking customer's `kind` activities (one page of 100; judged by the rule's oracle)."""
        customer_id = str(booking.get("customerId"))
        params = {"kind": kind, "limit": 100}
        response = ops.list_customer_activities(self.client, customer_id, params=params)
        listed: dict[str, Any] = check_answer(
            response, Expect(200, requirement, why="the customer's timeline"), "listCustomerActivities"
        )
        judge_list_filters("listCustomerActivities", params, listed.get("items", []))
        return listed

    def subscribe(self, event_type: str, requirement: str) -> str:
        """createWebhook: an active subscription to `event_type` at an unreachable https URL (its delivery
        rows are the evidence, nothing has to arrive); deleted at cleanup. Returns its id."""
        body = {
            "url": f"https://hooks.invalid/{uuid.uuid4().hex[:12]}",
            "eventTypes": [event_type],
            "isActive": True,
            "description": self.scenario.run_tag,
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

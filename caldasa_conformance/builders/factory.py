"""The data factory: the suites' shared graph of one tenant, built through `builders.entities`.

`DataFactory` creates location (with business hours), staff (assigned, with shifts), resource type and
resources, a reservable, a customer with a note, a booking on a real future slot from GET /availability, an
event with a ticket type, and a webhook. Names carry the run tag. Everything created is registered with the
session's `Cleanup` stack and deleted (or cancelled) at session end, newest first; what cannot be removed is
recorded as a leftover. A refused set-up raises `SetupFailed` (a skip, or the S2/S4 the answer broke).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from caldasa_conformance.builders.entities import Entities
from caldasa_conformance.fixtures.data import Cleanup, SetupFailed, expect
from caldasa_conformance.naming import unique_email, unique_name
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.timeutil import Interval, tomorrow

OPENS_AT, CLOSES_AT = "08:00:00", "20:00:00"


def _judge(response: httpx.Response, operation_id: str, status: int) -> Any:
    return expect(response, status, operation_id)


@dataclass
class DataFactory:
    """Builds entities for one client (one tenant); each method returns the created DTO."""

    client: httpx.Client
    run_tag: str
    cleanup: Cleanup
    entities: Entities = field(init=False)

    def __post_init__(self) -> None:
        self.entities = Entities(self.client, _judge, self.cleanup.track)

    def name(self, kind: str) -> str:
        return unique_name(self.run_tag, kind)

    def email(self, kind: str) -> str:
        return unique_email(self.run_tag, kind)

    def location(self) -> dict[str, Any]:
        location = self.entities.location(self.name("Location"), "UTC", country="DE", city="Berlin")
        self.entities.business_hours(location["id"], [(OPENS_AT, CLOSES_AT)])
        return location

    def staff_member(self, location_id: str) -> dict[str, Any]:
        return self.entities.staff(self.name("Staff"), [location_id], email=self.email("staff"))

    def shift(self, staff_id: str, location_id: str, day: dt.date) -> dict[str, Any]:
        start = dt.datetime.combine(day, dt.time(8), dt.timezone.utc)
        window = Interval(start, start + dt.timedelta(hours=12))
        return self.entities.shift(staff_id, location_id, window, notes=self.run_tag)

    def block(self, staff_id: str, day: dt.date) -> dict[str, Any]:
        start = dt.datetime.combine(day, dt.time(12), dt.timezone.utc)
        return self.entities.block(staff_id, Interval(start, start + dt.timedelta(hours=1)), self.run_tag)

    def resource_type(self) -> dict[str, Any]:
        return self.entities.resource_type(self.name("Room"), description="conformance test resource type")

    def resource(self, type_id: str, location_id: str) -> dict[str, Any]:
        return self.entities.resource(self.name("Unit"), type_id, location_id)

    def reservable(self, location_id: str, staff_ids: list[str], type_ids: list[str]) -> dict[str, Any]:
        return self.entities.reservable(self.name("Service"), location_id, staff_ids, type_ids=type_ids)

    def customer(self) -> dict[str, Any]:
        fields = {"optInSms": True, "phone": "+4930123456"}
        return self.entities.customer(self.name("Customer"), self.email("customer"), **fields)

    def note(self, customer_id: str) -> dict[str, Any]:
        return self.entities.note(customer_id, f"{self.run_tag} note")

    def open_slots(self, variant_id: str, location_id: str, day: dt.date) -> list[dict[str, Any]]:
        params = {
            "reservableVariantId": variant_id,
            "businessLocationId": location_id,
            "date": day.isoformat(),
        }
        body = expect(ops.list_availability_slots(self.client, params=params), 200, "listAvailabilitySlots")
        return list(body["slots"])

    def booking(self, location_id: str, variant_id: str, day: dt.date, customer_id: str) -> dict[str, Any]:
        slots = self.open_slots(variant_id, location_id, day)
        if not slots:
            raise SetupFailed(f"listAvailabilitySlots: no open slot on {day} for the test reservable")
        slot = slots[len(slots) // 2]
        item = {
            "reservableVariantId": variant_id,
            "staffMemberId": slot["staffMemberId"],
            "startsAt": slot["startsAt"],
        }
        body = {
            "businessLocationId": location_id,
            "customerId": customer_id,
            "notes": self.run_tag,
            "items": [item],
        }
        booking = expect(ops.create_booking(self.client, body=body), 201, "createBooking")
        self.cleanup.push("booking", booking["id"], lambda: ops.cancel_booking(self.client, booking["id"]))
        return booking  # type: ignore[no-any-return]

    def event(self, location_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        start = dt.datetime.combine(tomorrow() + dt.timedelta(days=7), dt.time(18), dt.timezone.utc)
        window = Interval(start, start + dt.timedelta(hours=2))
        event = self.entities.event(self.name("Event"), location_id, window, capacity=50)
        return event, self.entities.ticket_type(event["id"], "General admission", 1500, capacity=40)

    def webhook(self) -> dict[str, Any]:
        url, types = "https://example.com/caldasa-hook", ["booking.created"]
        return self.entities.webhook(url, types, description=self.run_tag, isActive=False)


@dataclass(frozen=True)
class TenantWorld:
    """Ids of one fully built tenant graph (see `DataFactory`), plus the DTOs as created."""

    location: dict[str, Any]
    staff: dict[str, Any]
    shift: dict[str, Any]
    block: dict[str, Any]
    resource_type: dict[str, Any]
    resource: dict[str, Any]
    reservable: dict[str, Any]
    variant_id: str
    customer: dict[str, Any]
    note: dict[str, Any]
    booking: dict[str, Any]
    event: dict[str, Any] | None
    ticket_type: dict[str, Any] | None
    webhook: dict[str, Any] | None
    day: dt.date

    def ids(self) -> set[str]:
        """Every id of this world's entities (to look for leaks in another tenant's answers)."""
        return {value for key, value in self.path_values().items() if key != "eventType"} | {self.variant_id}

    def path_values(self) -> dict[str, str]:
        """Path parameter name -> an existing id of this world (the eventType is a catalogue value)."""
        values = {
            "bookingId": self.booking["id"],
            "customerId": self.customer["id"],
            "noteId": self.note["id"],
            "locationId": self.location["id"],
            "staffMemberId": self.staff["id"],
            "shiftId": self.shift["id"],
            "blockId": self.block["id"],
            "reservableId": self.reservable["id"],
            "resourceId": self.resource["id"],
            "resourceTypeId": self.resource_type["id"],
            "eventType": "booking.created",
        }
        if self.event is not None and self.ticket_type is not None:
            values.update(eventId=self.event["id"], ticketTypeId=self.ticket_type["id"])
        if self.webhook is not None:
            values["webhookId"] = self.webhook["id"]
        return values


def _optional(build: Callable[[], Any]) -> Any:
    """Events and webhooks are extras of the world: a target that cannot create them still gets tested."""
    try:
        return build()
    except SetupFailed:
        return None


def build_world(factory: DataFactory) -> TenantWorld:
    """Create the whole prerequisite graph for one tenant, bottom-up, and a booking on a real slot."""
    day = tomorrow()
    location = factory.location()
    staff = factory.staff_member(location["id"])
    shift = factory.shift(staff["id"], location["id"], day)
    block = factory.block(staff["id"], day + dt.timedelta(days=2))
    resource_type = factory.resource_type()
    resource = factory.resource(resource_type["id"], location["id"])
    reservable = factory.reservable(location["id"], [staff["id"]], [resource_type["id"]])
    variants = factory.entities.variants(reservable)
    if not variants:  # a stateless mock (Prism --dynamic) may invent an empty list
        raise SetupFailed(f"listReservableVariants: reservable {reservable['id']} has no variant to book")
    variant_id = variants[0]["id"]
    customer = factory.customer()
    note = factory.note(customer["id"])
    booking = factory.booking(location["id"], variant_id, day, customer["id"])
    event, ticket_type = _optional(lambda: factory.event(location["id"])) or (None, None)
    webhook = _optional(factory.webhook)
    return TenantWorld(
        location,
        staff,
        shift,
        block,
        resource_type,
        resource,
        reservable,
        variant_id,
        customer,
        note,
        booking,
        event,
        ticket_type,
        webhook,
        day,
    )

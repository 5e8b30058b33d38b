"""The one factory of the entities a test needs: one function per entity kind, used by every builder.

The data factory (`builders.factory`, the session's shared graph), the fixed scenarios (`builders.scenario`)
and the booking machine's world (`builders.booking_world`) all create locations, staff, shifts, services and
the rest here. What differs between them is passed in, not written again:

- `judge(response, operation_id, status)` returns the body of a set-up answer or raises: the data factory
  raises `SetupFailed` (a skip, or S2/S4), scenarios and machines judge by T8 (201 + Location).
- `track(kind, entity_id, undo)` registers how to remove what was made: the session's `Cleanup` stack, or a
  machine's teardown; `undo` is None for what the API cannot delete (customers), which stays a leftover.
- `journal`: a machine's journal, so its set-up shows in the failure's curl script.

Every call goes through `support.operations.call`, the harness's one call path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.journal import Journal, journaled
from caldasa_conformance.workflows.timeutil import Interval, wire

Judge = Callable[[httpx.Response, str, int], Any]
Undo = Callable[[], httpx.Response]
Track = Callable[[str, str, "Undo | None"], None]
Hours = Sequence[tuple[str, str]]  # local ("HH:MM:SS", "HH:MM:SS") windows, the same on every weekday


@dataclass
class Entities:
    """Creates entities on one client; each function returns the created DTO (or id) and tracks it."""

    client: httpx.Client
    judge: Judge
    track: Track
    journal: Journal | None = None

    def send(
        self, operation_id: str, path: Mapping[str, str] | None = None, *, body: Any = None, **kwargs: Any
    ) -> httpx.Response:
        """One operation through the one call path (journaled when the builder has a journal)."""
        extensions = journaled(self.journal) if self.journal is not None else None
        return ops.call(self.client, operation_id, path, body=body, extensions=extensions, **kwargs)

    def created(self, operation_id: str, body: Any, path: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Send a create; its 201 answer's body, judged by the builder's `judge`."""
        return dict(self.judge(self.send(operation_id, path, body=body), operation_id, 201))

    def _undo(self, operation_id: str, path: Mapping[str, str], **kwargs: Any) -> Undo:
        return lambda: self.send(operation_id, path, **kwargs)

    # ------------------------------------------------------------------ catalog
    def location(self, name: str, zone: str = "UTC", **fields: Any) -> dict[str, Any]:
        location = self.created("createLocation", {"name": name, "timeZone": zone, **fields})
        self.track("location", location["id"], self._undo("deleteLocation", {"locationId": location["id"]}))
        return location

    def business_hours(self, location_id: str, hours: Hours, weekdays: Iterable[int] = range(7)) -> None:
        entries = [{"dayOfWeek": d, "opensAt": o, "closesAt": c} for d in weekdays for o, c in hours]
        response = self.send("replaceBusinessHours", {"locationId": location_id}, body={"entries": entries})
        self.judge(response, "replaceBusinessHours", 200)

    def staff(self, name: str, location_ids: Sequence[str], **fields: Any) -> dict[str, Any]:
        body = {"name": name, "businessLocationIds": list(location_ids), **fields}
        staff = self.created("createStaffMember", body)
        self.track("staff", staff["id"], self._undo("deleteStaffMember", {"staffMemberId": staff["id"]}))
        return staff

    def shift(self, staff_id: str, location_id: str, interval: Interval, **fields: Any) -> dict[str, Any]:
        body = {
            "businessLocationId": location_id,
            "startsAt": wire(interval.start),
            "endsAt": wire(interval.end),
            **fields,
        }
        shift = self.created("createStaffShift", body, {"staffMemberId": staff_id})
        path = {"staffMemberId": staff_id, "shiftId": shift["id"]}
        self.track("shift", shift["id"], self._undo("deleteStaffShift", path))
        return shift

    def block(self, staff_id: str, interval: Interval, reason: str) -> dict[str, Any]:
        body = {"startsAt": wire(interval.start), "endsAt": wire(interval.end), "reason": reason}
        block = self.created("createStaffBlock", body, {"staffMemberId": staff_id})
        path = {"staffMemberId": staff_id, "blockId": block["id"]}
        self.track("block", block["id"], self._undo("deleteStaffBlock", path))
        return block

    def resource_type(self, name: str, **fields: Any) -> dict[str, Any]:
        created = self.created("createResourceType", {"name": name, **fields})
        undo = self._undo("deleteResourceType", {"resourceTypeId": created["id"]})
        self.track("resource-type", created["id"], undo)
        return created

    def resource(self, name: str, type_id: str, location_id: str, **fields: Any) -> dict[str, Any]:
        body = {"name": name, "resourceTypeId": type_id, "businessLocationId": location_id, **fields}
        created = self.created("createResource", body)
        self.track("resource", created["id"], self._undo("deleteResource", {"resourceId": created["id"]}))
        return created

    def reservable(
        self,
        name: str,
        location_id: str,
        staff_ids: Sequence[str],
        *,
        minutes: int = 30,
        price_cents: int = 2500,
        type_ids: Sequence[str] = (),
    ) -> dict[str, Any]:
        """A service at the location, offered by `staff_ids`, needing one unit of each of `type_ids`."""
        body = {
            "name": name,
            "durationMinutes": minutes,
            "priceCents": price_cents,
            "businessLocationIds": [location_id],
            "staffMemberIds": list(staff_ids),
            "resourceTypeIds": list(type_ids),
        }
        created = self.created("createReservable", body)
        self.track(
            "reservable", created["id"], self._undo("deleteReservable", {"reservableId": created["id"]})
        )
        return created

    def variants(self, reservable: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The reservable's variants: those its DTO carries, else listReservableVariants' page."""
        variants = reservable.get("variants")
        if not variants:
            response = self.send("listReservableVariants", {"reservableId": reservable["id"]})
            variants = (self.judge(response, "listReservableVariants", 200) or {}).get("items")
        return list(variants or [])

    # ------------------------------------------------------------------ people
    def customer(self, name: str, email: str, **fields: Any) -> dict[str, Any]:
        """A customer; the API cannot delete customers, so it is tracked as a leftover."""
        created = self.created("createCustomer", {"name": name, "email": email, **fields})
        self.track("customers", created["id"], None)
        return created

    def note(self, customer_id: str, text: str) -> dict[str, Any]:
        note = self.created("createCustomerNote", {"body": text}, {"customerId": customer_id})
        path = {"customerId": customer_id, "noteId": note["id"]}
        self.track("note", note["id"], self._undo("deleteCustomerNote", path))
        return note

    # ------------------------------------------------------------------ events and webhooks
    def event(self, name: str, location_id: str, window: Interval, capacity: int) -> dict[str, Any]:
        body = {
            "name": name,
            "businessLocationId": location_id,
            "startsAt": wire(window.start),
            "endsAt": wire(window.end),
            "capacity": capacity,
        }
        event = self.created("createEvent", body)
        self.track("event", event["id"], self._undo("cancelEvent", {"eventId": event["id"]}))
        return event

    def ticket_type(self, event_id: str, name: str, price_cents: int, capacity: int) -> dict[str, Any]:
        """A ticket type; it goes with its event (cancelled at the end), so nothing is tracked."""
        body = {"name": name, "priceCents": price_cents, "capacity": capacity}
        return self.created("createTicketType", body, {"eventId": event_id})

    def webhook(self, url: str, event_types: Sequence[str], **fields: Any) -> dict[str, Any]:
        created = self.created("createWebhook", {"url": url, "eventTypes": list(event_types), **fields})
        self.track("webhook", created["id"], self._undo("deleteWebhook", {"webhookId": created["id"]}))
        return created

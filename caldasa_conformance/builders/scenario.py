"""Builders for deterministic, example-based booking scenarios (class `bookings`).

The state machines explore at random; the scenario tests instead build one small, fixed world through the
public API and probe one rule each. `Scenario` creates a location (zone and business hours chosen by the
test), staff members assigned there with shifts, services and bookings, and registers every entity with the
session's `Cleanup` stack (undone newest first at session end; what cannot be undone becomes a leftover).
Names carry the run tag. Setup failures are reported against T8 (like the machines do), never against the
rule under test.

    scenario = Scenario(api, cleanup, run_tag)
    world = scenario.basic(zone="America/New_York", hours=[("09:00:00", "17:00:00")])
    response = scenario.book(world.item(world.at(10, 0)))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from caldasa_conformance.builders.entities import Entities, Hours
from caldasa_conformance.fixtures.data import Cleanup, remove_later
from caldasa_conformance.naming import unique_email, unique_name
from caldasa_conformance.oracles.lists import judge_list_filters
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.timeutil import Interval, local, now, wire

SETUP = "T8"  # setup answers are judged by T8 (201 + Location), never by the rule a test probes


def judged_in_setup(response: httpx.Response, operation_id: str, status: int) -> Any:
    """The body of a set-up answer, judged by T8 (201 + Location), never by the rule a test probes."""
    return check_answer(response, Expect(status, SETUP, why="scenario setup"), operation_id)


def future_day(zone: ZoneInfo, days_ahead: int = 2) -> date:
    """A local date `days_ahead` days after today in `zone` (design §8 #68: book at least a day ahead)."""
    return now().astimezone(zone).date() + timedelta(days=days_ahead)


def dst_change_day(zone: ZoneInfo, earliest: date, horizon_days: int = 360) -> date | None:
    """The first local date from `earliest` whose UTC offset changes during the day (a DST transition)."""
    for offset in range(horizon_days):
        day = earliest + timedelta(days=offset)
        if local(day, time(0), zone) + timedelta(days=1) != local(day + timedelta(days=1), time(0), zone):
            return day
    return None


@dataclass
class World:
    """The ids of one built scenario and the local date it books on."""

    location_id: str
    zone: ZoneInfo
    day: date
    staff_ids: list[str]
    reservable_id: str
    variant_id: str
    duration: timedelta
    price_cents: int
    customer_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def at(self, hour: int, minute: int = 0, day: date | None = None) -> datetime:
        """The UTC instant of local `hour:minute` on the world's day (or `day`)."""
        return local(day or self.day, time(hour, minute), self.zone)

    def item(
        self, start: datetime, staff_id: str | None = None, variant_id: str | None = None
    ) -> dict[str, Any]:
        """A createBooking item: the world's variant, its first staff member unless told otherwise."""
        return {
            "reservableVariantId": variant_id or self.variant_id,
            "staffMemberId": staff_id if staff_id is not None else self.staff_ids[0],
            "startsAt": wire(start),
        }


class Scenario:
    """Creates scenario entities for one client; every 201 is registered with `cleanup`.

    Args:
        client: the suite's client of the primary tenant.
        cleanup: the session's cleanup stack (fixture `cleanup`).
        run_tag: put into every created name (fixture `run_tag`).
    """

    def __init__(self, client: httpx.Client, cleanup: Cleanup, run_tag: str) -> None:
        self.client = client
        self.cleanup = cleanup
        self.run_tag = run_tag
        self.entities = Entities(client, judged_in_setup, cleanup.track)
        self._customer_id: str | None = None

    def name(self, kind: str) -> str:
        return unique_name(self.run_tag, f"scenario {kind}")

    def email(self, kind: str) -> str:
        return unique_email(self.run_tag, f"scenario {kind}")

    # ------------------------------------------------------------------ catalog
    def location(self, zone: str, hours: Hours, weekdays: Iterable[int] = range(7)) -> str:
        location_id = str(self.entities.location(self.name("location"), zone)["id"])
        self.business_hours(location_id, hours, weekdays)
        return location_id

    def business_hours(self, location_id: str, hours: Hours, weekdays: Iterable[int] = range(7)) -> None:
        self.entities.business_hours(location_id, hours, weekdays)

    def staff(self, location_ids: Sequence[str], **fields: Any) -> str:
        return str(self.entities.staff(self.name("staff"), location_ids, **fields)["id"])

    def shift(self, staff_id: str, location_id: str, interval: Interval) -> str:
        return str(self.entities.shift(staff_id, location_id, interval, notes=self.run_tag)["id"])

    def service(
        self,
        location_id: str,
        staff_ids: Sequence[str],
        minutes: int = 30,
        price_cents: int = 2500,
        resource_type_ids: Sequence[str] = (),
    ) -> tuple[str, str]:
        """A reservable offered at the location by `staff_ids`; returns (reservableId, default variant id)."""
        created = self.entities.reservable(
            self.name("service"),
            location_id,
            staff_ids,
            minutes=minutes,
            price_cents=price_cents,
            type_ids=resource_type_ids,
        )
        variants = self.entities.variants(created)
        return str(created["id"]), str(variants[0]["id"]) if variants else ""

    def customer(self) -> str:
        """The one customer this scenario books for (customers cannot be deleted: it is recorded as a
        leftover, like the data factory's)."""
        if self._customer_id is None:
            created = self.entities.customer(self.name("customer"), self.email("customer"))
            self._customer_id = str(created["id"])
        return self._customer_id

    # ------------------------------------------------------------------ the usual world
    def basic(
        self,
        *,
        zone: str = "UTC",
        hours: Hours = (("09:00:00", "17:00:00"),),
        shift: tuple[int, int] = (9, 17),
        staff_count: int = 1,
        eligible: int | None = None,
        minutes: int = 30,
        price_cents: int = 2500,
        day: date | None = None,
    ) -> World:
        """Location with `hours` in `zone`; `staff_count` staff assigned with a local `shift` on `day`
        (default: two days ahead); a service of `minutes` offered by the first `eligible` staff (all)."""
        tz = ZoneInfo(zone)
        day = day or future_day(tz)
        location_id = self.location(zone, hours)
        staff_ids = [self.staff([location_id]) for _ in range(staff_count)]
        for staff_id in staff_ids:
            window = Interval(local(day, time(shift[0]), tz), local(day, time(shift[1]), tz))
            self.shift(staff_id, location_id, window)
        offered = staff_ids[: eligible if eligible is not None else staff_count]
        reservable_id, variant_id = self.service(location_id, offered, minutes, price_cents)
        return World(
            location_id,
            tz,
            day,
            staff_ids,
            reservable_id,
            variant_id,
            timedelta(minutes=minutes),
            price_cents,
            customer_id=self.customer(),
        )

    # ------------------------------------------------------------------ bookings
    def booking_body(self, world: World, items: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "businessLocationId": world.location_id,
            "notes": self.run_tag,
            "items": items,
        }
        if world.customer_id and "customerEmail" not in fields and "customerPhone" not in fields:
            body["customerId"] = world.customer_id
        return {**body, **fields}

    def book(self, body: dict[str, Any]) -> httpx.Response:
        """Send createBooking; a 201 is registered for cancellation at session end."""
        response = ops.create_booking(self.client, body=body)
        self.forget_later(response)
        return response

    def forget_later(self, response: httpx.Response) -> None:
        if response.status_code == 201:
            self.cancel_later(str(response.json()["id"]))

    def cancel_later(self, booking_id: str) -> None:
        """Cancel the booking at session end (e.g. one a faulty target stored although it refused it)."""
        remove_later(self.cleanup, self.client, f"/bookings/{booking_id}")

    def bookings_at(self, location_id: str, requirement: str = "C4") -> list[dict[str, Any]]:
        """Every booking listed at the location (one page of 100: scenarios make only a few)."""
        params = {"businessLocationId": location_id, "pageSize": 100}
        response = ops.list_bookings(self.client, params=params)
        body = check_answer(response, Expect(200, requirement), "listBookings")
        judge_list_filters("listBookings", params, body.get("items", []), total=body.get("totalCount"))
        return list(body.get("items", []))

    def slots(
        self, world: World, day: date | None = None, staff_id: str | None = None, requirement: str = "A3"
    ) -> list[dict[str, Any]]:
        params = {
            "reservableVariantId": world.variant_id,
            "businessLocationId": world.location_id,
            "date": (day or world.day).isoformat(),
            "staffMemberId": staff_id,
        }
        response = ops.list_availability_slots(self.client, params={k: v for k, v in params.items() if v})
        body = check_answer(
            response, Expect(200, requirement, why="availability of the day"), "listAvailabilitySlots"
        )
        return list(body.get("slots", []))

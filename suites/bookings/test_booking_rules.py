"""Booking rules as deterministic scenarios (class `bookings`: B3, B4, B6–B11, T10).

The booking-engine machine explores these rules at random and may miss a broken one on a given seed; each
test here builds one small world through the public API (`builders.scenario.Scenario`) and probes one rule,
so a target that breaks it fails every run, with a failure naming the rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from caldasa_conformance.builders.scenario import Scenario, World, dst_change_day, future_day
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.naming import unique_name
from caldasa_conformance.oracles import bookings
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer, require
from caldasa_conformance.workflows.timeutil import GRID, local, now, parse, wire

SLOT_TAKEN = "slot_unavailable"


@pytest.fixture(scope="module")
def scenario(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> Scenario:
    return Scenario(api, cleanup, run_tag)


def _starts(slots: list[dict[str, Any]], staff_id: str | None = None) -> list[datetime]:
    return sorted(
        parse(s["startsAt"]) for s in slots if staff_id is None or s.get("staffMemberId") == staff_id
    )


def _refused(
    scenario: Scenario, world: World, start: datetime, requirement: str, why: str, **item: Any
) -> None:
    """createBooking of one item at `start` must answer 409 slot_unavailable (the slot is closed)."""
    body = scenario.booking_body(world, [{**world.item(start), **item}])
    expect = Expect(409, requirement, SLOT_TAKEN, why=why)
    check_answer(scenario.book(body), expect, "createBooking")


def _past() -> str:
    return wire((now() - timedelta(days=1)).replace(minute=0, second=0, microsecond=0))


def _unknown() -> str:
    return str(uuid.uuid4())


def _grid_within(world: World, opens: time, closes: time) -> list[datetime]:
    """Grid starts t with [t, t + duration) inside local [opens, closes) of the world's day."""
    start, end = local(world.day, opens, world.zone), local(world.day, closes, world.zone)
    starts, t = [], start
    while t + world.duration <= end:
        starts.append(t)
        t += GRID
    return starts


# ---------------------------------------------------------------------------------------------- B3
@pytest.mark.bookings
@pytest.mark.req("B3")
@pytest.mark.operation("replaceBusinessHours", "listAvailabilitySlots", "createBooking")
def test_bookings_stay_inside_business_hours(scenario: Scenario) -> None:
    """Test Purpose: a booking item must fall inside the location's business hours in its time zone.

    Test Method: a location in America/New_York open 09:00–12:00 local, a staff member whose shift runs
    08:00–18:00 local; availability lists only starts inside the hours, and createBooking at 14:00 and at
    08:30 local (inside the shift, outside the hours) answers 409 slot_unavailable.
    """
    world = scenario.basic(zone="America/New_York", hours=[("09:00:00", "12:00:00")], shift=(8, 18))
    listed = _starts(scenario.slots(world, requirement="B3"))
    outside = [wire(t) for t in listed if t not in _grid_within(world, time(9), time(12))]
    bookings.judge_inside_business_hours(outside)
    _refused(scenario, world, world.at(14), "B3", "14:00 local is after closing time (12:00)")
    _refused(scenario, world, world.at(8, 30), "B3", "08:30 local is before opening time (09:00)")


# ---------------------------------------------------------------------------------------------- B4
@pytest.mark.bookings
@pytest.mark.req("B4")
@pytest.mark.operation("createStaffShift", "listAvailabilitySlots", "createBooking")
def test_bookings_stay_inside_the_staff_shift(scenario: Scenario) -> None:
    """Test Purpose: a booking item must fall inside a shift of its staff member at that location.

    Test Method: a location in Europe/Berlin open 08:00–18:00 local, a staff member with one shift
    09:00–12:00 local; availability lists no start outside the shift, and createBooking for that member at
    14:00 local and on the next day (no shift at all) answers 409 slot_unavailable.
    """
    world = scenario.basic(zone="Europe/Berlin", hours=[("08:00:00", "18:00:00")], shift=(9, 12))
    staff_id = world.staff_ids[0]
    listed = _starts(scenario.slots(world, staff_id=staff_id, requirement="B4"), staff_id)
    outside = [wire(t) for t in listed if t not in _grid_within(world, time(9), time(12))]
    bookings.judge_inside_staff_shift(outside)
    _refused(scenario, world, world.at(14), "B4", "14:00 local is after the shift (09:00–12:00)")
    next_day = world.at(10, day=world.day + timedelta(days=1))
    _refused(scenario, world, next_day, "B4", "the staff member has no shift on the next day")


# ---------------------------------------------------------------------------------------------- B6
@pytest.mark.bookings
@pytest.mark.req("B6")
@pytest.mark.operation(
    "listReservableStaff", "listAvailabilitySlots", "createBooking", "unassignStaffFromLocation"
)
def test_only_eligible_assigned_staff_are_booked(scenario: Scenario) -> None:
    """Test Purpose: an item's staff member must be eligible for the service and assigned to the location.

    Test Method: two staff members assigned to the location with the same shift; the service names only the
    first. The second is not listed as the service's staff, has no slots, and booking them answers 409
    slot_unavailable. Then the first is unassigned from the location: their slots go and booking them
    answers 409 slot_unavailable too.
    """
    world = scenario.basic(staff_count=2, eligible=1)
    eligible_id, other_id = world.staff_ids
    response = ops.list_reservable_staff(scenario.client, world.reservable_id)
    staff = check_answer(response, Expect(200, "B6"), "listReservableStaff").get("items", [])
    listed = {member.get("staffMemberId") for member in staff}
    bookings.judge_only_eligible_assigned_staff(service_staff=(listed, eligible_id))
    slots = scenario.slots(world, requirement="B6")
    foreign = [wire(t) for t in _starts(slots, other_id)]
    bookings.judge_only_eligible_assigned_staff(not_eligible_slots=foreign)
    _refused(scenario, world, world.at(10), "B6", "the staff member is not eligible", staffMemberId=other_id)

    response = ops.unassign_staff_from_location(scenario.client, world.location_id, eligible_id)
    check_answer(response, Expect(204, "B6", why="no bookings hold the member"), "unassignStaffFromLocation")
    left = [wire(t) for t in _starts(scenario.slots(world, requirement="B6"), eligible_id)]
    bookings.judge_only_eligible_assigned_staff(unassigned_slots=left)
    _refused(scenario, world, world.at(10), "B6", "the staff member is no longer assigned to the location")


# ---------------------------------------------------------------------------------------------- B7
@pytest.mark.bookings
@pytest.mark.req("B7")
@pytest.mark.operation("listAvailabilitySlots", "createBooking")
def test_item_start_is_an_open_grid_slot_in_the_future(scenario: Scenario) -> None:
    """Test Purpose: an item's startsAt must be an open slot start on the 15-minute grid, in the future.

    Test Method: 10:00 local is listed as open; createBooking at 10:07 (inside that open slot, off the grid)
    answers 409 slot_unavailable, a start yesterday answers 400 naming `items[0].startsAt`, and 10:00
    itself is then accepted (201).
    """
    world = scenario.basic(zone="America/New_York")
    bookings.judge_open_grid_start(_starts(scenario.slots(world, requirement="B7")), world.at(10), "10:00")
    _refused(scenario, world, world.at(10, 7), "B7", "10:07 is not on the 15-minute grid")
    body = scenario.booking_body(world, [{**world.item(world.at(10)), "startsAt": _past()}])
    expect = Expect(400, "B7", field="items[0].startsAt", why="the start lies in the past")
    check_answer(scenario.book(body), expect, "createBooking")
    body = scenario.booking_body(world, [world.item(world.at(10))])
    check_answer(scenario.book(body), Expect(201, "B7", why="10:00 is an open slot"), "createBooking")


# ---------------------------------------------------------------------------------------------- B8
@pytest.mark.bookings
@pytest.mark.req("B8")
@pytest.mark.operation("createBooking", "listBookings")
def test_multi_item_bookings_are_all_or_nothing(scenario: Scenario) -> None:
    """Test Purpose: multi-item bookings are all-or-nothing; one member's items must not overlap each other.

    Test Method: two items of the same staff member at 10:00 and 10:15 (30 min each) answer 400; an open item
    at 10:00 with a second one at 18:00 (closed) answers 409 slot_unavailable; after both, the location has
    no booking at all. Then 10:00 + 11:00 is accepted as one booking with two items.
    """
    world = scenario.basic()
    overlapping = [world.item(world.at(10)), world.item(world.at(10, 15))]
    expect = Expect(400, "B8", field="items", why="the same staff member's items overlap")
    check_answer(scenario.book(scenario.booking_body(world, overlapping)), expect, "createBooking")
    second_closed = [world.item(world.at(10)), world.item(world.at(18))]
    expect = Expect(409, "B8", SLOT_TAKEN, why="items[1] lies after closing time")
    check_answer(scenario.book(scenario.booking_body(world, second_closed)), expect, "createBooking")
    stored = scenario.bookings_at(world.location_id, requirement="B8")
    for booking in stored:
        scenario.cancel_later(booking["id"])
    bookings.judge_all_or_nothing(stored=[b.get("id") for b in stored])

    both = [world.item(world.at(10)), world.item(world.at(11))]
    dto = check_answer(scenario.book(scenario.booking_body(world, both)), Expect(201, "B8"), "createBooking")
    bookings.judge_all_or_nothing(booked=(dto.get("items", []), len(both)))


# ---------------------------------------------------------------------------------------------- B9
@pytest.mark.bookings
@pytest.mark.req("B9")
@pytest.mark.operation("createBooking", "getBooking", "listReservableVariants", "getReservable")
def test_derived_booking_fields_are_consistent(scenario: Scenario) -> None:
    """Test Purpose: derived booking fields follow from the items and the variants booked.

    Test Method: book two services (30 min / 2500 and 45 min / 4000) at 11:00 and 10:00, later one first;
    on the 201 body and on getBooking: item endsAt = startsAt + variant duration, item priceCents = variant
    price, totalCents = the sum, booking startsAt/endsAt = min/max of the items, a serviceName given; worded
    "{reservable} – {variant}" is a reference policy (design §8 #37): a rule with `--profile reference`, a
    note elsewhere.
    """
    world = scenario.basic()
    other_id, other_variant = scenario.service(world.location_id, world.staff_ids, 45, 4000)
    catalog = {**_variants(scenario, world.reservable_id), **_variants(scenario, other_id)}
    items = [world.item(world.at(11)), world.item(world.at(10), variant_id=other_variant)]
    dto = check_answer(scenario.book(scenario.booking_body(world, items)), Expect(201, "B9"), "createBooking")
    _require_derived(dto, catalog, "createBooking")
    stored = check_answer(ops.get_booking(scenario.client, dto["id"]), Expect(200, "B9"), "getBooking")
    _require_derived(stored, catalog, "getBooking")


def _variants(scenario: Scenario, reservable_id: str) -> dict[str, dict[str, Any]]:
    """variant id -> {duration, price, serviceName} as the catalog states them."""
    reservable = check_answer(
        ops.get_reservable(scenario.client, reservable_id), Expect(200, "B9"), "getReservable"
    )
    response = ops.list_reservable_variants(scenario.client, reservable_id)
    variants = check_answer(response, Expect(200, "B9"), "listReservableVariants")["items"]
    return {
        v["id"]: {
            "minutes": v["durationMinutes"],
            "priceCents": v["priceCents"],
            "serviceName": f"{reservable['name']} \u2013 {v['name']}",
        }
        for v in variants
    }


def _require_derived(dto: dict[str, Any], catalog: dict[str, dict[str, Any]], operation_id: str) -> None:
    items = dto.get("items") or []
    seen: dict[str, Any] = {}
    wanted: dict[str, Any] = {}
    for index, item in enumerate(items):
        variant = catalog.get(item.get("reservableVariantId"), {})
        start = parse(item["startsAt"])
        key = f"items[{index}] [endsAt, priceCents, serviceName given]"
        seen[key] = [parse(item["endsAt"]), item.get("priceCents"), bool(item.get("serviceName"))]
        wanted[key] = [start + timedelta(minutes=variant.get("minutes", 0)), variant.get("priceCents"), True]
    key = "booking [totalCents, startsAt, endsAt]"
    seen[key] = [dto.get("totalCents"), _instant(dto.get("startsAt")), _instant(dto.get("endsAt"))]
    wanted[key] = [
        sum(item.get("priceCents") or 0 for item in items),
        min((parse(item["startsAt"]) for item in items), default=None),
        max((parse(item["endsAt"]) for item in items), default=None),
    ]
    bookings.judge_derived_booking_fields(seen, wanted, operation_id, has_items=bool(items))
    names = [catalog.get(item.get("reservableVariantId"), {}).get("serviceName", "?") for item in items]
    bookings.judge_service_names([item.get("serviceName") for item in items], names, operation_id)


def _instant(value: Any) -> datetime | None:
    return parse(value) if isinstance(value, str) else None


# ---------------------------------------------------------------------------------------------- B10
@pytest.mark.bookings
@pytest.mark.req("B10")
@pytest.mark.operation("createBooking", "getCustomer")
def test_customer_linkage_matches_email_case_insensitively(scenario: Scenario) -> None:
    """Test Purpose: each booking is linked to a customer: by email (case-insensitive) or the given id.

    Test Method: two bookings without customerId whose emails differ only in case get the same customerId,
    and getCustomer finds that customer with that email; a third booking naming a customerId keeps it.
    """
    world = scenario.basic()
    email = f"{scenario.run_tag}-Linked-{uuid.uuid4().hex[:8]}@Example.com".replace(" ", "-")
    ids = []
    for start, address in ((world.at(10), email), (world.at(11), email.upper())):
        contact = {"customerName": unique_name(scenario.run_tag, "linked customer"), "customerEmail": address}
        body = scenario.booking_body(world, [world.item(start)], **contact)  # no customerId: link by email
        dto = check_answer(scenario.book(body), Expect(201, "B10"), "createBooking")
        ids.append(dto.get("customerId"))
    bookings.judge_customer_linkage(ids)
    customer = check_answer(ops.get_customer(scenario.client, str(ids[0])), Expect(200, "B10"), "getCustomer")
    scenario.cleanup.leftover("customers", str(ids[0]), "the API has no operation to delete it")
    bookings.judge_customer_linkage(email=(str(customer.get("email") or "").lower(), email.lower()))

    body = scenario.booking_body(world, [world.item(world.at(12))])
    dto = check_answer(scenario.book(body), Expect(201, "B10"), "createBooking")
    bookings.judge_customer_linkage([dto.get("customerId")], expected=body["customerId"])


# ---------------------------------------------------------------------------------------------- B11
# case -> (the field the 400 must name, how to break the valid body {"businessLocationId", "items": [item]})
INVALID_CASES: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "unknown variant": (
        "items[0].reservableVariantId",
        lambda b: b["items"][0].update(reservableVariantId=_unknown()),
    ),
    "unknown staff member": (
        "items[0].staffMemberId",
        lambda b: b["items"][0].update(staffMemberId=_unknown()),
    ),
    "past start": ("items[0].startsAt", lambda b: b["items"][0].update(startsAt=_past())),
    "unknown location": ("businessLocationId", lambda b: b.update(businessLocationId=_unknown())),
    "empty items": ("items", lambda b: b.update(items=[])),
}


@pytest.mark.bookings
@pytest.mark.req("B11")
@pytest.mark.operation("createBooking", "listBookings")
def test_invalid_booking_requests_answer_400_and_store_nothing(scenario: Scenario) -> None:
    """Test Purpose: invalid booking requests answer 400 ValidationProblemDetails naming the field.

    Test Method: from one valid request, derive requests with an unknown variant, an unknown staff member, a
    past start, an unknown location and an empty `items`; each answers 400 with the field in `errors`, and
    afterwards the location has no booking.
    """
    world = scenario.basic()
    for case, (field, breaks) in INVALID_CASES.items():
        body = scenario.booking_body(world, [world.item(world.at(10))])
        breaks(body)
        expect = Expect(400, "B11", field=field, why=case)
        check_answer(scenario.book(body), expect, "createBooking")
    stored = scenario.bookings_at(world.location_id, requirement="B11")
    for booking in stored:
        scenario.cancel_later(booking["id"])
    bookings.judge_invalid_requests_store_nothing([b.get("id") for b in stored])


# ---------------------------------------------------------------------------------------------- T10
@pytest.mark.bookings
@pytest.mark.req("T10")
@pytest.mark.operation("replaceBusinessHours", "listAvailabilitySlots", "createBooking")
@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_availability_follows_the_location_zone_on_dst_change_days(scenario: Scenario, zone: str) -> None:
    """Test Purpose: business hours and availability dates are read in the location's time zone, also on the
    day its UTC offset changes; timestamps are UTC with `Z`.

    Test Method: a location in `zone` open 09:00–12:00 local and a staff shift 06:00–20:00 local on the
    next DST transition day; availability of that date lists exactly the 15-minute starts from 09:00 to
    11:30 local, converted with the offset in force at that hour (not at midnight), every timestamp ending
    in `Z`; booking the first slot stores that instant.
    """
    tz = ZoneInfo(zone)
    day = dst_change_day(tz, future_day(tz, 2))
    if day is None:
        pytest.skip(f"{zone} has no DST transition within a year")
    world = scenario.basic(zone=zone, hours=[("09:00:00", "12:00:00")], shift=(6, 20), day=day)
    slots = scenario.slots(world, requirement="T10")
    texts = [text for slot in slots for text in (slot.get("startsAt", ""), slot.get("endsAt", ""))]
    not_utc = [text for text in texts if not str(text).endswith("Z")]
    require(not not_utc, "T10", "Availability timestamps are not UTC with Z", not_utc, "…Z")
    expected = _grid_within(world, time(9), time(12))
    require(
        _starts(slots) == expected,
        "T10",
        f"Availability on the DST change day {day} is not at local 09:00–12:00 in {zone}",
        [wire(t) for t in _starts(slots)],
        [wire(t) for t in expected],
        "listAvailabilitySlots",
    )
    body = scenario.booking_body(world, [world.item(expected[0])])
    dto = check_answer(scenario.book(body), Expect(201, "T10"), "createBooking")
    item_start = str((dto.get("items") or [{}])[0].get("startsAt"))
    require(
        item_start.endswith("Z") and parse(item_start) == expected[0],
        "T10",
        "The booked item does not start at the booked instant (UTC with Z)",
        item_start,
        wire(expected[0]),
        "createBooking",
    )

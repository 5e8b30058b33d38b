"""The world machine's invariants: what the server shows must be what the model says, after every step.

Each function reads the server one way and hands what it saw to the rule's judge in `oracles`: bookings read
one by one and listed per location and per unit (B1, B2, C4, L1, B8, list and get agree, and the filters of
those lists, T12), the catalog read back and deleted things gone (T7, T8), and availability equal to the
model's open slots (A3 and the rule that closes a slot). Nothing here judges a rule itself.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

import httpx

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.oracles import availability, bookings, catalog, lifecycle, lists
from caldasa_conformance.spec import load_contract
from caldasa_conformance.workflows.api import Api
from caldasa_conformance.workflows.booking_model import instant
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.reads import read_all, read_groups
from caldasa_conformance.workflows.timeutil import Interval
from caldasa_conformance.workflows.world_model import Entity, Location, Member, Service, Unit, World

GET = {
    Location: ("getLocation", "locationId", "location"),
    Member: ("getStaffMember", "staffMemberId", "staff"),
    Service: ("getReservable", "reservableId", "reservable"),
    Unit: ("getResource", "resourceId", "resource"),
}


def check_bookings(api: Api, world: World) -> None:
    """Every booking reads back with its status (C4, L1); no staff member or unit is held twice (B1, B2);
    each location's list holds exactly its bookings (C4, B8), as getBooking shows them (T8), and each list
    filtered by location or unit only those the model has there (T12). The reads go out at once."""
    stored = [b for b in world.bookings if b.id is not None]
    places = [location for location in world.locations if location.live]
    units = [unit for unit in world.units if unit.live]
    place_params: list[dict[str, Any]] = [{"businessLocationId": p.id, "pageSize": 100} for p in places]
    unit_params: list[dict[str, Any]] = [{"resourceId": unit.id, "pageSize": 100} for unit in units]
    customer_params: list[dict[str, Any]] = [
        {"customerId": c, "pageSize": 100} for c in sorted(set(world.customers.values()))
    ]
    gets, by_place, by_unit, by_customer = read_groups(
        [functools.partial(api.call, "getBooking", path={"bookingId": str(b.id)}) for b in stored],
        *(
            [functools.partial(api.call, "listBookings", params=params) for params in group]
            for group in (place_params, unit_params, customer_params)
        ),
    )
    got: dict[str, dict[str, Any]] = {}
    for booking, response in zip(stored, gets, strict=True):
        dto = check_answer(response, Expect(200, "C4"), "getBooking")
        availability.judge_status_and_completed_at(dto, booking.status, "getBooking")
        got[str(booking.id)] = dto
    bookings.judge_no_double_booked_staff(list(got.values()))
    for location, params, response in zip(places, place_params, by_place, strict=True):
        page = check_answer(response, Expect(200, "C4"), "listBookings")
        _judge_location_list(world, location, params, page, got)
    for unit, params, response in zip(units, unit_params, by_unit, strict=True):
        page = check_answer(response, Expect(200, "B2"), "listBookings")
        _judge_unit_list(world, unit, params, page)
    for query, response in zip(customer_params, by_customer, strict=True):
        page = check_answer(response, Expect(200, "T12"), "listBookings")
        known = {str(b.id): b.customer == query["customerId"] for b in stored}
        lists.judge_list_filters(
            "listBookings", query, page["items"], total=page.get("totalCount"), known=known
        )


def _judge_location_list(
    world: World, location: Location, params: dict[str, Any], page: Any, got: dict[str, dict[str, Any]]
) -> None:
    listed = {b["id"]: b for b in page["items"]}
    mine = [b for b in world.bookings if b.id is not None and b.service_at(location)]
    for booking in mine:
        lifecycle.judge_bookings_are_kept(
            str(booking.id), listed_ids=listed, cancelled=booking.status == "Cancelled"
        )
        seen, read = (_documented_booking(dto) for dto in (listed[str(booking.id)], got[str(booking.id)]))
        catalog.listed_as_read("booking", seen, read, "listBookings")
    known = {str(b.id): b.service_at(location) for b in world.bookings if b.id is not None}
    lists.judge_list_filters(
        "listBookings", params, page["items"], total=page.get("totalCount"), known=known
    )  # before B8: a booking of the model at another location is a filter ignored, not a stray one
    bookings.judge_all_or_nothing(stored=sorted(set(listed) - {b.id for b in mine}))


def _judge_unit_list(world: World, unit: Unit, params: dict[str, Any], page: Any) -> None:
    held = page["items"]
    bookings.judge_no_double_allocated_unit(unit_listing=(str(unit.id), held))
    seen = sorted(b["id"] for b in held if b.get("status") != "Cancelled")
    wanted = sorted(str(b.id) for b in world.occupying() if unit in b.units)
    bookings.judge_no_double_allocated_unit(holders=({unit.label: seen}, {unit.label: wanted}))
    known = {str(b.id): unit in b.units for b in world.occupying()}  # a cancelled one may be listed
    lists.judge_list_filters("listBookings", params, held, total=page.get("totalCount"), known=known)


def _documented_booking(dto: dict[str, Any]) -> Any:
    """A booking as the contract describes it (members the server adds are not compared)."""
    return load_contract(BUNDLED_SPEC).documented("getBooking", 200, dto)


def check_catalog(api: Api, world: World) -> None:
    """Live entities read back as the model has them (T8, T7 for assignments and shifts); deleted ones and
    everything their deletion cascaded to stay gone (T7). The reads go out at once."""
    modelled: list[Entity] = [*world.locations, *world.members, *world.services, *world.units]
    entities = [e for e in modelled if e.id is not None]
    members = [e for e in entities if isinstance(e, Member) and not e.deleted]
    places = [e for e in entities if isinstance(e, Location) and not e.deleted]
    page = {"pageSize": 100}
    reads, shift_lists, block_lists, staff_lists = read_groups(
        [functools.partial(api.call, GET[type(e)][0], path={GET[type(e)][1]: str(e.id)}) for e in entities],
        *(
            [
                functools.partial(api.call, listing, path={"staffMemberId": str(m.id)}, params=page)
                for m in members
            ]
            for listing in ("listStaffShifts", "listStaffBlocks")
        ),
        [functools.partial(api.call, "listLocationStaff", path={"locationId": str(p.id)}) for p in places],
    )
    for member, listed in zip(members, block_lists, strict=True):
        _check_blocks(world, member, listed)
    shifts: dict[Entity, httpx.Response] = dict(zip(members, shift_lists, strict=True))
    staff: dict[Entity, httpx.Response] = dict(zip(places, staff_lists, strict=True))
    for entity, response in zip(entities, reads, strict=True):
        operation_id, _, kind = GET[type(entity)]
        if entity.deleted:
            check_answer(response, Expect(404, "T7", why=f"{entity.label} was deleted"), operation_id)
            continue
        dto = check_answer(response, Expect(200, "T8", why=f"{entity.label} is live"), operation_id)
        catalog.created_entity_reads_back(operation_id, dto=dto, name=entity.name, kind=kind)
        _judge_entity(world, entity, dto, shifts.get(entity), staff.get(entity))


def _judge_entity(
    world: World, entity: Entity, dto: Any, shifts: httpx.Response | None, staff: httpx.Response | None
) -> None:
    """What else a live entity's reading shows: a member's locations and shifts, a reservable's state, a
    unit's location, a location's staff."""
    operation_id = GET[type(entity)][0]
    if isinstance(entity, Member) and shifts is not None:
        catalog.unassignments_and_deletes_stick(dto, entity.locations, operation_id)
        _check_shifts(world, entity, shifts)
    if isinstance(entity, Service):
        catalog.listed_as_read("reservable", {"isActive": dto.get("isActive")}, {"isActive": entity.active})
    if isinstance(entity, Unit) and entity.location is not None:
        seen = {"businessLocationId": dto.get("businessLocationId")}
        catalog.listed_as_read("resource", seen, {"businessLocationId": entity.location.id})
    if isinstance(entity, Location) and staff is not None:
        _check_location_staff(world, entity, staff)


def _check_shifts(world: World, member: Member, response: httpx.Response) -> None:
    listed = check_answer(response, Expect(200, "T7"), "listStaffShifts")["items"]
    wanted = {str(s.id) for s in world.shifts if s.live and s.member is member}
    catalog.list_matches_model("shift", {s["id"] for s in listed}, wanted, "listStaffShifts")


def _check_blocks(world: World, member: Member, response: httpx.Response) -> None:
    listed = check_answer(response, Expect(200, "T7"), "listStaffBlocks")["items"]
    wanted = {str(b.id) for b in world.blocks if b.live and b.member is member}
    catalog.list_matches_model("block", {b["id"] for b in listed}, wanted, "listStaffBlocks")


def _check_location_staff(world: World, location: Location, response: httpx.Response) -> None:
    listed = check_answer(response, Expect(200, "T7"), "listLocationStaff")["items"]
    wanted = {str(m.id) for m in world.members if m.live and str(location.id) in m.locations}
    catalog.list_matches_model(
        "location staff", {m["staffMemberId"] for m in listed}, wanted, "listLocationStaff"
    )


def listed_slots(api: Api, world: World, service: Service) -> set[tuple[Any, str]]:
    """The (start, staff member id) slots availability lists for the live `service` on the world's day."""
    return _slots(api.call("listAvailabilitySlots", params=_day_of(world, service)), service)


def _day_of(world: World, service: Service) -> dict[str, Any]:
    assert service.location is not None
    return {
        "reservableVariantId": service.variant_id,
        "date": world.day.isoformat(),
        "businessLocationId": service.location.id,
    }


def _slots(response: httpx.Response, service: Service) -> set[tuple[Any, str]]:
    expect = Expect(200, "A3", why=f"availability of {service.label}")
    body = check_answer(response, expect, "listAvailabilitySlots")
    return {(instant(s["startsAt"]), s["staffMemberId"]) for s in body.get("slots", [])}


def check_availability(api: Api, world: World) -> None:
    """A3 and the rule that closes a slot: availability lists exactly the model's open slots (every live
    service's day read at once)."""
    services = [s for s in world.services if s.live and s.location is not None]
    days = [functools.partial(api.call, "listAvailabilitySlots", params=_day_of(world, s)) for s in services]
    for service, response in zip(services, read_all(days), strict=True):
        served = _slots(response, service)
        members = {str(m.id): m for m in world.members if m.id is not None}

        def closed_reason(
            slot: tuple[Any, str], service: Service = service, members: dict[str, Member] = members
        ) -> str | None:
            member = members.get(slot[1])
            return world.closed_reason(service, member, slot[0]) if member is not None else None

        def freed_by_cancel(slot: tuple[Any, str]) -> bool:
            minute = Interval(slot[0], slot[0] + timedelta(minutes=1))
            return any(
                b.status == "Cancelled" and b.interval is not None and b.interval.overlaps(minute)
                for b in world.bookings
            )

        expected = world.open_slots(service)
        availability.judge_availability_matches_model(served, expected, closed_reason, freed_by_cancel)

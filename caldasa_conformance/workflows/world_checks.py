"""The world machine's invariants: what the server shows must be what the model says, after every step.

Each function reads the server one way and hands what it saw to the rule's judge in `oracles`: bookings read
one by one and listed per location and per unit (B1, B2, C4, L1, B8, list and get agree, and the filters of
those lists, T12), the catalog read back and deleted things gone (T7, T8), and availability equal to the
model's open slots (A3 and the rule that closes a slot). Nothing here judges a rule itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.oracles import availability, bookings, catalog, lifecycle, lists
from caldasa_conformance.spec import load_contract
from caldasa_conformance.workflows.api import Api
from caldasa_conformance.workflows.booking_model import instant
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.timeutil import Interval
from caldasa_conformance.workflows.world_model import Entity, Location, Member, Service, Unit, World

GET = {
    Location: ("getLocation", "locationId", "location"),
    Member: ("getStaffMember", "staffMemberId", "staff"),
    Service: ("getReservable", "reservableId", "reservable"),
    Unit: ("getResource", "resourceId", "resource"),
}


def _read(api: Api, operation_id: str, requirement: str, **kwargs: Any) -> Any:
    return check_answer(api.call(operation_id, **kwargs), Expect(200, requirement), operation_id)


def check_bookings(api: Api, world: World) -> None:
    """Every booking reads back with its status (C4, L1); no staff member or unit is held twice (B1, B2);
    each location's list holds exactly its bookings (C4, B8), as getBooking shows them (T8), and each list
    filtered by location or unit only those the model has there (T12)."""
    got: dict[str, dict[str, Any]] = {}
    for booking in world.bookings:
        if booking.id is None:
            continue
        dto = _read(api, "getBooking", "C4", path={"bookingId": booking.id})
        availability.judge_status_and_completed_at(dto, booking.status, "getBooking")
        got[booking.id] = dto
    bookings.judge_no_double_booked_staff(list(got.values()))
    for location in world.locations:
        if not location.live:
            continue
        params = {"businessLocationId": location.id, "pageSize": 100}
        page = _read(api, "listBookings", "C4", params=params)
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
    for unit in world.units:
        if unit.live:
            params = {"resourceId": unit.id, "pageSize": 100}
            page = _read(api, "listBookings", "B2", params=params)
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
    everything their deletion cascaded to stay gone (T7)."""
    entities: list[Entity] = [*world.locations, *world.members, *world.services, *world.units]
    for entity in entities:
        if entity.id is None:
            continue
        operation_id, parameter, kind = GET[type(entity)]
        response = api.call(operation_id, path={parameter: entity.id})
        if entity.deleted:
            check_answer(response, Expect(404, "T7", why=f"{entity.label} was deleted"), operation_id)
            continue
        dto = check_answer(response, Expect(200, "T8", why=f"{entity.label} is live"), operation_id)
        catalog.created_entity_reads_back(operation_id, dto=dto, name=entity.name, kind=kind)
        if isinstance(entity, Member):
            catalog.unassignments_and_deletes_stick(dto, entity.locations, operation_id)
            _check_shifts(api, world, entity)
        if isinstance(entity, Service):
            catalog.listed_as_read(
                "reservable", {"isActive": dto.get("isActive")}, {"isActive": entity.active}
            )
        if isinstance(entity, Unit) and entity.location is not None:
            seen = {"businessLocationId": dto.get("businessLocationId")}
            catalog.listed_as_read("resource", seen, {"businessLocationId": entity.location.id})
        if isinstance(entity, Location):
            _check_location_staff(api, world, entity)


def _check_shifts(api: Api, world: World, member: Member) -> None:
    params = {"pageSize": 100}
    listed = _read(api, "listStaffShifts", "T7", path={"staffMemberId": member.id}, params=params)["items"]
    wanted = {str(s.id) for s in world.shifts if s.live and s.member is member}
    catalog.list_matches_model("shift", {s["id"] for s in listed}, wanted, "listStaffShifts")


def _check_location_staff(api: Api, world: World, location: Location) -> None:
    listed = _read(api, "listLocationStaff", "T7", path={"locationId": location.id})["items"]
    wanted = {str(m.id) for m in world.members if m.live and str(location.id) in m.locations}
    catalog.list_matches_model(
        "location staff", {m["staffMemberId"] for m in listed}, wanted, "listLocationStaff"
    )


def listed_slots(api: Api, world: World, service: Service) -> set[tuple[Any, str]]:
    """The (start, staff member id) slots availability lists for the live `service` on the world's day."""
    assert service.location is not None
    params = {
        "reservableVariantId": service.variant_id,
        "date": world.day.isoformat(),
        "businessLocationId": service.location.id,
    }
    body = check_answer(
        api.call("listAvailabilitySlots", params=params),
        Expect(200, "A3", why=f"availability of {service.label}"),
        "listAvailabilitySlots",
    )
    return {(instant(s["startsAt"]), s["staffMemberId"]) for s in body.get("slots", [])}


def check_availability(api: Api, world: World) -> None:
    """A3 and the rule that closes a slot: availability lists exactly the model's open slots."""
    for service in world.services:
        if not service.live or service.location is None:
            continue
        served = listed_slots(api, world, service)
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

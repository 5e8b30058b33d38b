"""Locations, business hours, address and staff assignment (§2 Locations; §8 #43–#45)."""

from __future__ import annotations

import itertools
from typing import Any

from caldasa_reference.domain.occupancy import live_items
from caldasa_reference.handlers._common import (
    apply_patch,
    bad_request,
    in_use,
    require,
    valid_time_zone,
)
from caldasa_reference.lists import ordered_open_ties, paginate, plain
from caldasa_reference.routing import (
    ProblemError,
    Reply,
    RequestContext,
    conflict,
    operation,
    validation_problem,
)
from caldasa_reference.store import Record, TenantStore, new_id, ordered, public

ADDRESS_FIELDS = ("addressLine1", "addressLine2", "city", "region", "postalCode", "country")
DETAIL_FIELDS = ("name", "timeZone", "phone", "email", "isActive")


def location_or_404(ctx: RequestContext) -> Record:
    return require(ctx.tenant.locations, ctx.path["locationId"], "location")


def _check_name_free(ctx: RequestContext, name: str, exclude_id: str | None = None) -> None:
    if ctx.fault("duplicate-names-accepted"):
        return
    if any(loc["name"] == name and loc["id"] != exclude_id for loc in ctx.tenant.locations.values()):
        raise ProblemError(conflict("duplicate_name", f"A location named {name!r} already exists."))


@operation("listLocations")
def list_locations(ctx: RequestContext) -> Reply:
    wanted = ctx.query.get("isActive")
    tenants = ctx.services.tenants if ctx.fault("locations-of-all-tenants") else [ctx.tenant]  # T1
    every = [loc for tenant in tenants for loc in tenant.locations.values()]
    records = [loc for loc in every if wanted is None or loc["isActive"] == wanted]
    return ctx.ok(paginate(ctx, ordered(records, "name")))


@operation("createLocation")
def create_location(ctx: RequestContext) -> Reply:
    body: dict[str, Any] = ctx.body
    if not valid_time_zone(body["timeZone"]):
        raise bad_request("timeZone", "Not a known IANA time zone.")
    unknown = sorted(set(body) - {"name", *DETAIL_FIELDS, *ADDRESS_FIELDS})
    if unknown and ctx.fault("unknown-property-rejected"):  # T8: request objects are open (§8 #8)
        raise bad_request(unknown[0], "Unknown property.")
    _check_name_free(ctx, body["name"])
    location: Record = {
        "id": new_id(),
        "name": body["name"],
        "timeZone": body["timeZone"],
        "phone": body.get("phone"),
        "email": body.get("email"),
        **{name: body.get(name) for name in ADDRESS_FIELDS},
        "isActive": True,  # not a create field: unknown properties are ignored (§8 #8)
        "createdAt": ctx.tenant.now_iso(),
        "updatedAt": None,
    }
    location["_asCreated"] = {name: location[name] for name in DETAIL_FIELDS}  # read by a fault only
    ctx.tenant.locations[location["id"]] = location
    ctx.tenant.business_hours[location["id"]] = []
    answer = public(location)
    if ctx.fault("created-body-differs"):  # T8: the 201 body is not what its Location then shows
        answer["updatedAt"] = answer["createdAt"]
    return ctx.created(answer, f"/locations/{location['id']}")


@operation("getLocation")
def get_location(ctx: RequestContext) -> Reply:
    return ctx.ok(public(location_or_404(ctx)))


@operation("updateLocation")
def update_location(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    body: dict[str, Any] = ctx.body
    if body.get("timeZone") is not None and not valid_time_zone(body["timeZone"]):
        raise bad_request("timeZone", "Not a known IANA time zone.")
    if body.get("name") is not None:
        _check_name_free(ctx, body["name"], exclude_id=location["id"])
    if ctx.fault("location-lost-update"):  # K1: the patch lands on a stale copy, the location as created
        location.update(location.get("_asCreated", {}))
    apply_patch(ctx, location, DETAIL_FIELDS)
    return ctx.ok(public(location))


@operation("updateLocationAddress")
def update_location_address(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    apply_patch(ctx, location, ADDRESS_FIELDS)
    return ctx.ok(public(location))


def _location_in_use(tenant: TenantStore, location_id: str) -> str | None:
    if any(r["businessLocationId"] == location_id for r in tenant.resources.values()):
        return "A resource is located here."
    if any(location_id in r["businessLocationIds"] for r in tenant.reservables.values()):
        return "A reservable is offered here."
    if any(b.get("businessLocationId") == location_id for b, _item in live_items(tenant)):
        return "A live booking takes place here."
    now = tenant.now_iso()
    for event in tenant.events.values():
        if (
            event.get("businessLocationId") == location_id
            and event.get("status") != "Cancelled"
            and event.get("endsAt", "") > now
        ):
            return "An upcoming event takes place here."
    return None


@operation("deleteLocation")
def delete_location(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    reason = _location_in_use(ctx.tenant, location["id"])
    if reason and not ctx.fault("location-in-use-deletable"):  # T7: the fault deletes it however used
        raise in_use(reason)
    del ctx.tenant.locations[location["id"]]
    ctx.tenant.business_hours.pop(location["id"], None)
    if ctx.fault("location-delete-no-cascade"):  # T7: assignments and shifts keep the deleted location
        return ctx.no_content()
    for member in ctx.tenant.staff.values():
        if location["id"] in member["businessLocationIds"]:
            member["businessLocationIds"].remove(location["id"])
            member["_assignedAt"].pop(location["id"], None)
    for shift_id in [
        s["id"] for s in ctx.tenant.shifts.values() if s["businessLocationId"] == location["id"]
    ]:
        del ctx.tenant.shifts[shift_id]
    return ctx.no_content()


def _hours_reply(ctx: RequestContext, location: Record) -> Reply:
    entries = sorted(
        ctx.tenant.business_hours.get(location["id"], []),
        key=lambda e: (e["dayOfWeek"], e["opensAt"], e["closesAt"]),
    )
    return ctx.ok(
        {
            "businessLocationId": location["id"],
            "timeZone": location["timeZone"],
            "items": [dict(e) for e in entries],
        }
    )


@operation("listBusinessHours")
def list_business_hours(ctx: RequestContext) -> Reply:
    return _hours_reply(ctx, location_or_404(ctx))


@operation("replaceBusinessHours")
def replace_business_hours(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    entries: list[dict[str, Any]] = ctx.body["entries"]
    errors: dict[str, list[str]] = {}
    for index, entry in enumerate(entries):
        if entry["closesAt"] <= entry["opensAt"]:
            errors[f"entries[{index}].closesAt"] = ["closesAt must be later than opensAt."]
    if not errors:
        by_day = sorted(enumerate(entries), key=lambda pair: (pair[1]["dayOfWeek"], pair[1]["opensAt"]))
        for (_, before), (index, after) in itertools.pairwise(by_day):
            if before["dayOfWeek"] == after["dayOfWeek"] and after["opensAt"] < before["closesAt"]:
                errors[f"entries[{index}]"] = ["Intervals of one day must not overlap."]
    if errors:
        return validation_problem(errors)
    ctx.tenant.business_hours[location["id"]] = [
        {"dayOfWeek": e["dayOfWeek"], "opensAt": e["opensAt"], "closesAt": e["closesAt"]} for e in entries
    ]
    return _hours_reply(ctx, location)


@operation("listLocationStaff")
def list_location_staff(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    members = [m for m in ctx.tenant.staff.values() if location["id"] in m["businessLocationIds"]]

    def render(member: Record) -> Record:
        return {
            "staffMemberId": member["id"],
            "name": member["name"],
            "email": member["email"],
            "isBookable": member["isBookable"],
            "assignedAt": member["_assignedAt"].get(location["id"]),
        }

    return ctx.ok(plain(ordered_open_ties(ctx, members, "name"), render))


@operation("assignStaffToLocation")
def assign_staff_to_location(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    member = require(ctx.tenant.staff, ctx.path["staffMemberId"], "staff member")
    if location["id"] not in member["businessLocationIds"]:
        member["businessLocationIds"].append(location["id"])
        member["_assignedAt"][location["id"]] = ctx.tenant.now_iso()
    return ctx.no_content()


@operation("unassignStaffFromLocation")
def unassign_staff_from_location(ctx: RequestContext) -> Reply:
    location = location_or_404(ctx)
    member = require(ctx.tenant.staff, ctx.path["staffMemberId"], "staff member")
    if location["id"] not in member["businessLocationIds"]:
        return ctx.not_found("staff assignment")
    for booking, item in live_items(ctx.tenant):
        if item.get("staffMemberId") == member["id"] and booking.get("businessLocationId") == location["id"]:
            raise in_use("The staff member has a live booking at this location.")
    member["businessLocationIds"].remove(location["id"])
    member["_assignedAt"].pop(location["id"], None)
    for shift_id in [
        s["id"]
        for s in ctx.tenant.shifts.values()
        if s["staffMemberId"] == member["id"] and s["businessLocationId"] == location["id"]
    ]:
        del ctx.tenant.shifts[shift_id]
    return ctx.no_content()

"""Staff members, shifts and blocks (§2 Staff; §8 #42–#44)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caldasa_reference.domain.occupancy import live_items, occupying_items, overlaps
from caldasa_reference.handlers._common import (
    apply_patch,
    bad_request,
    check_ids_exist,
    contains_ci,
    in_use,
    in_window,
    require,
)
from caldasa_reference.lists import paginate
from caldasa_reference.routing import ProblemError, Reply, RequestContext, conflict, operation
from caldasa_reference.store import Record, TenantStore, new_id, normalise_dt, ordered, parse_dt, public

MEMBER_FIELDS = ("name", "email", "phone", "title", "isBookable", "isActive")
MAX_SHIFT = dt.timedelta(hours=24)
MAX_BLOCK = dt.timedelta(days=366)


def member_or_404(ctx: RequestContext) -> Record:
    return require(ctx.tenant.staff, ctx.path["staffMemberId"], "staff member")


def _check_email_free(tenant: TenantStore, email: str | None, exclude_id: str | None = None) -> None:
    if email is None:
        return
    wanted = email.lower()
    for member in tenant.staff.values():
        if member["id"] != exclude_id and (member.get("email") or "").lower() == wanted:
            raise ProblemError(conflict("duplicate_email", "A staff member with this email already exists."))


def _range(ctx: RequestContext) -> tuple[str | None, str | None]:
    start, end = ctx.query.get("from"), ctx.query.get("to")
    return (normalise_dt(start) if start else None, normalise_dt(end) if end else None)


@operation("listStaffMembers")
def list_staff_members(ctx: RequestContext) -> Reply:
    q = ctx.query
    records = [
        m
        for m in ctx.tenant.staff.values()
        if (
            q.get("businessLocationId") is None or q["businessLocationId"].lower() in m["businessLocationIds"]
        )
        and (q.get("isBookable") is None or m["isBookable"] == q["isBookable"])
        and (q.get("isActive") is None or m["isActive"] == q["isActive"])
        and (not q.get("search") or contains_ci((m["name"], m["email"], m["phone"]), q["search"]))
    ]
    return ctx.ok(paginate(ctx, ordered(records, "name")))


@operation("createStaffMember")
def create_staff_member(ctx: RequestContext) -> Reply:
    body: dict[str, Any] = ctx.body
    known = ctx.tenant.locations
    if ctx.fault("staff-foreign-location"):  # T1: ids are looked up in every tenant
        known = {key: loc for tenant in ctx.services.tenants for key, loc in tenant.locations.items()}
    location_ids = check_ids_exist(known, body.get("businessLocationIds"), "businessLocationIds")
    _check_email_free(ctx.tenant, body.get("email"))
    now = ctx.tenant.now_iso()
    unique_ids = list(dict.fromkeys(location_ids))
    member: Record = {
        "id": new_id(),
        "name": body["name"],
        "email": body.get("email"),
        "phone": body.get("phone"),
        "title": body.get("title"),
        "isBookable": body.get("isBookable", True) is not False,
        "isActive": True,  # not a create field: unknown properties are ignored (§8 #8)
        "businessLocationIds": unique_ids,
        "createdAt": now,
        "updatedAt": None,
        "_assignedAt": dict.fromkeys(unique_ids, now),
    }
    ctx.tenant.staff[member["id"]] = member
    return ctx.created(public(member), f"/staff/{member['id']}")


@operation("getStaffMember")
def get_staff_member(ctx: RequestContext) -> Reply:
    return ctx.ok(public(member_or_404(ctx)))


@operation("updateStaffMember")
def update_staff_member(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    _check_email_free(ctx.tenant, ctx.body.get("email"), exclude_id=member["id"])
    apply_patch(ctx, member, MEMBER_FIELDS)
    return ctx.ok(public(member))


@operation("deleteStaffMember")
def delete_staff_member(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    if any(item.get("staffMemberId") == member["id"] for _b, item in live_items(ctx.tenant)):
        raise in_use("The staff member has live bookings.")
    tenant = ctx.tenant
    del tenant.staff[member["id"]]
    for collection in (tenant.shifts, tenant.blocks):
        for record_id in [r["id"] for r in collection.values() if r["staffMemberId"] == member["id"]]:
            del collection[record_id]
    for reservable in tenant.reservables.values():
        if member["id"] in reservable["_staffMemberIds"]:
            reservable["_staffMemberIds"].remove(member["id"])
    return ctx.no_content()


@operation("listStaffShifts")
def list_staff_shifts(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    start, end = _range(ctx)
    location_id = ctx.query.get("businessLocationId")
    records = [
        s
        for s in ctx.tenant.shifts.values()
        if s["staffMemberId"] == member["id"]
        and in_window(s["startsAt"], start, end)
        and (location_id is None or s["businessLocationId"] == location_id.lower())
    ]
    return ctx.ok(paginate(ctx, ordered(records, "startsAt")))


def _interval(body: dict[str, Any], limit: dt.timedelta, limit_text: str) -> tuple[str, str]:
    starts, ends = parse_dt(body["startsAt"]), parse_dt(body["endsAt"])
    if ends <= starts:
        raise bad_request("endsAt", "endsAt must be later than startsAt.")
    if ends - starts > limit:
        raise bad_request("endsAt", f"The interval may span at most {limit_text}.")
    return normalise_dt(body["startsAt"]), normalise_dt(body["endsAt"])


@operation("createStaffShift")
def create_staff_shift(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    body: dict[str, Any] = ctx.body
    location_id = body["businessLocationId"].lower()
    if location_id not in ctx.tenant.locations:
        raise bad_request("businessLocationId", "No such location in this tenant.")
    if location_id not in member["businessLocationIds"]:
        raise bad_request("businessLocationId", "The staff member is not assigned to this location.")
    starts, ends = _interval(body, MAX_SHIFT, "24 hours")
    for shift in ctx.tenant.shifts.values():
        if shift["staffMemberId"] == member["id"] and overlaps(
            starts, ends, shift["startsAt"], shift["endsAt"]
        ):
            raise ProblemError(conflict("shift_overlap", "The shift overlaps another shift of this member."))
    shift_record: Record = {
        "id": new_id(),
        "staffMemberId": member["id"],
        "businessLocationId": location_id,
        "startsAt": starts,
        "endsAt": ends,
        "notes": body.get("notes"),
        "createdAt": ctx.tenant.now_iso(),
    }
    ctx.tenant.shifts[shift_record["id"]] = shift_record
    return ctx.created(public(shift_record), f"/staff/{member['id']}/shifts/{shift_record['id']}")


@operation("deleteStaffShift")
def delete_staff_shift(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    shift = ctx.tenant.shifts.get(ctx.path["shiftId"])
    if shift is None or shift["staffMemberId"] != member["id"]:
        return ctx.not_found("shift")
    for booking, item in live_items(ctx.tenant):
        if (
            item.get("staffMemberId") == member["id"]
            and booking.get("businessLocationId") == shift["businessLocationId"]
            and overlaps(item["startsAt"], item["endsAt"], shift["startsAt"], shift["endsAt"])
        ):
            raise in_use("A live booking of this member falls inside the shift.")
    del ctx.tenant.shifts[shift["id"]]
    return ctx.no_content()


@operation("listStaffBlocks")
def list_staff_blocks(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    start, end = _range(ctx)
    records = [
        b
        for b in ctx.tenant.blocks.values()
        if b["staffMemberId"] == member["id"] and in_window(b["startsAt"], start, end)
    ]
    return ctx.ok(paginate(ctx, ordered(records, "startsAt")))


@operation("createStaffBlock")
def create_staff_block(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    starts, ends = _interval(ctx.body, MAX_BLOCK, "366 days")
    for _booking, item in occupying_items(ctx.tenant):
        if item.get("staffMemberId") == member["id"] and overlaps(
            starts, ends, item["startsAt"], item["endsAt"]
        ):
            raise ProblemError(conflict("overlaps_booking", "The block overlaps a booking of this member."))
    block: Record = {
        "id": new_id(),
        "staffMemberId": member["id"],
        "startsAt": starts,
        "endsAt": ends,
        "reason": ctx.body.get("reason"),
        "createdAt": ctx.tenant.now_iso(),
    }
    ctx.tenant.blocks[block["id"]] = block
    return ctx.created(public(block), f"/staff/{member['id']}/blocks/{block['id']}")


@operation("deleteStaffBlock")
def delete_staff_block(ctx: RequestContext) -> Reply:
    member = member_or_404(ctx)
    block = ctx.tenant.blocks.get(ctx.path["blockId"])
    if block is None or block["staffMemberId"] != member["id"]:
        return ctx.not_found("block")
    del ctx.tenant.blocks[block["id"]]
    return ctx.no_content()

"""Reservables with their (read-only) variants and eligible staff (§2 Reservables; §3.9; §8 #33, #37, #60)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from caldasa_reference.domain.occupancy import live_items
from caldasa_reference.handlers._common import apply_patch, check_ids_exist, contains_ci, in_use, require
from caldasa_reference.lists import ordered_open_ties, paginate, plain
from caldasa_reference.routing import Reply, RequestContext, operation
from caldasa_reference.store import Record, TenantStore, new_id, ordered, public

SCALAR_FIELDS = ("name", "description", "isActive", "requiresStaff")


def resource_summaries(tenant: TenantStore, type_ids: list[str]) -> list[Record]:
    """One requirement line per type (quantity = how often the id was repeated), first-mention order."""
    counts = Counter(type_ids)
    return [
        {
            "resourceTypeId": type_id,
            "resourceTypeName": tenant.resource_types[type_id]["name"],
            "quantity": counts[type_id],
        }
        for type_id in dict.fromkeys(type_ids)
        if type_id in tenant.resource_types
    ]


def reservable_dto(reservable: Record) -> Record:
    dto = public(reservable)
    dto["variants"] = [public(v) for v in ordered(reservable["variants"], "sortOrder")]
    return dto


def default_variant(reservable_id: str, duration: int, price: int, deposit: int = 0) -> Record:
    return {
        "id": new_id(),
        "reservableId": reservable_id,
        "name": f"{duration} min",
        "durationMinutes": duration,
        "priceCents": price,
        "depositCents": deposit,
        "isActive": True,
        "sortOrder": 0,
    }


def build_reservable(ctx: RequestContext, body: dict[str, Any], deposit_cents: int = 0) -> Record:
    """Validate a CreatePublicReservableRequest-shaped body and store the reservable (+ default variant)."""
    tenant = ctx.tenant
    location_ids = check_ids_exist(tenant.locations, body["businessLocationIds"], "businessLocationIds")
    staff_ids = check_ids_exist(tenant.staff, body.get("staffMemberIds"), "staffMemberIds")
    type_ids = check_ids_exist(tenant.resource_types, body.get("resourceTypeIds"), "resourceTypeIds")
    reservable_id = new_id()
    reservable: Record = {
        "id": reservable_id,
        "name": body["name"],
        "description": body.get("description"),
        "isActive": True,  # not a create field: unknown properties are ignored (§8 #8)
        "requiresStaff": body.get("requiresStaff", True) is not False,
        "businessLocationIds": list(dict.fromkeys(location_ids)),
        "resources": resource_summaries(tenant, type_ids),
        "variants": [
            default_variant(reservable_id, body["durationMinutes"], body["priceCents"], deposit_cents)
        ],
        "createdAt": tenant.now_iso(),
        "updatedAt": None,
        "_staffMemberIds": list(dict.fromkeys(staff_ids)),
        "_resourceTypeIds": type_ids,
    }
    tenant.reservables[reservable_id] = reservable
    return reservable


def reservable_or_404(ctx: RequestContext) -> Record:
    return require(ctx.tenant.reservables, ctx.path["reservableId"], "reservable")


@operation("listReservables")
def list_reservables(ctx: RequestContext) -> Reply:
    q = ctx.query
    records = [
        r
        for r in ctx.tenant.reservables.values()
        if (
            q.get("businessLocationId") is None or q["businessLocationId"].lower() in r["businessLocationIds"]
        )
        and (q.get("isActive") is None or r["isActive"] == q["isActive"])
        and (not q.get("search") or contains_ci((r["name"],), q["search"]))
    ]
    return ctx.ok(paginate(ctx, ordered(records, "name"), reservable_dto))


@operation("createReservable")
def create_reservable(ctx: RequestContext) -> Reply:
    reservable = build_reservable(ctx, ctx.body)
    return ctx.created(reservable_dto(reservable), f"/reservables/{reservable['id']}")


@operation("getReservable")
def get_reservable(ctx: RequestContext) -> Reply:
    return ctx.ok(reservable_dto(reservable_or_404(ctx)))


@operation("updateReservable")
def update_reservable(ctx: RequestContext) -> Reply:
    reservable = reservable_or_404(ctx)
    body: dict[str, Any] = ctx.body
    tenant = ctx.tenant
    changes: dict[str, Any] = {}
    if body.get("businessLocationIds") is not None:
        ids = check_ids_exist(tenant.locations, body["businessLocationIds"], "businessLocationIds")
        changes["businessLocationIds"] = list(dict.fromkeys(ids))
    if body.get("staffMemberIds") is not None:
        ids = check_ids_exist(tenant.staff, body["staffMemberIds"], "staffMemberIds")
        changes["_staffMemberIds"] = list(dict.fromkeys(ids))
    if body.get("resourceTypeIds") is not None:
        type_ids = check_ids_exist(tenant.resource_types, body["resourceTypeIds"], "resourceTypeIds")
        changes["_resourceTypeIds"] = type_ids
        changes["resources"] = resource_summaries(tenant, type_ids)
    changed = apply_patch(ctx, reservable, SCALAR_FIELDS)
    for key, value in changes.items():
        if reservable[key] != value:
            reservable[key] = value
            changed = True
    if changed:
        reservable["updatedAt"] = tenant.now_iso()
    return ctx.ok(reservable_dto(reservable))


@operation("deleteReservable")
def delete_reservable(ctx: RequestContext) -> Reply:
    reservable = reservable_or_404(ctx)
    variant_ids = {v["id"] for v in reservable["variants"]}
    if any(item.get("reservableVariantId") in variant_ids for _b, item in live_items(ctx.tenant)):
        raise in_use("A live booking uses this reservable.")
    del ctx.tenant.reservables[reservable["id"]]
    return ctx.no_content()


@operation("listReservableVariants")
def list_reservable_variants(ctx: RequestContext) -> Reply:
    reservable = reservable_or_404(ctx)
    return ctx.ok(plain(ordered(reservable["variants"], "sortOrder")))


@operation("listReservableStaff")
def list_reservable_staff(ctx: RequestContext) -> Reply:
    reservable = reservable_or_404(ctx)
    members = [ctx.tenant.staff[i] for i in reservable["_staffMemberIds"] if i in ctx.tenant.staff]

    def render(member: Record) -> Record:
        return {"staffMemberId": member["id"], "name": member["name"], "isBookable": member["isBookable"]}

    return ctx.ok(plain(ordered_open_ties(ctx, members, "name"), render))

"""Resource types and resources (§2 Resources; §8 #38, #39, #44)."""

from __future__ import annotations

from typing import Any

from caldasa_reference.domain.occupancy import item_resource_ids, live_items
from caldasa_reference.handlers._common import apply_patch, bad_request, in_use, require
from caldasa_reference.lists import paginate, plain
from caldasa_reference.routing import ProblemError, Reply, RequestContext, conflict, operation
from caldasa_reference.store import Record, TenantStore, new_id, ordered, public


def resource_type_dto(tenant: TenantStore, resource_type: Record) -> Record:
    dto = public(resource_type)
    dto["resourceCount"] = sum(
        1 for r in tenant.resources.values() if r["resourceTypeId"] == resource_type["id"] and r["isActive"]
    )
    return dto


def resource_dto(tenant: TenantStore, resource: Record) -> Record:
    dto = public(resource)
    resource_type = tenant.resource_types.get(resource["resourceTypeId"])
    if resource_type is not None:  # names are denormalised on read so renames show everywhere
        dto["resourceTypeName"] = resource_type["name"]
    return dto


def _check_type_name_free(tenant: TenantStore, name: str, exclude_id: str | None = None) -> None:
    if any(t["name"] == name and t["id"] != exclude_id for t in tenant.resource_types.values()):
        raise ProblemError(conflict("duplicate_name", f"A resource type named {name!r} already exists."))


def _check_resource_name_free(
    tenant: TenantStore, name: str, type_id: str, location_id: str, exclude_id: str | None = None
) -> None:
    for other in tenant.resources.values():
        if (
            other["id"] != exclude_id
            and other["name"] == name
            and other["resourceTypeId"] == type_id
            and other["businessLocationId"] == location_id
        ):
            raise ProblemError(
                conflict("duplicate_name", "A resource with this name, type and location exists.")
            )


@operation("listResourceTypes")
def list_resource_types(ctx: RequestContext) -> Reply:
    records = ordered(ctx.tenant.resource_types.values(), "name")
    return ctx.ok(plain(records, lambda t: resource_type_dto(ctx.tenant, t)))


@operation("createResourceType")
def create_resource_type(ctx: RequestContext) -> Reply:
    _check_type_name_free(ctx.tenant, ctx.body["name"])
    resource_type: Record = {
        "id": new_id(),
        "name": ctx.body["name"],
        "description": ctx.body.get("description"),
        "resourceCount": 0,
        "createdAt": ctx.tenant.now_iso(),
        "updatedAt": None,
    }
    ctx.tenant.resource_types[resource_type["id"]] = resource_type
    return ctx.created(resource_type_dto(ctx.tenant, resource_type), f"/resource-types/{resource_type['id']}")


@operation("getResourceType")
def get_resource_type(ctx: RequestContext) -> Reply:
    resource_type = require(ctx.tenant.resource_types, ctx.path["resourceTypeId"], "resource type")
    return ctx.ok(resource_type_dto(ctx.tenant, resource_type))


@operation("updateResourceType")
def update_resource_type(ctx: RequestContext) -> Reply:
    resource_type = require(ctx.tenant.resource_types, ctx.path["resourceTypeId"], "resource type")
    if ctx.body.get("name") is not None:
        _check_type_name_free(ctx.tenant, ctx.body["name"], exclude_id=resource_type["id"])
    if apply_patch(ctx, resource_type, ("name", "description")):
        for reservable in ctx.tenant.reservables.values():
            for summary in reservable["resources"]:
                if summary["resourceTypeId"] == resource_type["id"]:
                    summary["resourceTypeName"] = resource_type["name"]
    return ctx.ok(resource_type_dto(ctx.tenant, resource_type))


def _refuse_if_type_in_use(tenant: TenantStore, type_id: str) -> None:
    if any(r["resourceTypeId"] == type_id for r in tenant.resources.values()):
        raise in_use("Resources of this type exist.")
    if any(type_id in r["_resourceTypeIds"] for r in tenant.reservables.values()):
        raise in_use("A reservable requires this resource type.")


@operation("deleteResourceType")
def delete_resource_type(ctx: RequestContext) -> Reply:
    if ctx.path["resourceTypeId"] not in ctx.tenant.resource_types and ctx.fault("second-delete-succeeds"):
        return ctx.no_content()  # T7: deleting what is gone answers 204, not 404
    resource_type = require(ctx.tenant.resource_types, ctx.path["resourceTypeId"], "resource type")
    if not ctx.fault("delete-in-use-allowed"):  # T7: the fault deletes it however much it is used
        _refuse_if_type_in_use(ctx.tenant, resource_type["id"])
    del ctx.tenant.resource_types[resource_type["id"]]
    return ctx.no_content()


@operation("listResources")
def list_resources(ctx: RequestContext) -> Reply:
    q = ctx.query
    records = [
        r
        for r in ctx.tenant.resources.values()
        if (q.get("resourceTypeId") is None or r["resourceTypeId"] == q["resourceTypeId"].lower())
        and (
            q.get("businessLocationId") is None or r["businessLocationId"] == q["businessLocationId"].lower()
        )
        and (q.get("isActive") is None or r["isActive"] == q["isActive"])
    ]
    return ctx.ok(paginate(ctx, ordered(records, "name"), lambda r: resource_dto(ctx.tenant, r)))


@operation("createResource")
def create_resource(ctx: RequestContext) -> Reply:
    body: dict[str, Any] = ctx.body
    type_id, location_id = body["resourceTypeId"].lower(), body["businessLocationId"].lower()
    if type_id not in ctx.tenant.resource_types:
        raise bad_request("resourceTypeId", "No such resource type in this tenant.")
    if location_id not in ctx.tenant.locations:
        raise bad_request("businessLocationId", "No such location in this tenant.")
    _check_resource_name_free(ctx.tenant, body["name"], type_id, location_id)
    resource: Record = {
        "id": new_id(),
        "name": body["name"],
        "resourceTypeId": type_id,
        "resourceTypeName": ctx.tenant.resource_types[type_id]["name"],
        "businessLocationId": location_id,
        "isActive": body.get("isActive", True) is not False,
        "createdAt": ctx.tenant.now_iso(),
        "updatedAt": None,
    }
    ctx.tenant.resources[resource["id"]] = resource
    return ctx.created(resource_dto(ctx.tenant, resource), f"/resources/{resource['id']}")


@operation("getResource")
def get_resource(ctx: RequestContext) -> Reply:
    return ctx.ok(resource_dto(ctx.tenant, require(ctx.tenant.resources, ctx.path["resourceId"], "resource")))


def _held_by_live_item(tenant: TenantStore, resource_id: str) -> bool:
    return any(resource_id in item_resource_ids(item) for _b, item in live_items(tenant))


@operation("updateResource")
def update_resource(ctx: RequestContext) -> Reply:
    resource = require(ctx.tenant.resources, ctx.path["resourceId"], "resource")
    body: dict[str, Any] = ctx.body
    location_id = body["businessLocationId"].lower() if body.get("businessLocationId") else None
    if location_id is not None and location_id not in ctx.tenant.locations:
        raise bad_request("businessLocationId", "No such location in this tenant.")
    new_name = body.get("name") or resource["name"]
    new_location = location_id or resource["businessLocationId"]
    if (new_name, new_location) != (resource["name"], resource["businessLocationId"]):
        _check_resource_name_free(
            ctx.tenant, new_name, resource["resourceTypeId"], new_location, resource["id"]
        )
    moves = new_location != resource["businessLocationId"]
    deactivates = body.get("isActive") is False and resource["isActive"]
    if (moves or deactivates) and _held_by_live_item(ctx.tenant, resource["id"]):
        raise in_use("The resource is held by a live booking.")
    if location_id is not None:
        ctx.body["businessLocationId"] = location_id
    apply_patch(ctx, resource, ("name", "isActive", "businessLocationId"))
    return ctx.ok(resource_dto(ctx.tenant, resource))


@operation("deleteResource")
def delete_resource(ctx: RequestContext) -> Reply:
    resource = require(ctx.tenant.resources, ctx.path["resourceId"], "resource")
    if _held_by_live_item(ctx.tenant, resource["id"]):
        raise in_use("The resource is held by a live booking.")
    del ctx.tenant.resources[resource["id"]]
    return ctx.no_content()

"""The testing API (``/_testing/*``): provider states, reset, outbox. Outside the public contract.

Off unless ``--enable-testing-api`` (then these paths are plain unknown paths: 404). Bearer-authenticated
and scoped to the caller's tenant (§8 #65–#68).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from caldasa_reference.lists import as_list
from caldasa_reference.routing import (
    PROVIDER_STATES,
    ProblemError,
    Reply,
    RequestContext,
    problem,
    validation_problem,
)
from caldasa_reference.spec import parse_json_body
from caldasa_reference.store import TenantStore, ordered

if TYPE_CHECKING:
    from caldasa_reference.services import Services

OUTBOX_FILTERS = ("customerId", "bookingId", "ticketOrderId")


async def handle(services: Services, request: Request, tenant: TenantStore, base_url: str) -> Reply:
    """Answer a ``/_testing/*`` request of ``tenant``; ``base_url`` is the server's origin."""
    route = (request.method, str(request.scope["path"]).rstrip("/"))
    if route == ("GET", "/_testing/states"):
        return Reply(200, {"states": sorted(PROVIDER_STATES)})
    if route == ("POST", "/_testing/states"):
        return await create_state(services, request, tenant, base_url)
    if route == ("POST", "/_testing/reset"):
        tenant.reset()
        return Reply(204)
    if route == ("GET", "/_testing/outbox"):
        return outbox(request, tenant)
    if route[1] in ("/_testing/states", "/_testing/reset", "/_testing/outbox"):
        allowed = {"/_testing/states": "GET, POST", "/_testing/reset": "POST", "/_testing/outbox": "GET"}
        reply = problem(405, "method_not_allowed", f"{request.method} is not allowed on this path.")
        reply.headers["Allow"] = allowed[route[1]]
        return reply
    return problem(404, "not_found", "No such testing-API resource.")


async def create_state(services: Services, request: Request, tenant: TenantStore, base_url: str) -> Reply:
    try:
        body = parse_json_body(await request.body())
    except ValueError:
        return validation_problem({"body": ["The request body is not valid JSON."]})
    if not isinstance(body, dict) or not isinstance(body.get("state"), str):
        return validation_problem({"state": ["A state name is required."]})
    handler = PROVIDER_STATES.get(body["state"])
    if handler is None:
        known = ", ".join(sorted(PROVIDER_STATES))
        return validation_problem({"state": [f"Unknown state {body['state']!r}; known: {known}."]})
    params = body.get("params") or {}
    if not isinstance(params, dict):
        return validation_problem({"params": ["params must be an object."]})
    ctx = RequestContext(
        operation_id=f"state:{body['state']}",
        tenant=tenant,
        path={},
        query={},
        body=body,
        headers=request.headers,
        clock=services.clock,
        services=services,
        base_url=base_url,
    )
    try:
        ids = handler(ctx, params)
    except ProblemError as raised:
        return raised.reply
    return Reply(200, {"state": body["state"], "ids": ids})


def outbox(request: Request, tenant: TenantStore) -> Reply:
    wanted = {name: as_list(request.query_params.getlist(name)) for name in OUTBOX_FILTERS}
    entries = [
        entry
        for entry in ordered(tenant.outbox.values(), "createdAt")
        if all(not values or entry.get(name) in values for name, values in wanted.items())
    ]
    items: list[dict[str, Any]] = [dict(entry) for entry in entries]
    return Reply(200, {"items": items})

"""Tenant isolation (T1): tenant B never reaches tenant A's data, by path, by body or through lists."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest

from caldasa_conformance import evidence
from caldasa_conformance.builders.factory import TenantWorld
from caldasa_conformance.failures import TenantLeak
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.spec import Contract
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.timeutil import wire

_LATER = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(days=20)
# Minimal schema-valid bodies, so that 400 (schema) cannot pre-empt the 404 of the path entity (§8 #15).
BODIES: dict[str, Any] = {
    "createCustomerNote": {"body": "tenancy probe"},
    "updateCustomerNote": {"body": "tenancy probe"},
    "sendCustomerMessage": {"channel": "Email", "body": "tenancy probe"},
    "createTicketType": {"name": "probe", "priceCents": 0, "capacity": 1},
    "replaceBusinessHours": {"entries": []},
    "moderateReview": {"status": "Approved"},
    "createStaffBlock": {"startsAt": wire(_LATER), "endsAt": wire(_LATER + dt.timedelta(hours=1))},
    "createStaffShift": {
        "businessLocationId": str(uuid.uuid4()),
        "startsAt": wire(_LATER),
        "endsAt": wire(_LATER + dt.timedelta(hours=1)),
    },
}
PATH_OPERATIONS = sorted(
    op
    for op, (_, template) in ops.OPERATIONS.items()
    if ops.path_names(template) and ops.path_names(template) != ["eventType"]
)
LIST_OPERATIONS = sorted(
    op
    for op, (method, template) in ops.OPERATIONS.items()
    if method == "GET" and not ops.path_names(template) and op != "listAvailabilitySlots"
)


def _body(operation_id: str) -> Any:
    method, _ = ops.OPERATIONS[operation_id]
    if operation_id in BODIES:
        return BODIES[operation_id]
    return {} if method in ("PATCH",) or operation_id == "cancelTicketOrder" else None


def _sent(request: httpx.Request) -> str:
    """What the client itself sent: URL (raw and decoded) and body, lower-cased."""
    body = request.content.decode("utf-8", "replace") if request.content else ""
    return f"{request.url.raw_path.decode('ascii', 'replace')} {request.url} {body}".lower()


def _assert_no_leak(response: httpx.Response, world: TenantWorld, operation_id: str) -> None:
    """None of A's ids in the answer, except those B itself sent: a problem's `instance` (RFC 9457) or a
    message may echo the request, which discloses nothing (a 2xx for them fails on its status instead)."""
    sent = _sent(response.request)
    leaked = sorted(
        identifier
        for identifier in world.ids()
        if identifier in response.text and identifier.lower() not in sent
    )
    if leaked:
        raise TenantLeak(
            f"{response.status_code} containing tenant A's ids {leaked[:3]}",
            "no trace of another tenant's data",
            operation_id=operation_id,
        )
    evidence.held("T1")


@pytest.mark.tenancy
@pytest.mark.req("T1")
@pytest.mark.parametrize(
    "operation_id", [pytest.param(op, marks=pytest.mark.operation(op)) for op in PATH_OPERATIONS]
)
def test_other_tenants_path_ids_are_not_found(
    operation_id: str, api_secondary: httpx.Client, world: TenantWorld, oracle_ctx: OracleContext
) -> None:
    """Test purpose: tenant B gets 404 (never data, never 403) for every path id of tenant A.

    Method: call the operation with B's token and A's ids (a random id where A has no such entity);
    expect 404 problem+json without any of A's ids in the body.
    """
    values = {
        name: world.path_values().get(name, str(uuid.uuid4()))
        for name in ops.path_names(ops.OPERATIONS[operation_id][1])
    }
    response = ops.call(api_secondary, operation_id, values, body=_body(operation_id))
    _assert_no_leak(response, world, operation_id)
    if response.status_code != 404:
        raise TenantLeak(
            f"{response.status_code} for tenant A's ids with tenant B's token",
            "404",
            operation_id=operation_id,
        )
    run_oracles(oracle_ctx, response, Exchange(operation_id, authenticated=True))


def _body_references(
    world: TenantWorld,
) -> list[tuple[str, dict[str, Any], dict[str, Any] | None, tuple[str, ...]]]:
    location, variant = world.location["id"], world.variant_id
    starts_at = world.booking["items"][0]["startsAt"]
    return [
        (
            "createBooking",
            {},
            {
                "businessLocationId": location,
                "customerName": "Probe",
                "customerEmail": "probe@example.com",
                "items": [{"reservableVariantId": variant, "startsAt": starts_at}],
            },
            ("businessLocationId", "items[0].reservableVariantId"),
        ),
        (
            "createResource",
            {},
            {"name": "Probe", "resourceTypeId": world.resource_type["id"], "businessLocationId": location},
            ("resourceTypeId", "businessLocationId"),
        ),
        (
            "createReservable",
            {},
            {"name": "Probe", "durationMinutes": 30, "priceCents": 0, "businessLocationIds": [location]},
            ("businessLocationIds", "businessLocationIds[0]"),
        ),
        (
            "createStaffMember",
            {},
            {"name": "Probe", "businessLocationIds": [location]},
            ("businessLocationIds", "businessLocationIds[0]"),
        ),
        (
            "listAvailabilitySlots",
            {"reservableVariantId": variant, "businessLocationId": location, "date": world.day.isoformat()},
            None,
            ("reservableVariantId", "businessLocationId"),
        ),
    ]


@pytest.mark.tenancy
@pytest.mark.req("T1")
@pytest.mark.operation(
    "createBooking", "createResource", "createReservable", "createStaffMember", "listAvailabilitySlots"
)
def test_other_tenants_ids_in_bodies_are_rejected(
    api_secondary: httpx.Client, world: TenantWorld, oracle_ctx: OracleContext
) -> None:
    """Test purpose: A's ids referenced in B's request bodies (or query) are 400, naming the field.

    Method: send B's token with references to A's location, variant and resource type; expect 400.
    """
    for operation_id, params, body, fields in _body_references(world):
        response = ops.call(api_secondary, operation_id, params=params or None, body=body)
        _assert_no_leak(response, world, operation_id)
        if response.status_code != 400:
            raise TenantLeak(
                f"{response.status_code} for a body naming tenant A's ids", "400", operation_id=operation_id
            )
        run_oracles(oracle_ctx, response, Exchange(operation_id, invalid_fields=fields, authenticated=True))


@pytest.mark.tenancy
@pytest.mark.readonly
@pytest.mark.req("T1")
@pytest.mark.parametrize(
    "operation_id", [pytest.param(op, marks=pytest.mark.operation(op)) for op in LIST_OPERATIONS]
)
def test_other_tenants_rows_never_appear_in_lists(
    operation_id: str, api_secondary: httpx.Client, world: TenantWorld, contract: Contract
) -> None:
    """Test purpose: B's collections never contain A's rows.

    Method: read the collection with B's token (up to 10 pages of 100) and search for every id of A.
    """
    paged = contract.paginated(operation_id)
    for page in range(1, 11):
        response = ops.call(
            api_secondary, operation_id, params={"page": page, "pageSize": 100} if paged else None
        )
        _assert_no_leak(response, world, operation_id)
        total = int(response.json().get("totalCount", 0)) if paged and response.status_code == 200 else 0
        if page * 100 >= total:
            break

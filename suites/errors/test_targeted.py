"""Invalid inputs name their field (V1); errors are clean problems (T6); edge strings never 5xx (S4)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from caldasa_conformance.builders.factory import TenantWorld
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support import operations as ops

UNKNOWN_ID = "7d1c2f0e-9a4b-4c3d-8e5f-0a1b2c3d4e5f"
INVALID_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("createCustomer", {"email": "nobody@example.com"}, "name"),
    ("createCustomer", {"name": "x" * 201, "email": "long@example.com"}, "name"),
    ("createCustomer", {"name": "Ada", "email": "not-an-email"}, "email"),
    ("createLocation", {"name": "No zone"}, "timeZone"),
    ("createResourceType", {"name": ""}, "name"),
    ("createBooking", {"businessLocationId": UNKNOWN_ID, "customerId": UNKNOWN_ID, "items": []}, "items"),
    (
        "createBooking",
        {
            "businessLocationId": UNKNOWN_ID,
            "customerId": UNKNOWN_ID,
            "items": [{"reservableVariantId": UNKNOWN_ID, "startsAt": "tomorrow at ten"}],
        },
        "items[0].startsAt",
    ),
]


@pytest.mark.errors
@pytest.mark.req("V1")
@pytest.mark.parametrize(
    ("operation_id", "body", "field"),
    [
        pytest.param(op, body, field, marks=pytest.mark.operation(op), id=f"{op}-{field}-{i}")
        for i, (op, body, field) in enumerate(INVALID_CASES)
    ],
)
def test_invalid_body_is_rejected_naming_the_field(
    operation_id: str, body: dict[str, Any], field: str, api: httpx.Client, oracle_ctx: OracleContext
) -> None:
    """Test purpose: a request violating one constraint gets 400 with that field among `errors`.

    Method: send a body with exactly one known violation; all oracles run with the field declared invalid.
    """
    response = ops.call(api, operation_id, body=body)
    exchange = Exchange(operation_id, negative=True, invalid_fields=(field,), authenticated=True)
    run_oracles(oracle_ctx, response, exchange)
    assert response.status_code == 400, f"{operation_id} answered {response.status_code}"


@pytest.mark.errors
@pytest.mark.req("V1")
@pytest.mark.operation("updateCustomer", "listCustomers", "getCustomer")
@pytest.mark.parametrize(
    ("operation_id", "path", "params", "body", "field"),
    [
        ("updateCustomer", "customer", None, {"name": "y" * 201}, "name"),
        ("listCustomers", None, {"pageSize": "0"}, None, "pageSize"),
        ("listCustomers", None, {"page": "zero"}, None, "page"),
        ("getCustomer", "malformed", None, None, "customerId"),
    ],
)
def test_invalid_parameters_are_rejected_naming_them(
    operation_id: str,
    path: str | None,
    params: Any,
    body: Any,
    field: str,
    api: httpx.Client,
    world: TenantWorld,
    oracle_ctx: OracleContext,
) -> None:
    """Test purpose: invalid path/query values and PATCH fields get 400 naming the parameter.

    Method: one invalid value per request against real entities of the session's data.
    """
    values = {"customerId": world.customer["id"] if path == "customer" else "not-a-uuid"}
    response = ops.call(api, operation_id, values, params=params, body=body)
    exchange = Exchange(operation_id, negative=True, invalid_fields=(field,), authenticated=True)
    run_oracles(oracle_ctx, response, exchange)
    assert response.status_code == 400, f"{operation_id} answered {response.status_code}"


EDGE_STRINGS = [
    "%",
    "%%",
    "_",
    "100%",
    "'",
    '"',
    "\\",
    "' OR '1'='1",
    "a\u0301\u00e9\U0001f600",
    "\u202e",
    "*",
    "[",
    "(",
    "?",
]


@pytest.mark.errors
@pytest.mark.readonly
@pytest.mark.req("S4", "T6")
@pytest.mark.parametrize(
    "operation_id",
    [
        pytest.param(op, marks=pytest.mark.operation(op))
        for op in ("listCustomers", "listReservables", "listStaffMembers")
    ],
)
def test_search_edge_strings_never_cause_server_errors(
    operation_id: str, api: httpx.Client, oracle_ctx: OracleContext
) -> None:
    """Test purpose: wildcard, quote and unicode edge strings in `search` are plain data, not 5xx.

    Method: send each edge string as `search`; expect 200 (or a clean 400) and run every oracle.
    """
    for text in EDGE_STRINGS:
        response = ops.call(api, operation_id, params={"search": text})
        run_oracles(oracle_ctx, response, Exchange(operation_id, authenticated=True))


@pytest.mark.errors
@pytest.mark.req("T6")
@pytest.mark.operation("createCustomer", "createLocation", "getCustomer")
def test_conflicts_and_not_found_are_clean_problems(
    api: httpx.Client, world: TenantWorld, run_tag: str, oracle_ctx: OracleContext
) -> None:
    """Test purpose: 409 and 404 answers are problem+json with a matching status and no internals.

    Method: provoke duplicate_email (409), duplicate_name (409) and an unknown id (404); run every oracle.
    """
    duplicate_customer = {"name": f"{run_tag} duplicate", "email": world.customer["email"]}
    conflict = ops.create_customer(api, body=duplicate_customer)
    run_oracles(oracle_ctx, conflict, Exchange("createCustomer", authenticated=True))
    assert conflict.status_code == 409, f"duplicate email answered {conflict.status_code}"
    duplicate_location = {"name": world.location["name"], "timeZone": "UTC"}
    run_oracles(
        oracle_ctx,
        ops.create_location(api, body=duplicate_location),
        Exchange("createLocation", authenticated=True),
    )
    missing = ops.get_customer(api, UNKNOWN_ID)
    run_oracles(oracle_ctx, missing, Exchange("getCustomer", authenticated=True))
    assert missing.status_code == 404, f"unknown customer answered {missing.status_code}"

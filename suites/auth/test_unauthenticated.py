"""All 87 operations reject missing, malformed and unknown bearer tokens with 401 (T2)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from caldasa_conformance.failures import AuthNotEnforced
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import require

ANY_ID = "5b0e8c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"
PATH_VALUES = {
    name: ANY_ID for template in (t for _, t in ops.OPERATIONS.values()) for name in ops.path_names(template)
}
PATH_VALUES["eventType"] = "booking.created"
CREDENTIALS: dict[str, dict[str, object]] = {
    "missing": {"authenticate": False},
    "malformed": {"token": "not a valid token"},  # whitespace inside: not a bearer token68
    "unknown": {"token": "caldasa-unknown-token-0f9e8d7c6b5a"},
    "basic-scheme": {},  # `Authorization: Basic ...`: not a bearer token at all
}


@pytest.fixture(scope="module")
def bad_clients(client_factory: Callable[..., httpx.Client]) -> dict[str, httpx.Client]:
    """One client per kind of bad credentials, shared by the module (connections are reused)."""
    clients = {kind: client_factory(**kwargs) for kind, kwargs in CREDENTIALS.items() if kwargs}
    clients["basic-scheme"] = client_factory(authenticate=False)
    clients["basic-scheme"].headers["Authorization"] = "Basic dXNlcjpwYXNzd29yZA=="
    return clients


@pytest.mark.auth
@pytest.mark.req("T2")
@pytest.mark.parametrize("credentials", sorted(CREDENTIALS))
@pytest.mark.parametrize(
    "operation_id",
    [
        pytest.param(
            op, marks=[pytest.mark.operation(op), *([pytest.mark.readonly] if method == "GET" else [])]
        )
        for op, (method, _) in sorted(ops.OPERATIONS.items())
    ],
)
def test_requests_without_valid_credentials_get_401(
    operation_id: str, credentials: str, bad_clients: dict[str, httpx.Client], oracle_ctx: OracleContext
) -> None:
    """Test purpose: no operation answers anything but 401 to a missing, malformed or unknown token.

    Method: call the operation with placeholder ids and no body (401 precedes 400 and 404, design §8 #15);
    expect 401, a problem+json body or none, and `WWW-Authenticate: Bearer`.
    """
    client = bad_clients[credentials]
    response = ops.call(client, operation_id, PATH_VALUES)
    if response.status_code != 401:
        raise AuthNotEnforced(
            f"{response.status_code} with {credentials} credentials", "401", operation_id=operation_id
        )
    run_oracles(oracle_ctx, response, Exchange(operation_id), only=["problem_shape", "no_leaky_detail"])
    challenge = response.headers.get("WWW-Authenticate", "")
    require(
        challenge.lower().startswith("bearer"),
        "T2",
        "401 without `WWW-Authenticate: Bearer`",
        repr(challenge),
        "WWW-Authenticate: Bearer",
        operation_id,
    )


@pytest.mark.auth
@pytest.mark.readonly
@pytest.mark.req("T2")
@pytest.mark.operation("getCurrentTenant", "listCustomers", "listLocations", "listEventTypes")
def test_configured_tokens_are_accepted(
    api: httpx.Client,
    caldasa_config: object,
    client_factory: Callable[..., httpx.Client],
    oracle_ctx: OracleContext,
) -> None:
    """Test purpose: guard against a vacuous run; the configured tokens must NOT be rejected.

    Method: read a few collections with the primary (and, if set, secondary) token; a 401 fails loudly with
    SuspiciousAuthRejection, since a run where everything answers 401 would otherwise look like auth works.
    """
    clients = [api]
    secondary = getattr(caldasa_config, "token_secondary", None)
    if secondary is not None:
        clients.append(client_factory(token=secondary.value))
    for client in clients:
        for operation_id in ("getCurrentTenant", "listCustomers", "listLocations", "listEventTypes"):
            response = ops.call(client, operation_id)
            run_oracles(
                oracle_ctx,
                response,
                Exchange(operation_id, authenticated=True),
                only=["credentials_accepted", "no_server_error"],
            )
            require(
                response.status_code == 200,
                "T2",
                "A configured token is not served",
                response.status_code,
                200,
                operation_id,
            )

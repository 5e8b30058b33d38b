"""Fixtures for the reference-server core tests: in-process servers (one per configuration) and clients."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from caldasa_reference.server import serve_in_thread
from caldasa_reference.services import RateLimit, ServerConfig
from caldasa_reference.spec import load_contract

TOKEN_A = "caldasa-demo-token-a"
TOKEN_B = "caldasa-demo-token-b"

ServerFactory = Callable[..., str]


@pytest.fixture(scope="session")
def core_server() -> Iterator[ServerFactory]:
    """`core_server(*faults, rate_limit=None, variants=())` → base URL of a server with the testing API and
    insecure (loopback) webhooks enabled; servers are cached per configuration for the whole session."""
    urls: dict[tuple[frozenset[str], str | None, frozenset[str]], str] = {}
    with ExitStack() as stack:

        def start(*faults: str, rate_limit: str | None = None, variants: tuple[str, ...] = ()) -> str:
            key = (frozenset(faults), rate_limit, frozenset(variants))
            if key not in urls:
                config = ServerConfig(
                    enable_testing_api=True,
                    allow_insecure_webhooks=True,
                    faults=key[0],
                    variants=key[2],
                    rate_limit=RateLimit.parse(rate_limit) if rate_limit else None,
                    webhook_retry_delays=(0.2, 0.2, 0.2),
                )
                urls[key] = stack.enter_context(serve_in_thread(config))
            return urls[key]

        yield start


def check_against_contract(response: httpx.Response) -> None:
    """Every answer of the clean server must be documented for its operation and match its schema (S1–S3)."""
    path = response.request.url.path
    if path.startswith(("/_testing/", "/_files/")):
        return
    contract = load_contract()
    routed = contract.route(path)
    if routed is None or response.request.method not in routed[0]:
        assert response.status_code in (404, 405), response.status_code
        return
    operation = routed[0][response.request.method]
    documented = contract.response_schema_pointer(operation.operation_id, response.status_code)
    assert documented is not None, f"{operation.operation_id} answered undocumented {response.status_code}"
    pointer, media_type = documented
    if media_type is None:
        return
    response.read()
    assert response.headers["content-type"].split(";")[0] == media_type, response.headers["content-type"]
    errors = list(contract.validator_for(pointer).iter_errors(response.json()))
    assert not errors, (
        f"{operation.operation_id} {response.status_code}: {errors[0].message} at {errors[0].json_path}"
    )
    if response.status_code == 201:
        assert response.headers.get("location"), "201 without Location"


def client_for(base_url: str, token: str | None = TOKEN_A, *, check_contract: bool = True) -> httpx.Client:
    """A client of ``base_url``; by default each response is checked against the contract."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    hooks = {"response": [check_against_contract]} if check_contract else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=20, trust_env=False, event_hooks=hooks)


@pytest.fixture
def client(core_server: ServerFactory) -> Iterator[httpx.Client]:
    """Tenant A on the clean server."""
    with client_for(core_server()) as c:
        yield c


@pytest.fixture
def client_b(core_server: ServerFactory) -> Iterator[httpx.Client]:
    """Tenant B on the clean server."""
    with client_for(core_server(), TOKEN_B) as c:
        yield c


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    assert response.headers["location"].endswith(response.json()["id"])
    body: dict[str, Any] = response.json()
    return body


def make_location(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    return created(
        client.post("/locations", json={"name": unique("Loc"), "timeZone": "Europe/Berlin", **fields})
    )


def make_staff(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    return created(client.post("/staff", json={"name": unique("Staff"), **fields}))


def make_customer(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"name": unique("Cust"), "email": f"{uuid.uuid4().hex[:10]}@example.com", **fields}
    return created(client.post("/customers", json=body))


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if code is not None:
        assert body.get("code") == code, body
    return body


def assert_field_error(response: httpx.Response, field: str) -> None:
    body = assert_problem(response, 400)
    assert field in body["errors"], body["errors"]

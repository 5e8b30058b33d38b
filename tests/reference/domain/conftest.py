"""Fixtures for the booking-domain tests: clients of the in-process reference servers, and salons."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.reference.conftest import TOKEN_A, TOKEN_B, ServerFactory
from tests.reference.domain.contract_check import contract_hook
from tests.reference.domain.salon import Salon, build_salon


@pytest.fixture(scope="session")
def reference_server(core_server: ServerFactory) -> ServerFactory:
    """`reference_server(*faults)` → base URL of a testing-API-enabled server with those faults: the same
    session-cached servers as the core tests' (`tests/reference/conftest.py`)."""
    return core_server


def make_client(base_url: str, token: str = TOKEN_A) -> httpx.Client:
    # `Connection: close`: on loopback, uvicorn's h11 keep-alive responses stall ~40 ms (Nagle vs delayed
    # ACK); a fresh connection per request is ~20x faster and keeps these tests quick.
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    hooks = {"response": [contract_hook]}
    return httpx.Client(base_url=base_url, headers=headers, timeout=30, event_hooks=hooks)


@pytest.fixture
def api(reference_server: ServerFactory) -> Iterator[httpx.Client]:
    """A client of the clean server, tenant A."""
    with make_client(reference_server()) as client:
        yield client


@pytest.fixture
def other_tenant(reference_server: ServerFactory) -> Iterator[httpx.Client]:
    """A client of the clean server, tenant B (for isolation checks)."""
    with make_client(reference_server(), TOKEN_B) as client:
        yield client


@pytest.fixture
def salon(api: httpx.Client) -> Salon:
    """A fresh salon (2 staff, 60-min service) on the clean server, three days ahead."""
    return build_salon(api)


@pytest.fixture
def faulty(reference_server: ServerFactory) -> Iterator[Callable[[str], httpx.Client]]:
    """`faulty(name)` → a client of a server running with exactly that fault."""
    clients: list[httpx.Client] = []

    def open_client(fault: str) -> httpx.Client:
        clients.append(make_client(reference_server(fault)))
        return clients[-1]

    yield open_client
    for client in clients:
        client.close()

"""Fixtures for the booking-domain tests: in-process reference servers (one per fault set) and salons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

from caldasa_reference.server import serve_in_thread
from caldasa_reference.services import ServerConfig
from tests.reference.domain.contract_check import contract_hook
from tests.reference.domain.salon import Salon, build_salon

TOKEN_A = "caldasa-demo-token-a"
TOKEN_B = "caldasa-demo-token-b"

ServerFactory = Callable[..., str]


@pytest.fixture(scope="session")
def reference_server() -> Iterator[ServerFactory]:
    """`reference_server(*faults)` → base URL of a testing-API-enabled server with those faults (cached)."""
    urls: dict[frozenset[str], str] = {}
    with ExitStack() as stack:

        def start(*faults: str) -> str:
            key = frozenset(faults)
            if key not in urls:
                config = ServerConfig(enable_testing_api=True, faults=key)
                urls[key] = stack.enter_context(serve_in_thread(config))
            return urls[key]

        yield start


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

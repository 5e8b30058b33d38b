"""Fixtures of the workflow self-tests: reference servers (clean and faulty) and bound targets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from caldasa_conformance.client import make_client
from caldasa_conformance.config import Secret, SuiteConfig
from caldasa_conformance.states import TestingApiStates
from caldasa_conformance.workflows.target import Target
from tests.harness.reference_server import RunningServer, reference_server


def make_target(server: RunningServer, *, budget: str = "smoke") -> Target:
    config = SuiteConfig(base_url=server.base_url, token=Secret(server.token), timeout=10.0)
    client = make_client(config)
    return Target(client=client, states=TestingApiStates(client), budget=budget, run_tag="cc-selftest")


@pytest.fixture(scope="session")
def clean_server() -> Iterator[RunningServer]:
    with reference_server() as server:
        yield server


@pytest.fixture
def clean_target(clean_server: RunningServer) -> Iterator[Target]:
    target = make_target(clean_server)
    yield target
    target.client.close()

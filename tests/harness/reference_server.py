"""The reference server for harness self-tests: the runner's own embedded server, with optional faults."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from caldasa_conformance.runner.embedded import EmbeddedServer


@dataclass(frozen=True)
class RunningServer:
    url: str
    env: dict[str, str]


@contextmanager
def reference_server(*faults: str, extra_args: tuple[str, ...] = ()) -> Iterator[RunningServer]:
    """Run the reference server with `faults`; yield its URL and the env a suite run needs to reach it."""
    fault_args = tuple(arg for fault in faults for arg in ("--fault", fault))
    with EmbeddedServer(extra_args=(*extra_args, *fault_args)) as server:
        client_env = {
            "CALDASA_BASE_URL": server.url,
            "CALDASA_TOKEN": server.token,
            "CALDASA_TOKEN_SECONDARY": server.secondary_token,
        }
        yield RunningServer(server.url, client_env)

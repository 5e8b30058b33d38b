"""The reference server for workflow self-tests: the runner's own embedded server, with optional faults."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from caldasa_conformance.runner.embedded import EmbeddedServer


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    token: str
    token_secondary: str


@contextlib.contextmanager
def reference_server(*faults: str, variants: tuple[str, ...] = ()) -> Iterator[RunningServer]:
    """Run `python -m caldasa_reference serve` (testing API and http loopback webhooks on) with `faults`
    and legal `variants`."""
    switches = [("--fault", fault) for fault in faults] + [("--variant", name) for name in variants]
    with EmbeddedServer(extra_args=tuple(arg for pair in switches for arg in pair)) as server:
        yield RunningServer(server.url, server.token, server.secondary_token)

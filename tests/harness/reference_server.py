"""The reference server for the harness' and the workflows' self-tests: the runner's own embedded server.

Faults (`--fault`), legal variants (`--variant`) and any other server arguments are passed through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from caldasa_conformance.runner.embedded import EmbeddedServer


@dataclass(frozen=True)
class RunningServer:
    """Where the server listens and the bearer tokens of its two tenants."""

    base_url: str
    token: str
    token_secondary: str

    @property
    def env(self) -> dict[str, str]:
        """The environment a suite run needs to reach the server."""
        return {
            "CALDASA_BASE_URL": self.base_url,
            "CALDASA_TOKEN": self.token,
            "CALDASA_TOKEN_SECONDARY": self.token_secondary,
        }


@contextmanager
def reference_server(
    *faults: str, variants: tuple[str, ...] = (), extra_args: tuple[str, ...] = ()
) -> Iterator[RunningServer]:
    """Run `python -m caldasa_reference serve` (testing API and http loopback webhooks on) with `faults`,
    legal `variants` and `extra_args`."""
    switches = [("--fault", fault) for fault in faults] + [("--variant", name) for name in variants]
    with EmbeddedServer(extra_args=(*extra_args, *(arg for pair in switches for arg in pair))) as server:
        yield RunningServer(server.url, server.token, server.secondary_token)

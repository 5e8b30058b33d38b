"""The target a workflow runs against: a client, the provider states and the budget.

Suites bind one `Target` per test (from the plugin's configuration); self-tests bind their own. Machines read
it when they are instantiated, so a `RuleBasedStateMachine.TestCase` needs no constructor arguments.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from caldasa_conformance.states import StateProvider
from caldasa_conformance.workflows import receiver


@dataclass
class Target:
    """Everything a workflow needs to talk to the target.

    Attributes:
        client: authenticated client with the target's base URL.
        states: provider-state source (testing API, manifest, or none).
        budget: `smoke`, `default` or `deep` (examples and steps of the machines).
        run_tag: put into the names of everything the workflows create.
        record_leftover: told `{"kind", "id", "reason"}` for everything cleanup could not remove.
    """

    client: httpx.Client
    states: StateProvider
    budget: str = "default"
    run_tag: str = "cc-local"
    record_leftover: Callable[[dict[str, str]], None] | None = None

    @property
    def reaches_receiver(self) -> bool:
        """Whether the target can deliver to the suite's webhook receiver: it runs on this machine, or the
        receiver has a public URL (`--webhook-receiver-url`)."""
        return self.is_loopback or receiver.current_settings().public_url is not None

    @property
    def is_loopback(self) -> bool:
        """Whether the target runs on this machine (then it can reach a loopback webhook receiver)."""
        host = urlsplit(str(self.client.base_url)).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


_current: Target | None = None


def bind(target: Target | None) -> None:
    """Make `target` the one machines use (None unbinds)."""
    global _current
    _current = target


def current() -> Target:
    """The bound target; raises a clear error when a machine runs without one."""
    if _current is None:
        raise RuntimeError(
            "no workflow target bound: run the suites through the caldasa plugin, or call "
            "caldasa_conformance.workflows.target.bind(Target(...)) first"
        )
    return _current


@contextlib.contextmanager
def bound(target: Target) -> Iterator[Target]:
    """Bind `target` for the duration of a `with` block."""
    previous = _current
    bind(target)
    try:
        yield target
    finally:
        bind(previous)

"""What one pytest session of the suite shares: one `RunSession` in `config.stash` (never a module global).

The plugin resolves the configuration once in `pytest_configure` and stores the session under `SESSION_KEY`.
Its parts are handed what they need explicitly: fixtures read it (`caldasa_session`, `caldasa_config`), each
client is given the request counters and the target's health at construction, each cleanup stack the list of
leftovers; at session end the plugin writes the counts and the leftovers to `<report-dir>/.caldasa/` and
closes the session's clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest

from caldasa_conformance import policy
from caldasa_conformance.client import RequestStats
from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.exchanges import TestExchanges
from caldasa_conformance.health import TargetHealth
from caldasa_conformance.workflows.receiver import LazyReceiver, ReceiverSettings


@dataclass
class RunSession:
    """The run's shared state within one process (one xdist worker).

    Attributes:
        config: the resolved configuration.
        requests: requests sent and 429 retries, counted by every client of the session.
        health: the unwell answers met (timeouts, cut bodies, gateway pages), counted and kept per test.
        leftovers: `{"kind", "id", "reason"}` of everything cleanup could not remove.
        exchanges: the running test's HTTP exchanges, which its Allure result gets when it ends.
        receiver: the webhook receiver (`--webhook-receiver-*`), started on first use, stopped at session end.
        clients: the session's clients, closed when the session ends (`close_clients`), after every fixture:
            the cleanup stack's undo actions use them whichever fixture was torn down first.
    """

    config: SuiteConfig
    requests: RequestStats = field(default_factory=RequestStats)
    health: TargetHealth = field(default_factory=TargetHealth)
    leftovers: list[dict[str, str]] = field(default_factory=list)
    exchanges: TestExchanges = field(default_factory=TestExchanges)
    clients: list[httpx.Client] = field(default_factory=list)
    receiver: LazyReceiver = field(init=False)

    def __post_init__(self) -> None:
        settings = ReceiverSettings(
            self.config.webhook_receiver_host,
            self.config.webhook_receiver_port,
            self.config.webhook_receiver_url,
        )
        self.receiver = LazyReceiver(settings)

    @property
    def enforces_policies(self) -> bool:
        """Whether tests hold the target to the reference's own choices: on the reference profile only (the
        project's own tests, which configure no target, keep the default: enforced)."""
        return self.config.base_url is None or policy.enforced_for(self.config.profile)

    def close_clients(self) -> None:
        while self.clients:
            self.clients.pop().close()


SESSION_KEY = pytest.StashKey[RunSession]()


def run_session(config: pytest.Config) -> RunSession | None:
    """The session the plugin configured, or None before (or without) it."""
    return config.stash.get(SESSION_KEY, None)

"""What one pytest session of the suite shares: one `RunSession` in `config.stash` (never a module global).

The plugin resolves the configuration once in `pytest_configure` and stores the session under `SESSION_KEY`.
Its parts are handed what they need explicitly: fixtures read it (`caldasa_session`, `caldasa_config`), each
client is given the request counters and the target's health at construction, each cleanup stack the list of
leftovers; at session end the plugin writes the counts and the leftovers to `<report-dir>/.caldasa/` and
closes the session's clients.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import httpx
import pytest

from caldasa_conformance import policy
from caldasa_conformance.client import RequestStats
from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.exchanges import TestExchanges
from caldasa_conformance.health import TargetHealth
from caldasa_conformance.states import probe_testing_api
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
    _testing_api_probes: dict[str, str | None] = field(default_factory=dict, init=False, repr=False)
    _probe_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

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

    def testing_api_absence(self, client: httpx.Client) -> str | None:
        """None when provider states may come from the testing API, else why not. `caldasa-conformance run`
        probes once and hands its workers `on` or `off`; a plain pytest run (`auto`) probes once per session
        and target."""
        mode = self.config.testing_api
        if mode == "on":
            return None
        if mode == "off":
            return "no testing API (the run's probe of GET /_testing/states found none, or --testing-api off)"
        target = str(client.base_url)
        with self._probe_lock:
            if target not in self._testing_api_probes:
                self._testing_api_probes[target] = probe_testing_api(client)
            return self._testing_api_probes[target]

    def close_clients(self) -> None:
        while self.clients:
            self.clients.pop().close()


SESSION_KEY = pytest.StashKey[RunSession]()


def run_session(config: pytest.Config) -> RunSession | None:
    """The session the plugin configured, or None before (or without) it."""
    return config.stash.get(SESSION_KEY, None)

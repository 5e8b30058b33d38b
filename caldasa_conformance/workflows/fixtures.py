"""Pytest fixtures that give the stateful suites their workflow target.

`workflow_target` builds a `Target` from the plugin's configuration and the primary tenant's client, with the
provider states of design §8 #65–#66 (testing API first, then the `--caldasa-states` manifest), and caps
Hypothesis' shrinking time by budget for the test. `suites/conftest.py` hands it to every stateful test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from caldasa_conformance.session import RunSession
from caldasa_conformance.states import (
    ChainStates,
    ManifestStates,
    NoStates,
    StateProvider,
    TestingApiStates,
)
from caldasa_conformance.workflows.receiver import LazyReceiver
from caldasa_conformance.workflows.settings import bounded_shrinking
from caldasa_conformance.workflows.target import Target

if TYPE_CHECKING:  # imported lazily below: the plugin registers fixtures.data itself, after the suites'
    # conftest files (which import this module) are loaded, and pytest cannot rewrite a module imported early
    from caldasa_conformance.fixtures.data import Cleanup


def state_sources(client: httpx.Client, session: RunSession, cleanup: Cleanup) -> StateProvider:
    """Testing API (if the probe finds one), then the manifest when one is configured; the testing API's
    creations go to `cleanup`."""

    def track(state: str, ids: dict[str, Any], params: dict[str, Any]) -> None:
        from caldasa_conformance.fixtures.data import track_state

        track_state(cleanup, client, state, ids, params)

    why_not = session.testing_api_absence(client)
    testing_api = TestingApiStates(client, on_provided=track) if why_not is None else NoStates(why_not)
    sources: list[StateProvider] = [testing_api]
    if session.config.states is not None:
        sources.append(ManifestStates(session.config.states))
    return ChainStates(sources)


@pytest.fixture
def workflow_target(caldasa_session: RunSession, api: httpx.Client, cleanup: Cleanup) -> Iterator[Target]:
    """The target of a stateful test (skips, like `api`, when no target or token is configured)."""
    caldasa_config = caldasa_session.config
    target = Target(
        client=api,
        states=state_sources(api, caldasa_session, cleanup),
        budget=caldasa_config.budget,
        run_tag=caldasa_config.run_tag,
        record_leftover=cleanup.leftovers.append,
        receiver=caldasa_session.receiver,
    )
    with bounded_shrinking(target.budget):
        yield target


@pytest.fixture(scope="session")
def webhook_receiver(caldasa_session: RunSession) -> LazyReceiver:
    """The run's webhook receiver (`--webhook-receiver-*`), started on the first delivery a test awaits."""
    return caldasa_session.receiver

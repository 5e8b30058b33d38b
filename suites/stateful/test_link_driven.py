"""Schemathesis' link-driven exploration with our oracles (extra stateful layer)."""

from __future__ import annotations

import unittest
from typing import Any

import httpx
import pytest
from hypothesis.stateful import RuleBasedStateMachine
from schemathesis import GenerationMode

from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.fixtures.data import Cleanup, track_created
from caldasa_conformance.oracles import OracleContext
from caldasa_conformance.support.generated import run_schema
from caldasa_conformance.workflows.links import link_machine
from caldasa_conformance.workflows.target import Target

_session: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _share_session_fixtures(
    oracle_ctx: OracleContext,
    cleanup: Cleanup,
    api: httpx.Client,
    caldasa_config: SuiteConfig,
    workflow_target: Target,
) -> None:
    _session.update(
        oracle_ctx=oracle_ctx,
        cleanup=cleanup,
        api=api,
        config=caldasa_config,
        target=workflow_target,
    )


def _track(response: httpx.Response) -> None:
    track_created(_session["cleanup"], _session["api"], response)


def link_driven_workflows(config: SuiteConfig, target: Target) -> type:
    """The machine over the run's schema (built when the test runs: the schema needs the run's config)."""
    schema = run_schema(config, GenerationMode.POSITIVE)
    schema.config.phases.update(phases=["stateful"])  # this schema object is ours alone (gotcha 0.2)
    return link_machine(schema, lambda: _session["oracle_ctx"], _track, target)


@pytest.mark.http
@pytest.mark.req("T7", "T8", "S1", "S2", "S4")
class TestLinkDrivenWorkflows(unittest.TestCase):
    """Test Purpose: chains of calls along the contract's links keep resources consistent.

    Test Method: Schemathesis follows the (inferred) links of the contract, create → get → update → delete,
    sending generated data; every response is judged by our oracles and by Schemathesis' checks, including
    `use_after_free` (a deleted resource must stay gone).
    """

    def runTest(self) -> None:
        link_driven_workflows(_session["config"], _session["target"]).TestCase().runTest()

    runTest.is_hypothesis_test = True  # type: ignore[attr-defined]  # a state machine: Hypothesis draws its steps
    # and names its machine class, as Hypothesis' own TestCase does (kinds.is_state_machine); Schemathesis
    # builds the class only when the test runs, so its base class stands for it.
    runTest._hypothesis_state_machine_class = RuleBasedStateMachine  # type: ignore[attr-defined]

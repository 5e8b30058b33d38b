"""Schemathesis' link-driven exploration with our oracles (extra stateful layer)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode

from caldasa_conformance.client import log_created
from caldasa_conformance.fixtures.data import Cleanup, track_created
from caldasa_conformance.oracles import OracleContext
from caldasa_conformance.plugin import active_config
from caldasa_conformance.support.st import load_schema, tag_generated_names
from caldasa_conformance.workflows.links import link_machine

schema = load_schema(active_config(), GenerationMode.POSITIVE)
schema.config.phases.update(phases=["stateful"])  # this schema object is ours alone (gotcha 0.2)
tag_generated_names(schema, active_config().run_tag)
_session: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _share_session_fixtures(oracle_ctx: OracleContext, cleanup: Cleanup, api: httpx.Client) -> None:
    _session.update(oracle_ctx=oracle_ctx, cleanup=cleanup, api=api)


def _track(response: httpx.Response) -> None:
    track_created(_session["cleanup"], _session["api"], response)
    log_created(active_config(), "primary", response)  # sent by Schemathesis, not through `api`


LinkDrivenWorkflows = link_machine(schema, lambda: _session["oracle_ctx"], _track)


@pytest.mark.http
@pytest.mark.req("T7", "T8", "S1", "S2", "S4")
class TestLinkDrivenWorkflows(LinkDrivenWorkflows.TestCase):  # type: ignore[misc,name-defined]
    """Test Purpose: chains of calls along the contract's links keep resources consistent.

    Test Method: Schemathesis follows the (inferred) links of the contract, create → get → update → delete,
    sending generated data; every response is judged by our oracles and by Schemathesis' checks, including
    `use_after_free` (a deleted resource must stay gone).
    """

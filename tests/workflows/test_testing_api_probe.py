"""`caldasa-conformance run` probes the testing API once per run and hands its workers `on` or `off`."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance.runner.probe import resolve_testing_api
from caldasa_conformance.workflows.fixtures import _testing_api_absent
from caldasa_reference.server import serve_in_thread
from caldasa_reference.services import ServerConfig

TOKEN = "caldasa-demo-token-a"


@pytest.mark.parametrize("enabled", [True, False])
def test_auto_probes_the_target(enabled: bool) -> None:
    with serve_in_thread(ServerConfig(enable_testing_api=enabled)) as base_url:
        mode, found = resolve_testing_api("auto", base_url, TOKEN, 5.0)
    assert mode == ("on" if enabled else "off")
    assert ("answered 200" if enabled else "answered 404") in found


@pytest.mark.parametrize("mode", ["on", "off"])
def test_a_chosen_mode_is_not_probed(mode: str) -> None:
    assert resolve_testing_api(mode, "http://never.invalid", TOKEN, 5.0) == (mode, f"--testing-api {mode}")


def test_workers_follow_the_runs_decision_without_asking() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a worker asked the target: {request.url}")

    client = httpx.Client(base_url="http://worker.invalid", transport=httpx.MockTransport(refuse))
    assert _testing_api_absent(client, "on") is None
    reason = _testing_api_absent(client, "off")
    assert reason is not None
    assert "no testing API" in reason

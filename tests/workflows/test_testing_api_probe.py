"""`caldasa-conformance run` probes the testing API once per run and hands its workers `on` or `off`."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.runner.probe import resolve_testing_api
from caldasa_conformance.session import RunSession
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
    assert RunSession(SuiteConfig(testing_api="on")).testing_api_absence(client) is None
    reason = RunSession(SuiteConfig(testing_api="off")).testing_api_absence(client)
    assert reason is not None
    assert "no testing API" in reason


def test_auto_asks_once_per_session_and_target() -> None:
    asked: list[str] = []

    def absent(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(404)

    client = httpx.Client(base_url="http://auto.invalid", transport=httpx.MockTransport(absent))
    session = RunSession(SuiteConfig(testing_api="auto"))
    reasons = {session.testing_api_absence(client) for _ in range(3)}
    assert asked == ["http://auto.invalid/_testing/states"]
    assert len(reasons) == 1
    assert "answered 404" in str(reasons.pop())
    RunSession(SuiteConfig(testing_api="auto")).testing_api_absence(client)
    assert len(asked) == 2  # another session asks again: nothing is kept in the process

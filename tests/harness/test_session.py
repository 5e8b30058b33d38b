"""One session object: what a pytest session of the suite shares is in `config.stash`, in no module global."""

from __future__ import annotations

import json

import pytest

from caldasa_conformance import client, health, plugin
from caldasa_conformance.session import SESSION_KEY, RunSession
from caldasa_conformance.workflows import target
from tests.harness.test_plain_pytest import plugin_project

pytest_plugins = ["pytester"]

SESSION_TEST = """
import httpx
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.session import SESSION_KEY, RunSession


def test_the_fixtures_hand_out_the_stashed_session(pytestconfig, caldasa_session, caldasa_config, cleanup):
    assert pytestconfig.stash[SESSION_KEY] is caldasa_session
    assert caldasa_config is caldasa_session.config
    assert cleanup.leftovers is caldasa_session.leftovers
    cleanup.leftover("staff", "s1", "cleanup answered 409 in_use")


def test_session_clients_count_into_the_session(caldasa_session, client_factory):
    api = client_factory(transport=httpx.MockTransport(lambda request: httpx.Response(204)))
    api.get("/tenant")
    assert caldasa_session.requests.requests == 1
"""


def test_the_old_module_globals_are_gone() -> None:
    for module, name in [
        (plugin, "LEFTOVERS"),
        (plugin, "_ACTIVE"),
        (plugin, "active_config"),
        (client, "STATS"),
        (health, "COUNTS"),
        (target, "_current"),
        (target, "current"),
        (target, "bind"),
    ]:
        assert not hasattr(module, name), f"{module.__name__}.{name}"


def test_the_session_is_stashed_under_one_key(pytestconfig: pytest.Config) -> None:
    session = pytestconfig.stash[SESSION_KEY]
    assert isinstance(session, RunSession)
    assert session.leftovers == [] or isinstance(session.leftovers[0], dict)


def test_a_session_s_files_come_from_its_own_object(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin_project(pytester, monkeypatch, SESSION_TEST)
    result = pytester.runpytest_subprocess(
        "--caldasa-base-url", "http://127.0.0.1:9", "--caldasa-report-dir", "out"
    )
    result.assert_outcomes(passed=2)
    run_files = pytester.path / "out" / ".caldasa"
    counts = json.loads((run_files / "requests-main.json").read_text())
    assert counts == {
        "requests": 1,
        "retries_429": 0,
        "timeouts": 0,
        "unparsable_bodies": 0,
        "error_pages": 0,
    }
    leftovers = json.loads((run_files / "leftovers-main.json").read_text())
    assert leftovers == [{"kind": "staff", "id": "s1", "reason": "cleanup answered 409 in_use"}]
    result.stdout.fnmatch_lines(["caldasa: 1 requests sent, 0 retried after 429, 1 leftovers (run tag cc-*)"])

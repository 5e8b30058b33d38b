"""A test's HTTP exchanges in Allure: in full (curl, response) when it fails, a compact list when it passes.

Each case runs pytest in a subprocess with allure-pytest recording, the suite plugin loaded, and a client on a
mock transport whose responses carry a registered secret, which no attachment may show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from caldasa_conformance.exchanges import Exchange
from caldasa_conformance.reporting.attachments import PASSING_LINES, attachments_for

pytest_plugins = ["pytester"]

SECRET = "tok-5f2a9c-attachment-secret"
INNER_TESTS = f"""
import httpx
import pytest

from caldasa_conformance import redaction
from caldasa_conformance.client import make_client
from caldasa_conformance.config import Secret, SuiteConfig
from caldasa_conformance.session import run_session

redaction.register_secret({SECRET!r})


def answer(request):
    return httpx.Response(200, json={{"echo": {SECRET!r}, "path": request.url.path}})


@pytest.fixture
def client(pytestconfig):
    # builds clients as the suites' fixtures do: their exchanges go to the session's running test
    config = SuiteConfig(base_url="http://target.invalid", token=Secret({SECRET!r}))
    exchanges = run_session(pytestconfig).exchanges
    return lambda: make_client(config, transport=httpx.MockTransport(answer), exchanges=exchanges)


def test_passes(client):
    with client() as api:
        api.get("/customers", params={{"page": "2"}})
        api.post("/customers", json={{"name": "Ada"}})


def test_fails(client):
    with client() as api:
        api.get("/customers")
        api.delete("/customers/c-1")
    raise AssertionError("the target broke a rule")


@pytest.fixture
def sends_at_teardown(client):
    yield
    with client() as api:
        api.get("/teardown")


def test_teardown_requests_count(sends_at_teardown):
    pass


@pytest.mark.xfail(strict=True, reason="known failure")
def test_known_failure(client):
    with client() as api:
        api.get("/known")
    raise AssertionError("known")


def test_sends_nothing():
    pass
"""


def _run(pytester: pytest.Pytester, *args: str) -> dict[str, dict[str, Any]]:
    """Run the inner tests; return each test's attachments as {name: text}, by test name."""
    pytester.makeconftest('pytest_plugins = ["caldasa_conformance.plugin"]')
    pytester.makepyfile(test_inner=INNER_TESTS)
    results = pytester.path / "allure-results"
    outcome = pytester.runpytest_subprocess(f"--alluredir={results}", "-p", "no:cacheprovider", *args)
    outcome.assert_outcomes(passed=3, failed=1, xfailed=1)
    attached: dict[str, dict[str, Any]] = {}
    for path in results.glob("*-result.json"):
        result = json.loads(path.read_text(encoding="utf-8"))
        attached[result["name"]] = {
            item["name"]: (results / item["source"]).read_text(encoding="utf-8")
            for item in result.get("attachments", [])
        }
    assert not any(SECRET in text for texts in attached.values() for text in texts.values())
    return attached


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in ("CALDASA_BASE_URL", "CALDASA_TOKEN", "CALDASA_ATTACH", "HYPOTHESIS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def test_a_passing_test_keeps_only_its_request_lines(inner: pytest.Pytester) -> None:
    attached = _run(inner)
    assert attached["test_passes"] == {
        "requests (2)": "GET /customers?page=2 -> 200\nPOST /customers -> 200\n"
    }
    assert attached["test_sends_nothing"] == {}
    # a request sent while the test's fixtures are torn down belongs to the test
    assert attached["test_teardown_requests_count"] == {"requests (1)": "GET /teardown -> 200\n"}


def test_a_failing_test_keeps_every_exchange_in_full_and_redacted(inner: pytest.Pytester) -> None:
    attached = _run(inner)
    failing = attached["test_fails"]
    assert list(failing) == [
        "requests (2)",
        "curl GET /customers -> 200",
        "response GET /customers -> 200",
        "curl DELETE /customers/c-1 -> 200",
        "response DELETE /customers/c-1 -> 200",
    ]
    assert failing["curl DELETE /customers/c-1 -> 200"].startswith("curl -X DELETE")
    assert "authorization: [REDACTED]" in failing["curl GET /customers -> 200"]
    assert '"echo":"[REDACTED]"' in failing["response GET /customers -> 200"]
    assert "content-type" in failing["response GET /customers -> 200"]
    known = attached["test_known_failure"]  # a known failure is a failure of the target: kept in full
    assert set(known) == {"requests (1)", "curl GET /known -> 200", "response GET /known -> 200"}


@pytest.mark.parametrize("how", ["option", "env"])
def test_attach_all_keeps_every_exchange_of_every_test(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "env":
        monkeypatch.setenv("CALDASA_ATTACH", "all")
    attached = _run(inner, *(["--caldasa-attach=all"] if how == "option" else []))
    assert set(attached["test_passes"]) == {
        "requests (2)",
        "curl GET /customers -> 200",
        "response GET /customers -> 200",
        "curl POST /customers -> 200",
        "response POST /customers -> 200",
    }


def test_an_unknown_attach_mode_is_a_usage_error(inner: pytest.Pytester) -> None:
    inner.makeconftest('pytest_plugins = ["caldasa_conformance.plugin"]')
    result = inner.runpytest_subprocess("--caldasa-attach=some")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    expected = "*invalid --caldasa-attach='some' (from cli): expected one of failures, all*"
    result.stderr.fnmatch_lines([expected])


@pytest.mark.parametrize(("argv", "mode"), [(["--attach", "all"], "all"), ([], "failures")])
def test_run_passes_attach_to_pytest(tmp_path: Path, argv: list[str], mode: str) -> None:
    from caldasa_conformance.cli import build_parser
    from caldasa_conformance.runner.options import Tokens, options_from_args
    from caldasa_conformance.runner.session import Target, pytest_environment

    args = build_parser().parse_args(["run", "--report-dir", str(tmp_path), *argv])
    env = pytest_environment(options_from_args(args), Target("http://target.invalid", Tokens("t", None)), {})
    assert env["CALDASA_ATTACH"] == mode


def test_a_passing_test_keeps_the_first_lines_of_a_long_list_and_a_failing_one_all() -> None:
    """A state machine sends thousands of requests: a passing one keeps the first PASSING_LINES lines."""
    many = [Exchange(httpx.Request("GET", f"http://t/x/{i}"), 200, {}, "") for i in range(PASSING_LINES + 7)]
    [(name, text)] = attachments_for(many, full=False)
    assert name == f"requests ({PASSING_LINES + 7})"
    assert text.splitlines()[:2] == ["GET /x/0 -> 200", "GET /x/1 -> 200"]
    assert text.splitlines()[-1].startswith("... and 7 more")
    assert len(text.splitlines()) == PASSING_LINES + 1
    name, text = attachments_for(many, full=True)[0]
    assert len(text.splitlines()) == PASSING_LINES + 7

"""An unwell target is named as such: no answer in time, a JSON body cut short, an HTML error page from a
gateway each raise one typed failure naming the transport cause and the rule it breaks, and are counted."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest

from caldasa_conformance.client import make_client
from caldasa_conformance.config import Secret, SuiteConfig
from caldasa_conformance.failures import GatewayErrorPage, NoAnswerInTime, UnparsableBody
from caldasa_conformance.health import TargetHealth

pytest_plugins = ["pytester"]


def _client(handler, health: TargetHealth | None = None) -> httpx.Client:
    config = SuiteConfig(base_url="http://target.test", token=Secret("t0k3n"), timeout=10.0)
    return make_client(config, transport=httpx.MockTransport(handler), health=health)


def test_no_answer_within_the_timeout_says_which_request_and_the_timeout() -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    health = TargetHealth()
    with _client(hang, health) as client, pytest.raises(NoAnswerInTime) as caught:
        client.get("/availability")
    assert "GET /availability did not answer within 10 s" in str(caught.value)
    assert health.counts == {"timeouts": 1, "unparsable_bodies": 0, "error_pages": 0}
    assert health.first_for_test() is caught.value
    health.start_test()
    assert health.first_for_test() is None


def test_a_json_body_cut_short_is_s1_and_says_where_it_was_cut() -> None:
    body = b'{"items": [{"id": "a"}, {"id": "b'
    with (
        _client(
            lambda r: httpx.Response(200, content=body, headers={"content-type": "application/json"})
        ) as c,
        pytest.raises(UnparsableBody) as caught,
    ):
        c.get("/customers")
    message = str(caught.value)
    assert (
        f"GET /customers answered 200 with a body that is not valid JSON (cut at byte {len(body)})" in message
    )
    assert "Requirement: S1" in message


def test_an_html_error_page_is_s4_and_t6() -> None:
    page = httpx.Response(502, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"})
    with _client(lambda request: page) as client, pytest.raises(GatewayErrorPage) as caught:
        client.get("/bookings")
    message = str(caught.value)
    assert "GET /bookings answered 502 text/html" in message
    assert "Requirement: S4" in message
    assert "Requirement: T6" in message


def test_a_problem_json_server_error_is_left_to_the_oracles() -> None:
    problem = httpx.Response(
        500, json={"status": 500, "title": "boom"}, headers={"content-type": "application/problem+json"}
    )
    with _client(lambda request: problem) as client:
        assert client.get("/customers").status_code == 500  # S4's oracle judges it, with its own message


UNWELL_SUITE = """
import httpx
import pytest

@pytest.fixture
def undo():
    yield
    raise RuntimeError("the undo could not run")

@pytest.mark.schema
@pytest.mark.req("S1")
def test_meets_a_hang(caldasa_session, undo):
    try:
        raise caldasa_session.health.no_answer(httpx.Request("GET", "http://target.test/availability"), 10.0)
    except AssertionError:
        raise KeyError("the model is out of step")  # what followed from the hang
"""


def test_the_unwell_cause_ends_the_test_once_and_a_teardown_error_keeps_its_own_words(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CALDASA_BASE_URL", "CALDASA_TOKEN", "CALDASA_TOKEN_SECONDARY", "HYPOTHESIS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeconftest('pytest_plugins = ["caldasa_conformance.plugin"]')
    pytester.makepyfile(test_unwell=UNWELL_SUITE)
    result = pytester.runpytest_subprocess(
        "--caldasa-base-url=http://127.0.0.1:9", "--caldasa-report-dir=out", "--junitxml=j.xml"
    )
    result.assert_outcomes(failed=1, errors=1)
    junit = ET.parse(pytester.path / "j.xml").getroot()
    failure = next(junit.iter("failure")).get("message", "")
    error = next(junit.iter("error")).get("message", "")
    assert "GET /availability did not answer within 10 s" in failure
    assert "the undo could not run" in error
    assert "did not answer" not in error

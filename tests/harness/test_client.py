"""make_client: auth header, timeout, 429 retries (bounded, counted), curl reproduction, redaction."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance import client as client_module
from caldasa_conformance.client import RequestStats, curl_command, make_client
from caldasa_conformance.config import resolve_config
from caldasa_conformance.failures import RetryAfterMissing
from caldasa_conformance.redaction import MASK, redact, register_secret


def config(**env: str):  # type: ignore[no-untyped-def]
    return resolve_config({"base_url": "http://api.test"}, {"CALDASA_TOKEN": "tok-secret-1", **env}, {})


def test_sends_the_bearer_token_and_counts_requests() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    stats = RequestStats()
    with make_client(config(), transport=httpx.MockTransport(handler), stats=stats) as client:
        client.get("/tenant")
    assert seen[0].headers["Authorization"] == "Bearer tok-secret-1"
    assert str(seen[0].url) == "http://api.test/tenant"
    assert (stats.requests, stats.retries_429) == (1, 0)


def test_unauthenticated_client_sends_no_authorization() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert "Authorization" not in request.headers
        return httpx.Response(401)

    with make_client(config(), transport=httpx.MockTransport(handler), authenticate=False) as client:
        assert client.get("/tenant").status_code == 401


def test_429_is_retried_after_retry_after_and_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module.time, "sleep", lambda seconds: None)
    answers = iter([httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200, json={})])
    stats = RequestStats()
    transport = httpx.MockTransport(lambda request: next(answers))
    with make_client(config(), transport=transport, stats=stats) as client:
        assert client.get("/tenant").status_code == 200
    assert (stats.requests, stats.retries_429) == (2, 1)


def test_429_retries_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module.time, "sleep", lambda seconds: None)
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(429, headers={"Retry-After": "0"})

    with make_client(config(), transport=httpx.MockTransport(handler)) as client:
        assert client.get("/tenant").status_code == 429
    assert len(calls) == client_module.MAX_429_RETRIES + 1


@pytest.mark.parametrize("retry_after", [None, "soon", "1.5", "-1"])
def test_a_429_without_integer_retry_after_fails_as_t5_wherever_it_is_met(retry_after: str | None) -> None:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    transport = httpx.MockTransport(lambda request: httpx.Response(429, headers=headers))
    with make_client(config(), transport=transport) as client, pytest.raises(RetryAfterMissing) as info:
        client.get("/tenant")
    assert info.value.requirement_id == "T5"


def test_a_long_retry_after_is_valid_but_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module.time, "sleep", lambda seconds: pytest.fail("slept"))
    transport = httpx.MockTransport(lambda request: httpx.Response(429, headers={"Retry-After": "3600"}))
    with make_client(config(), transport=transport) as client:
        assert client.get("/tenant").status_code == 429


def test_429_can_be_returned_to_the_caller() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(429, headers={"Retry-After": "0"}))
    with make_client(config(), transport=transport, retry_429=False) as client:
        assert client.get("/tenant").status_code == 429


def test_curl_reproduction_is_redacted() -> None:
    register_secret("tok-secret-1")
    request = httpx.Request(
        "POST",
        "http://api.test/webhooks",
        headers={"Authorization": "Bearer tok-secret-1"},
        json={"secret": "whsec_abcdef123456"},
    )
    command = curl_command(request)
    assert "tok-secret-1" not in command
    assert "whsec_abcdef123456" not in command
    assert command.startswith("curl -X POST")
    assert MASK in command


def test_redact_masks_unregistered_bearer_tokens() -> None:
    assert redact("Authorization: Bearer abc.def.ghi") == f"Authorization: Bearer {MASK}"


def _dropping(drops: int, message: str = "Server disconnected without sending a response."):  # type: ignore[no-untyped-def]
    """A transport whose first `drops` requests end as a kept-alive connection closed before any answer."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if len(sent) <= drops:
            raise httpx.RemoteProtocolError(message, request=request)
        return httpx.Response(200, json={})

    return httpx.MockTransport(handler), sent


def test_a_connection_dropped_before_any_answer_is_sent_again_once() -> None:
    transport, sent = _dropping(1)
    with make_client(config(), transport=transport) as client:
        assert client.patch("/customers/x", json={"name": "a"}).status_code == 200
    assert len(sent) == 2
    assert sent[1].content == sent[0].content


def test_a_second_drop_is_the_targets_and_surfaces() -> None:
    transport, sent = _dropping(2)
    with make_client(config(), transport=transport) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get("/tenant")
    assert len(sent) == 2


def test_other_protocol_errors_are_not_retried() -> None:
    transport, sent = _dropping(1, "illegal header line")
    with make_client(config(), transport=transport) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get("/tenant")
    assert len(sent) == 1


def test_redacting_a_curl_line_inside_json_keeps_the_json_valid() -> None:
    """A failure message holding a curl line is JSON-escaped in summary.json; the mask must not eat the
    backslash that escapes the quote after the token (seen: an invalid summary.json)."""
    import json

    text = json.dumps({"reason": 'curl -H "Authorization: Bearer abc.DEF-123~" http://x'})
    redacted = redact(text)
    assert "abc.DEF-123~" not in redacted
    assert json.loads(redacted)["reason"] == f'curl -H "Authorization: Bearer {MASK}" http://x'

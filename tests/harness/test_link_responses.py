"""Schemathesis' responses handed to our oracles: the body as sent, whatever its content coding."""

from __future__ import annotations

import requests
from schemathesis.core.transport import Response

from caldasa_conformance.workflows.links import to_httpx
from caldasa_reference.server import serve_in_thread
from caldasa_reference.services import ServerConfig

TOKEN = {"Authorization": "Bearer caldasa-demo-token-a"}


def _schemathesis_response(url: str, accept_encoding: str) -> Response:
    """A GET as Schemathesis' transport sends it (requests, which asks for gzip by default)."""
    sent = requests.get(url, headers={**TOKEN, "Accept-Encoding": accept_encoding}, timeout=10)
    return Response.from_requests(sent, verify=True)


def test_gzip_coded_answer_reaches_the_oracles_decoded() -> None:
    """RFC 9110 §8.4: a server may gzip a body the client accepts gzip for; requests has decoded it already,
    so the copy our oracles judge must not claim a coding its bytes no longer have."""
    with serve_in_thread(ServerConfig(variants=frozenset({"gzip"}))) as base_url:
        response = _schemathesis_response(f"{base_url}/customers", "gzip, deflate")
        assert response.headers["content-encoding"] == ["gzip"]  # the variant did code it
        converted = to_httpx(response)
    assert "items" in converted.json()
    assert converted.content == response.content
    assert "content-encoding" not in converted.headers


def test_uncoded_answer_keeps_its_headers() -> None:
    with serve_in_thread(ServerConfig()) as base_url:
        response = _schemathesis_response(f"{base_url}/customers", "identity")
        converted = to_httpx(response)
    assert "items" in converted.json()
    assert converted.headers["content-type"].startswith("application/json")

"""The legal variants of the wire format: how an answer is dressed, encoded and sent (one place for each).

Each function checks its variant switches (`caldasa_reference/variants.py`) and does nothing when they are
off, so the default server is unchanged. They run after the response faults, so a fault behaves the same
with or without a variant.
"""

from __future__ import annotations

import gzip
import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from caldasa_reference.routing import Reply

Variant = Callable[[str], bool]
EXTRA_PROPERTY = ("serverRegion", "eu-central-1")  # camelCase, like every documented property
CHUNK_BYTES = 512


def dress(reply: Reply, request: Request, variant: Variant) -> Reply:
    """Headers and body members the contract leaves open (absolute-location, problem-extensions,
    extra-properties, extra-headers, connection-close)."""
    location = reply.headers.get("Location")
    if location is not None and location.startswith("/") and variant("absolute-location"):
        reply.headers["Location"] = f"{request.url.scheme}://{request.url.netloc}{location}"
    body = reply.body
    is_problem = reply.media_type == "application/problem+json" and isinstance(body, dict)
    if is_problem and variant("problem-extensions"):
        # RFC 9457 §3.1.5: `instance` identifies this occurrence; the path exactly as the client sent it.
        body["instance"] = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        body["traceId"] = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"  # ASP.NET Core's form
        body["method"] = request.method  # an extension member of its own
    if 200 <= reply.status < 300 and reply.media_type == "application/json" and variant("extra-properties"):
        _add_property(body)
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            for item in body["items"]:
                _add_property(item)
    if variant("extra-headers"):
        reply.headers.setdefault("X-Request-Id", str(uuid.uuid4()))
        reply.headers.setdefault("Cache-Control", "no-store")
        reply.headers.setdefault("RateLimit-Limit", "1000")
        reply.headers.setdefault("RateLimit-Remaining", "999")
        reply.headers.setdefault("RateLimit-Reset", "60")
    if variant("connection-close"):
        reply.headers["Connection"] = "close"  # uvicorn closes the connection after this answer
    return reply


def _add_property(value: Any) -> None:
    if isinstance(value, dict):
        value.setdefault(*EXTRA_PROPERTY)


def encode(body: Any, variant: Variant) -> bytes:
    """The JSON text of ``body``: compact, or indented with sorted keys (json-pretty)."""
    if variant("json-pretty"):
        text = json.dumps(body, ensure_ascii=False, allow_nan=False, indent=2, sort_keys=True)
    else:
        text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def media_type(declared: str, variant: Variant) -> str:
    """``declared`` with ``; charset=utf-8`` on JSON media types under json-charset."""
    if declared.endswith("json") and variant("json-charset"):
        return f"{declared}; charset=utf-8"
    return declared


def send(response: Response, request: Request, variant: Variant) -> Response:
    """The answer as sent: gzip-coded when the client accepts it (gzip), streamed without a Content-Length
    (chunked). Only answers with a body: a 204 or 304 never has one, not even an empty gzip stream."""
    body = bytes(getattr(response, "body", b""))
    if not body:
        return response
    zipped, chunked = variant("gzip") and _accepts_gzip(request), variant("chunked")
    if not zipped and not chunked:
        return response
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    if zipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
    if chunked:
        return StreamingResponse(_chunks(body), response.status_code, headers)
    return Response(body, response.status_code, headers)


def _accepts_gzip(request: Request) -> bool:
    """RFC 9110 §12.5.3: `gzip` listed in Accept-Encoding with a weight above 0."""
    for coding in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, weight = coding.strip().partition(";")
        if name.strip() in ("gzip", "x-gzip", "*") and weight.replace(" ", "") not in (
            "q=0",
            "q=0.0",
            "q=0.00",
            "q=0.000",
        ):
            return True
    return False


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), CHUNK_BYTES):
        yield body[start : start + CHUNK_BYTES]

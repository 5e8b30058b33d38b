"""HTTP clients for the suites: `make_client(config, *, transport=None) -> httpx.Client`.

The client adds the bearer token, a per-request timeout, an optional request-rate cap, honours `429` with
`Retry-After` through bounded retries (counted, so reports can show them), counts every request sent, and
attaches request, response and a reproducing curl command to Allure when Allure is recording. Everything
attached is redacted.
"""

from __future__ import annotations

import json
import shlex
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from caldasa_conformance.failures import RetryAfterMissing
from caldasa_conformance.redaction import redact, redact_headers

if TYPE_CHECKING:
    from caldasa_conformance.config import SuiteConfig

MAX_429_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 10.0
USER_AGENT = "caldasa-conformance"


@dataclass
class RequestStats:
    """Counters shared by every client of this process (one xdist worker)."""

    requests: int = 0
    retries_429: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, *, retry: bool = False) -> None:
        with self.lock:
            self.requests += 1
            self.retries_429 += int(retry)


STATS = RequestStats()


class _Throttle:
    """Spaces requests so that at most `max_rps` start per second."""

    def __init__(self, max_rps: float | None) -> None:
        self._interval = 1.0 / max_rps if max_rps else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self._interval
        if delay > 0:
            time.sleep(delay)


def retry_after_seconds(response: httpx.Response) -> int | None:
    """The `Retry-After` of a 429 as delta-seconds (what T5 asks for), or None when missing or malformed."""
    value = response.headers.get("Retry-After", "").strip()
    return int(value) if value.isdigit() else None


class SuiteTransport(httpx.BaseTransport):
    """Wraps a transport: throttles, counts, and retries a 429 after its `Retry-After` (bounded)."""

    def __init__(self, inner: httpx.BaseTransport, *, max_rps: float | None, retry_429: bool) -> None:
        self._inner = inner
        self._throttle = _Throttle(max_rps)
        self._retry_429 = retry_429

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            self._throttle.wait()
            STATS.count(retry=attempt > 0)
            response = self._inner.handle_request(request)
            if response.status_code != 429 or not self._retry_429:
                return response
            delay = retry_after_seconds(response)
            if delay is None:  # any test may meet a 429; the failure names T5, not the test's own rule
                response.read()
                response.close()  # back to the pool: the test's cleanup still needs connections
                raise RetryAfterMissing(
                    repr(response.headers.get("Retry-After")), "Retry-After: <integer seconds>"
                )
            if delay > MAX_RETRY_AFTER_SECONDS or attempt >= MAX_429_RETRIES:
                return response
            response.read()
            response.close()
            attempt += 1
            time.sleep(delay)

    def close(self) -> None:
        self._inner.close()


def curl_command(request: httpx.Request) -> str:
    """A redacted curl command that reproduces `request`."""
    parts = ["curl", "-X", request.method]
    for name, value in redact_headers(dict(request.headers)).items():
        if name.lower() not in ("host", "content-length", "accept-encoding", "connection", "user-agent"):
            parts += ["-H", f"{name}: {value}"]
    body = request.content.decode("utf-8", "replace") if request.content else ""
    if body:
        parts += ["-d", redact(body)]
    parts.append(redact(str(request.url)))
    return " ".join(shlex.quote(part) for part in parts)


def _allure_active() -> bool:
    try:
        from allure_commons import plugin_manager
    except ImportError:  # pragma: no cover - allure is a dependency, but stay harmless without it
        return False
    return bool(plugin_manager.get_plugins())


def _attach_exchange(response: httpx.Response) -> None:
    if not _allure_active():
        return
    import allure

    response.read()
    request = response.request
    label = f"{request.method} {request.url.path} -> {response.status_code}"
    allure.attach(curl_command(request), name=f"curl {label}", attachment_type=allure.attachment_type.TEXT)
    headers = json.dumps(redact_headers(dict(response.headers)), indent=2)
    allure.attach(
        redact(f"{headers}\n\n{response.text}"),
        name=f"response {label}",
        attachment_type=allure.attachment_type.TEXT,
    )


def make_client(
    config: SuiteConfig,
    *,
    transport: httpx.BaseTransport | None = None,
    token: str | None = None,
    authenticate: bool = True,
    retry_429: bool = True,
) -> httpx.Client:
    """Build the client the suites use against `config.base_url`.

    Args:
        config: the run's configuration (base URL, timeout, max_rps, primary token).
        transport: a transport to use instead of the network (MockTransport in self-tests).
        token: a token to send instead of the configured primary one (the secondary tenant, or a bad token).
        authenticate: False sends no Authorization header at all.
        retry_429: False returns 429s to the caller (the T5 test needs to see them).
    """
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/problem+json"}
    bearer = token if token is not None else (config.token.value if config.token else None)
    if authenticate and bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    inner = transport if transport is not None else httpx.HTTPTransport()
    return httpx.Client(
        base_url=config.base_url or "http://caldasa.invalid",
        headers=headers,
        timeout=config.timeout,
        transport=SuiteTransport(inner, max_rps=config.max_rps, retry_429=retry_429),
        event_hooks={"response": [_attach_exchange]},
        follow_redirects=False,
    )

"""HTTP clients for the suites: `make_client(config, *, transport=None) -> httpx.Client`.

The client adds the bearer token, a per-request timeout, an optional request-rate cap, honours `429` with
`Retry-After` through bounded retries (counted, so reports can show them), counts every request sent, and
attaches request, response and a reproducing curl command to Allure when Allure is recording. Everything
attached is redacted.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from caldasa_conformance.exchanges import TestExchanges, exchange_of
from caldasa_conformance.failures import RetryAfterMissing
from caldasa_conformance.health import TargetHealth
from caldasa_conformance.redaction import redact, redact_headers

if TYPE_CHECKING:
    from caldasa_conformance.config import SuiteConfig

MAX_429_RETRIES = 3
MAX_RETRY_AFTER_SECONDS = 10.0
USER_AGENT = "caldasa-conformance"


@dataclass
class RequestStats:
    """Counters shared by every client of one session (one xdist worker), given to each at construction."""

    requests: int = 0
    retries_429: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, *, retry: bool = False) -> None:
        with self.lock:
            self.requests += 1
            self.retries_429 += int(retry)


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

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        max_rps: float | None,
        retry_429: bool,
        stats: RequestStats,
        health: TargetHealth,
    ) -> None:
        self._inner = inner
        self._throttle = _Throttle(max_rps)
        self._retry_429 = retry_429
        self._stats = stats
        self._health = health

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            self._throttle.wait()
            self._stats.count(retry=attempt > 0)
            response = _answer(self._inner, request, self._health)
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


# What h11 says when a kept-alive connection was closed by the server before any byte of an answer came.
_DROPPED_BEFORE_ANSWER = "Server disconnected without sending a response"


def _answer(transport: httpx.BaseTransport, request: httpx.Request, health: TargetHealth) -> httpx.Response:
    """The answer to `request`; no answer within the timeout is the target unwell.

    A kept-alive connection that the server closes as idle just as we reuse it (the keep-alive race, more
    likely the longer a busy worker leaves its connections idle) ends without a byte of an answer: the
    request is sent once more, on a new connection, as Schemathesis' own transport does. A second drop is
    the target's and surfaces as before.
    """
    try:
        try:
            return transport.handle_request(request)
        except httpx.RemoteProtocolError as error:
            if _DROPPED_BEFORE_ANSWER not in str(error):
                raise
            return transport.handle_request(request)
    except httpx.TimeoutException:
        raise health.no_answer(request, _read_timeout(request)) from None


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout", {}).get("read")
    return float(timeout) if timeout is not None else None


def _judge_health(health: TargetHealth, response: httpx.Response) -> None:
    """The first response hook: the whole body, judged (a body that stops short is the target unwell)."""
    try:
        response.read()
    except httpx.TimeoutException:
        raise health.no_answer(response.request, _read_timeout(response.request)) from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as error:
        raise health.broken_answer(response.request, error) from None
    health.judge(response.request, response)


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


def _attach_exchange(exchanges: TestExchanges | None, response: httpx.Response) -> None:
    """Hand the exchange to the running test, which attaches it when it ends (in full only if it fails,
    see `reporting.attachments`); outside a test (or a session), attach it in full at once."""
    if not _allure_active():
        return
    exchange = exchange_of(response)
    if exchanges is None or not exchanges.record(exchange):
        from caldasa_conformance.reporting import attachments

        attachments.attach(attachments.curl_and_response(exchange))


CREATED_LOG_GLOB = "created-*.jsonl"


def created_log_path(report_dir: Path) -> Path:
    """This process's record of what the run created (one JSON line per entity, written as it happens, so an
    interrupted run still has it). `caldasa-conformance cleanup --from-report` removes exactly these."""
    return report_dir / ".caldasa" / f"created-{os.getpid()}.jsonl"


def log_created(config: SuiteConfig, tenant: str, response: httpx.Response) -> None:
    """Record the entity a 201 created as `{"tenant", "path"}`, the path relative to the base URL.

    The path is the `Location` the server named, or else the request path plus the body's `id` (a server
    that forgets `Location` still gets its entity back).
    """
    if response.status_code != 201 or response.request.method != "POST":
        return
    path = urlsplit(response.headers.get("Location", "")).path or _path_from_body(response)
    if not path:
        return
    base_path = urlsplit(config.base_url or "").path.rstrip("/")
    relative = path[len(base_path) :] if base_path and path.startswith(base_path + "/") else path
    log = created_log_path(config.report_dir)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"tenant": tenant, "path": relative}) + "\n")


def _path_from_body(response: httpx.Response) -> str:
    response.read()
    try:
        body = response.json()
    except ValueError:
        return ""
    entity_id = body.get("id") if isinstance(body, dict) else None
    return f"{response.request.url.path.rstrip('/')}/{entity_id}" if isinstance(entity_id, str) else ""


def make_client(
    config: SuiteConfig,
    *,
    transport: httpx.BaseTransport | None = None,
    token: str | None = None,
    authenticate: bool = True,
    retry_429: bool = True,
    record_created: bool = False,
    stats: RequestStats | None = None,
    health: TargetHealth | None = None,
    exchanges: TestExchanges | None = None,
) -> httpx.Client:
    """Build the client the suites use against `config.base_url`.

    Args:
        config: the run's configuration (base URL, timeout, max_rps, primary token).
        transport: a transport to use instead of the network (MockTransport in self-tests).
        token: a token to send instead of the configured primary one (the secondary tenant, or a bad token).
        authenticate: False sends no Authorization header at all.
        retry_429: False returns 429s to the caller (the T5 test needs to see them).
        record_created: append every entity a 201 names to the run's record (see `created_log_path`).
        stats: the session's request counters (the suites pass `RunSession.requests`); else counted apart.
        health: the session's `TargetHealth` (`RunSession.health`); else judged and counted apart.
        exchanges: the session's recording of the running test's exchanges (`RunSession.exchanges`), which
            its Allure result gets; else each exchange is attached at once (when Allure runs).
    """
    health = health if health is not None else TargetHealth()
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/problem+json"}
    bearer = token if token is not None else (config.token.value if config.token else None)
    if authenticate and bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    inner = transport if transport is not None else httpx.HTTPTransport()
    hooks: list[Callable[[httpx.Response], None]] = [
        functools.partial(_judge_health, health),
        functools.partial(_attach_exchange, exchanges),
    ]
    if record_created and authenticate and bearer is not None:
        secondary = config.token_secondary is not None and bearer == config.token_secondary.value
        hooks.append(functools.partial(log_created, config, "secondary" if secondary else "primary"))
    return httpx.Client(
        base_url=config.base_url or "http://caldasa.invalid",
        headers=headers,
        timeout=config.timeout,
        transport=SuiteTransport(
            inner,
            max_rps=config.max_rps,
            retry_429=retry_429,
            stats=stats if stats is not None else RequestStats(),
            health=health,
        ),
        event_hooks={"response": hooks},
        follow_redirects=False,
    )

"""pytest plugin: a test's HTTP exchanges, kept in memory while it runs and attached to Allure when it ends.

Whether a test fails is known only at its end, after its requests were sent, so the client's response hook
(`client._attach_exchange`) hands each exchange to `record` and this plugin attaches them at the end of the
test (after its teardown report, while allure-pytest still holds the test's result open):

* every test that sent requests gets one compact text attachment, `requests`: `METHOD path -> status` a line;
* a failing test (failed in any phase, or a known failure) also gets each exchange in full: a reproducing
  curl command and the response (headers and body);
* `--caldasa-attach all` (`caldasa-conformance run --attach all`) gives every test the full exchanges.

Everything attached is redacted. An exchange seen while no test runs is attached at once, in full.
Registered by `caldasa_conformance.plugin`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from caldasa_conformance.client import curl_command
from caldasa_conformance.redaction import redact, redact_headers
from caldasa_conformance.session import run_session

FULL_ALWAYS = "all"


@dataclass(frozen=True)
class Exchange:
    """One request and its response, unredacted: it is redacted when (if ever) it is attached."""

    request: httpx.Request
    status: int
    headers: dict[str, str]
    text: str

    @property
    def line(self) -> str:
        """`METHOD path?query -> status`."""
        target = self.request.url.raw_path.decode("ascii", "replace")
        return f"{self.request.method} {target} -> {self.status}"

    @property
    def label(self) -> str:
        """The name part of the full attachments (path without query, as before)."""
        return f"{self.request.method} {self.request.url.path} -> {self.status}"


@dataclass
class _Recording:
    """The exchanges of the running test, and whether one of its phases failed."""

    nodeid: str
    full_always: bool = False  # `--caldasa-attach all`
    exchanges: list[Exchange] = field(default_factory=list)
    failed: bool = False


_LOCK = threading.Lock()  # concurrency tests send from several threads
_CURRENT: list[_Recording] = []  # the running test (at most one per process)


def exchange_of(response: httpx.Response) -> Exchange:
    """Capture `response` (read) and its request."""
    response.read()
    return Exchange(response.request, response.status_code, dict(response.headers), response.text)


def record(exchange: Exchange) -> bool:
    """Keep `exchange` for the running test; False when no test is running (the caller attaches it)."""
    with _LOCK:
        if not _CURRENT:
            return False
        _CURRENT[-1].exchanges.append(exchange)
    return True


def curl_and_response(exchange: Exchange) -> list[tuple[str, str]]:
    """The full attachments of one exchange, (name, redacted text): its curl command and its response."""
    headers = json.dumps(redact_headers(exchange.headers), indent=2)
    return [
        (f"curl {exchange.label}", curl_command(exchange.request)),
        (f"response {exchange.label}", redact(f"{headers}\n\n{exchange.text}")),
    ]


def compact(exchanges: list[Exchange]) -> str:
    """The compact attachment: one redacted request line per exchange."""
    return redact("\n".join(exchange.line for exchange in exchanges) + "\n")


def attachments_for(exchanges: list[Exchange], *, full: bool) -> list[tuple[str, str]]:
    """(name, text) that a test with `exchanges` gets: the compact list, and the full ones if `full`."""
    if not exchanges:
        return []
    attached = [(f"requests ({len(exchanges)})", compact(exchanges))]
    if full:
        attached += [pair for exchange in exchanges for pair in curl_and_response(exchange)]
    return attached


def attach(attached: list[tuple[str, str]]) -> None:
    """Attach (name, text) pairs as plain text to the open Allure test (or step)."""
    import allure

    for name, text in attached:
        allure.attach(text, name=name, attachment_type=allure.attachment_type.TEXT)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A test starts (before its set-up): record its exchanges from now on."""
    session = run_session(item.config)  # `failures` when the suite plugin is not set up
    full_always = session is not None and session.config.attach == FULL_ALWAYS
    with _LOCK:
        _CURRENT[:] = [_Recording(item.nodeid, full_always)]
    yield


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Note a failing phase (or a known failure); after the teardown, attach what the test keeps.

    This is the last moment the test's Allure result is open: allure-pytest writes it at
    `pytest_runtest_logfinish`.
    """
    known_failure = report.skipped and hasattr(report, "wasxfail")
    with _LOCK:
        recording = _CURRENT[-1] if _CURRENT and _CURRENT[-1].nodeid == report.nodeid else None
        if recording is None:
            return
        recording.failed = recording.failed or report.failed or known_failure
        if report.when != "teardown":
            return
        _CURRENT.clear()
    full = recording.failed or recording.full_always
    attach(attachments_for(recording.exchanges, full=full))

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
from typing import Any

import pytest

from caldasa_conformance.client import curl_command
from caldasa_conformance.exchanges import Exchange
from caldasa_conformance.redaction import redact, redact_headers
from caldasa_conformance.session import run_session

FULL_ALWAYS = "all"


def curl_and_response(exchange: Exchange) -> list[tuple[str, str]]:
    """The full attachments of one exchange, (name, redacted text): its curl command and its response."""
    headers = json.dumps(redact_headers(exchange.headers), indent=2)
    return [
        (f"curl {exchange.label}", curl_command(exchange.request)),
        (f"response {exchange.label}", redact(f"{headers}\n\n{exchange.text}")),
    ]


# A passing test's list of requests stops here: a state machine sends thousands, which a single-file report
# would carry for every run of its history, and nobody reads them for a test that passed.
PASSING_LINES = 40


def compact(exchanges: list[Exchange], *, limit: int | None = None) -> str:
    """The compact attachment: one redacted request line per exchange (the first `limit` of them)."""
    lines = [exchange.line for exchange in exchanges[:limit]]
    if limit is not None and len(exchanges) > limit:
        lines.append(f"... and {len(exchanges) - limit} more (--attach all keeps every request of a test)")
    return redact("\n".join(lines) + "\n")


def attachments_for(exchanges: list[Exchange], *, full: bool) -> list[tuple[str, str]]:
    """(name, text) that a test with `exchanges` gets: the compact list (all of it when `full`, else its
    first `PASSING_LINES`), and with `full` each exchange in full."""
    if not exchanges:
        return []
    attached = [(f"requests ({len(exchanges)})", compact(exchanges, limit=None if full else PASSING_LINES))]
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
    session = run_session(item.config)  # None when the suite plugin is not set up
    if session is not None:
        session.exchanges.begin(item.nodeid, full_always=session.config.attach == FULL_ALWAYS)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Note a failing phase (or a known failure); after the teardown, attach what the test keeps.

    The test's Allure result is still open here: allure-pytest writes it at `pytest_runtest_logfinish`.
    """
    outcome = yield
    session = run_session(item.config)
    if session is None:
        return
    report: pytest.TestReport = outcome.get_result()
    known_failure = report.skipped and hasattr(report, "wasxfail")
    failed = report.failed or known_failure
    recording = session.exchanges.note_phase(item.nodeid, failed=failed, last=report.when == "teardown")
    if recording is not None:
        attach(attachments_for(recording.exchanges, full=recording.failed or recording.full_always))

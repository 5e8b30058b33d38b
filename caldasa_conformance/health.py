"""The target's health as the suite meets it: timeouts, bodies cut short, HTML error pages.

Every request of the suite goes through `client.SuiteTransport`, which calls `judge` on what came back (or
did not), the Schemathesis cases and the link-driven machine's steps included. An unwell answer raises a
`TargetUnwell` failure at once, counted in the session's `TargetHealth` (each client is given it at
construction) and remembered for the running test, so that the test ends with that cause even when
Hypothesis' replay cannot reproduce it (`first_for_test`). The runner sums the counts into summary.md's
"target health" line.
"""

from __future__ import annotations

import json
import threading

import httpx

from caldasa_conformance.failures import GatewayErrorPage, NoAnswerInTime, TargetUnwell, UnparsableBody

_KIND = {NoAnswerInTime: "timeouts", UnparsableBody: "unparsable_bodies", GatewayErrorPage: "error_pages"}


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


class TargetHealth:
    """The unwell answers one session met: counted by kind, and remembered for the running test.

    Clients of several threads (races, webhook receivers) report here, so it is locked.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts = dict.fromkeys(_KIND.values(), 0)
        self._seen_in_test: list[TargetUnwell] = []

    def no_answer(self, request: httpx.Request, timeout: float | None) -> TargetUnwell:
        limit = f"{timeout:g} s" if timeout else "the timeout"
        return self._seen(
            _titled(NoAnswerInTime, f"{_where(request)} did not answer within {limit}", "an answer in time")
        )

    def broken_answer(self, request: httpx.Request, error: Exception) -> TargetUnwell:
        return self._seen(
            _titled(
                UnparsableBody,
                f"{_where(request)}: the connection broke mid-answer ({error})",
                "a complete answer",
            )
        )

    def judge(self, request: httpx.Request, response: httpx.Response) -> None:
        """Raise a `TargetUnwell` when `response` (already read) is a gateway page or cut-short JSON."""
        unwell = _unwell(request, response)
        if unwell is not None:
            raise self._seen(unwell)

    def _seen(self, failure: TargetUnwell) -> TargetUnwell:
        with self._lock:
            self.counts[_KIND[type(failure)]] += 1
            self._seen_in_test.append(failure)
        return failure

    def start_test(self) -> None:
        with self._lock:
            self._seen_in_test.clear()

    def first_for_test(self) -> TargetUnwell | None:
        """The first unwell answer the running test met, if any."""
        with self._lock:
            return self._seen_in_test[0] if self._seen_in_test else None


def _unwell(request: httpx.Request, response: httpx.Response) -> TargetUnwell | None:
    """The failure a gateway page or a cut-short JSON body is, or None for an API answer."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    where = _where(request)
    if response.status_code >= 500 and not kind.endswith("json"):
        return _titled(
            GatewayErrorPage,
            f"{where} answered {response.status_code} {kind or 'without a content type'}",
            "an API answer (application/problem+json)",
        )
    if kind.endswith("json") and response.content:
        try:
            json.loads(response.content)
        except ValueError as error:
            cut = f" (cut at byte {len(response.content)})" if isinstance(error, json.JSONDecodeError) else ""
            return _titled(
                UnparsableBody,
                f"{where} answered {response.status_code} with a body that is not valid JSON{cut}",
                "a complete JSON document",
            )
    return None


def _titled(kind: type[TargetUnwell], what: str, expected: str) -> TargetUnwell:
    """The failure, its first line saying what happened (the line a report shows), its kind in `Received`."""
    return kind(f"{kind.title}: {what}", expected, title=what)

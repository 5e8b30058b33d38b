"""The target's health as the suite meets it: timeouts, bodies cut short, HTML error pages.

Every request of the suite goes through `client.SuiteTransport`, which calls `judge` on what came back (or
did not). An unwell answer raises a `TargetUnwell` failure at once, counted here per process and remembered
for the running test, so that the test ends with that cause even when Hypothesis' replay cannot reproduce
it (`first_for_test`). The runner sums the counts into summary.md's "target health" line.
"""

from __future__ import annotations

import json
import threading

import httpx

from caldasa_conformance.failures import GatewayErrorPage, NoAnswerInTime, TargetUnwell, UnparsableBody

_lock = threading.Lock()
COUNTS = {"timeouts": 0, "unparsable_bodies": 0, "error_pages": 0}
_KIND = {NoAnswerInTime: "timeouts", UnparsableBody: "unparsable_bodies", GatewayErrorPage: "error_pages"}
_seen_in_test: list[TargetUnwell] = []


def _where(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path}"


def no_answer(request: httpx.Request, timeout: float | None) -> TargetUnwell:
    limit = f"{timeout:g} s" if timeout else "the timeout"
    return _seen(
        _titled(NoAnswerInTime, f"{_where(request)} did not answer within {limit}", "an answer in time")
    )


def broken_answer(request: httpx.Request, error: Exception) -> TargetUnwell:
    return _seen(
        _titled(
            UnparsableBody,
            f"{_where(request)}: the connection broke mid-answer ({error})",
            "a complete answer",
        )
    )


def judge(request: httpx.Request, response: httpx.Response) -> None:
    """Raise a `TargetUnwell` when `response` (already read) is a gateway page or cut-short JSON."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    where = _where(request)
    if response.status_code >= 500 and not kind.endswith("json"):
        raise _seen(
            _titled(
                GatewayErrorPage,
                f"{where} answered {response.status_code} {kind or 'without a content type'}",
                "an API answer (application/problem+json)",
            )
        )
    if kind.endswith("json") and response.content:
        try:
            json.loads(response.content)
        except ValueError as error:
            cut = f" (cut at byte {len(response.content)})" if isinstance(error, json.JSONDecodeError) else ""
            raise _seen(
                _titled(
                    UnparsableBody,
                    f"{where} answered {response.status_code} with a body that is not valid JSON{cut}",
                    "a complete JSON document",
                )
            ) from None


def _titled(kind: type[TargetUnwell], what: str, expected: str) -> TargetUnwell:
    """The failure, its first line saying what happened (the line a report shows), its kind in `Received`."""
    return kind(f"{kind.title}: {what}", expected, title=what)


def _seen(failure: TargetUnwell) -> TargetUnwell:
    with _lock:
        COUNTS[_KIND[type(failure)]] += 1
        _seen_in_test.append(failure)
    return failure


def start_test() -> None:
    with _lock:
        _seen_in_test.clear()


def first_for_test() -> TargetUnwell | None:
    """The first unwell answer the running test met, if any."""
    with _lock:
        return _seen_in_test[0] if _seen_in_test else None

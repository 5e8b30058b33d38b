"""Schemathesis' link-driven state machine with our oracles, as an extra exploratory layer.

`link_machine(schema, …, target)` returns a subclass of `schema.as_state_machine()` that sends with the
target's token, runs at its budget, judges every response with the harness oracles (typed failures naming the
requirement) and then with Schemathesis' own checks, including the stateful `use_after_free` — which only
works because `after_call` calls `super().after_call(...)` (schemathesis-notes gotcha 0.5: without it the
recorder is skipped silently).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import requests
from hypothesis import Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.checks import ignored_auth, positive_data_acceptance
from schemathesis.core.transport import Response

from caldasa_conformance.budget import budget_named
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support.st import SEMANTIC_400_OPERATIONS, operation_id, send
from caldasa_conformance.workflows.target import Target

# Headers that describe the bytes on the wire, not the decoded body Schemathesis hands over.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length"})


def to_httpx(response: Any) -> httpx.Response:
    """A Schemathesis response as an `httpx.Response`, the type our oracles judge.

    Schemathesis' transport (requests) asks for gzip and has already decoded a coded body (RFC 9110 §8.4),
    so the coding and the wire length are left out: httpx would otherwise decode the decoded bytes again.
    """
    headers = [
        (name, value)
        for name, values in response.headers.items()
        if name.lower() not in _WIRE_HEADERS
        for value in values
    ]
    prepared = response.request
    request = httpx.Request(prepared.method, prepared.url, headers=dict(prepared.headers))
    return httpx.Response(response.status_code, headers=headers, content=response.content, request=request)


def from_httpx(response: httpx.Response) -> Response:
    """An httpx response as the Schemathesis response its machine and checks read (Schemathesis' own
    `Response.from_httpx` prepares the request with the query twice: once in the URL, once as params)."""
    request = requests.Request(
        method=response.request.method,
        url=str(response.request.url),
        headers=dict(response.request.headers),
        data=response.request.content,
    ).prepare()
    return Response(
        status_code=response.status_code,
        headers={key: response.headers.get_list(key) for key in response.headers},
        content=response.content,
        request=request,
        elapsed=response.elapsed.total_seconds(),
        message=response.reason_phrase,
        encoding=response.encoding,
        http_version=response.http_version,
        verify=True,
    )


def link_settings(budget: str) -> settings:
    """The link machine's settings under `budget` (Schemathesis' defaults: 6 steps, no shrinking)."""
    figures = budget_named(budget)
    return settings(
        max_examples=figures.link_scenarios,
        stateful_step_count=figures.link_steps,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
    )


@functools.cache
def kept_alive_session() -> requests.Session:
    """This process's session for the few requests Schemathesis' own checks send again themselves (the steps
    go through the target's client): without one, `case.call()` opens a connection for each."""
    return requests.Session()


def link_machine(
    schema: Any,
    oracle_ctx: Callable[[], OracleContext],
    on_response: Callable[[httpx.Response], None] | None,
    target: Target,
) -> type:
    """Build the machine class for `schema` (loaded by the suite with the run's config).

    Args:
        schema: a Schemathesis OpenAPI schema with its base URL set.
        oracle_ctx: returns the oracle context (the contract) when the first response arrives.
        on_response: called with every response (the suite registers created entities for cleanup).
        target: whose client sends every step (counted, paced by --max-rps, judged for health, kept alive,
            attached to the report, like every other test's requests) and at whose budget it runs.
    """
    base: Any = schema.as_state_machine()

    class LinkDrivenWorkflows(base):  # type: ignore[misc,valid-type]
        first_failure: BaseException | None = None

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            """What Schemathesis' own checks send with, when one re-sends (use_after_free's GET)."""
            token = target.client.headers.get("Authorization", "")
            return {"headers": {"Authorization": token}, "session": kept_alive_session()}

        def call(self, case: Any, **kwargs: Any) -> Any:
            """Send through the target's client, like every other test: counted, paced by --max-rps, judged
            for health, kept alive and attached to the report; no answer in time is what a replay may not
            meet again, so it is remembered."""
            with _remembered(LinkDrivenWorkflows):
                return from_httpx(send(target.client, case))

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)  # REQUIRED: records the step for use_after_free (gotcha 0.5)
            if on_response is not None:
                on_response(to_httpx(response))

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            operation = operation_id(case)
            exchanged = to_httpx(response)
            with _remembered(LinkDrivenWorkflows):
                run_oracles(oracle_ctx(), exchanged, Exchange(operation, authenticated=True))
                case.validate_response(
                    response,
                    additional_checks=additional_checks,
                    excluded_checks=_excluded_checks(operation),
                    transport_kwargs=kwargs or None,
                    recorder=self.recorder,
                )

    _report_first_failure(LinkDrivenWorkflows, link_settings(target.budget))
    return LinkDrivenWorkflows


@contextmanager
def _remembered(machine: Any) -> Iterator[None]:
    """Keep the first failure a step of `machine` raises, for `_report_first_failure`."""
    try:
        yield
    except Exception as failure:
        machine.first_failure = machine.first_failure or failure
        raise


def _excluded_checks(operation: str) -> list[Any]:
    """Schemathesis' checks the machine leaves out for `operation`.

    T2 is the auth class's, whose probes go through the suite's client (judged for health, counted, kept
    alive); `ignored_auth` would send its own, outside it, proving the same again. A schema-valid input may
    still get a semantic 400 from some operations (`SEMANTIC_400_OPERATIONS`).
    """
    excluded = [ignored_auth]
    if operation in SEMANTIC_400_OPERATIONS:
        excluded.append(positive_data_acceptance)
    return excluded


def _report_first_failure(machine: Any, chosen: settings) -> None:
    """Give `machine`'s TestCase its settings and a runTest that reports the failure that was actually seen,
    not an error of Hypothesis' final replay.

    A live target's data drifts between runs, so replaying a failure can diverge (`FlakyStrategyDefinition`),
    and printing the failing steps trips over Schemathesis' step naming (an `assert` in Hypothesis'
    `_last_names`); either would hide the real finding.
    """
    test_case: Any = machine.TestCase
    test_case.settings = chosen
    run_test = test_case.runTest

    def run_reporting_first_failure(self: Any) -> None:
        machine.first_failure = None
        try:
            run_test(self)
        except Exception as error:
            seen = machine.first_failure
            if seen is not None and error is not seen:
                raise seen from error
            if seen is None and isinstance(error, FlakyStrategyDefinition):
                return  # nothing failed; the shared tenant's data changed the available rules
            raise

    test_case.runTest = run_reporting_first_failure

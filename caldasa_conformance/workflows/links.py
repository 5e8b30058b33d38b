"""Schemathesis' link-driven state machine with our oracles, as an extra exploratory layer.

`link_machine(schema)` returns a subclass of `schema.as_state_machine()` that sends with the bound target's
token, judges every response with the harness oracles (typed failures naming the requirement) and then with
Schemathesis' own checks, including the stateful `use_after_free` — which only works because `after_call`
calls `super().after_call(...)` (schemathesis-notes gotcha 0.5: without it the recorder is skipped silently).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import httpx
import requests
from hypothesis import Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.checks import positive_data_acceptance

from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support.st import SEMANTIC_400_OPERATIONS, operation_id
from caldasa_conformance.workflows import target as target_module

# budget -> (scenarios, steps per scenario); Schemathesis' own defaults are 6 steps and no shrinking
LINK_BUDGETS = {"smoke": (5, 5), "default": (15, 6), "deep": (100, 10)}


def to_httpx(response: Any) -> httpx.Response:
    """A Schemathesis response as an `httpx.Response`, the type our oracles judge."""
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    prepared = response.request
    request = httpx.Request(prepared.method, prepared.url, headers=dict(prepared.headers))
    return httpx.Response(response.status_code, headers=headers, content=response.content, request=request)


@functools.cache
def kept_alive_session() -> requests.Session:
    """This process's session for the machine's requests. Without one Schemathesis opens and closes a
    connection for every step (`case.call()` makes a session per call): a TCP and TLS handshake, several
    round trips, before each request to a remote target. Steps run one at a time, so one session serves."""
    return requests.Session()


class _BudgetLinkSettings:
    def __get__(self, instance: Any, owner: type | None = None) -> settings:
        try:
            budget = target_module.current().budget
        except RuntimeError:
            budget = "default"
        scenarios, steps = LINK_BUDGETS.get(budget, LINK_BUDGETS["default"])
        return settings(
            max_examples=scenarios,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            report_multiple_bugs=False,
        )


def link_machine(
    schema: Any,
    oracle_ctx: Callable[[], OracleContext],
    on_response: Callable[[httpx.Response], None] | None = None,
) -> type:
    """Build the machine class for `schema` (loaded by the suite with the run's config).

    Args:
        schema: a Schemathesis OpenAPI schema with its base URL set.
        oracle_ctx: returns the oracle context (the contract) when the first response arrives.
        on_response: called with every response (the suite registers created entities for cleanup).
    """
    base: Any = schema.as_state_machine()

    class LinkDrivenWorkflows(base):  # type: ignore[misc,valid-type]
        first_failure: BaseException | None = None

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            token = target_module.current().client.headers.get("Authorization", "")
            return {"headers": {"Authorization": token}, "session": kept_alive_session()}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)  # REQUIRED: records the step for use_after_free (gotcha 0.5)
            if on_response is not None:
                on_response(to_httpx(response))

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            operation = operation_id(case)
            try:
                run_oracles(oracle_ctx(), to_httpx(response), Exchange(operation, authenticated=True))
                excluded = [positive_data_acceptance] if operation in SEMANTIC_400_OPERATIONS else []
                case.validate_response(
                    response,
                    additional_checks=additional_checks,
                    excluded_checks=excluded,
                    transport_kwargs=kwargs or None,
                    recorder=self.recorder,
                )
            except Exception as failure:
                LinkDrivenWorkflows.first_failure = LinkDrivenWorkflows.first_failure or failure
                raise

    test_case: Any = LinkDrivenWorkflows.TestCase
    test_case.settings = _BudgetLinkSettings()
    run_test = test_case.runTest

    def run_reporting_first_failure(self: Any) -> None:
        """Report the failure that was actually seen, not an error of Hypothesis' final replay.

        A live target's data drifts between runs, so replaying a failure can diverge
        (`FlakyStrategyDefinition`), and printing the failing steps trips over Schemathesis' step naming
        (an `assert` in Hypothesis' `_last_names`); either would hide the real finding.
        """
        LinkDrivenWorkflows.first_failure = None
        try:
            run_test(self)
        except Exception as error:
            seen = LinkDrivenWorkflows.first_failure
            if seen is not None and error is not seen:
                raise seen from error
            if seen is None and isinstance(error, FlakyStrategyDefinition):
                return  # nothing failed; the shared tenant's data changed the available rules
            raise

    test_case.runTest = run_reporting_first_failure
    return LinkDrivenWorkflows

"""The base of every workflow machine: target, API, journal, cleanup, readable failures.

Rules are decorated with `@step` (under `@rule`/`@initialize`) so the journal knows which requests each step
sent; when a check fails, the failure message gets the numbered script of the run that failed — after
Hypothesis' shrinking that run is the minimal failing sequence.
"""

from __future__ import annotations

import functools
import unittest
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import httpx
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from caldasa_conformance.failures import ConformanceFailure
from caldasa_conformance.naming import unique_name
from caldasa_conformance.removal import UndoJudge, kind_of
from caldasa_conformance.states import TESTING_STATES_PATH, StateRejected
from caldasa_conformance.workflows.api import Api
from caldasa_conformance.workflows.journal import Journal, RecordedRequest
from caldasa_conformance.workflows.settings import machine_settings
from caldasa_conformance.workflows.target import Target

F = TypeVar("F", bound=Callable[..., Any])


def attach_script(failure: ConformanceFailure, journal: Journal) -> None:
    """Append the journal's script to the failure message (once)."""
    script = journal.render()
    if failure.args and script not in str(failure.args[0]):
        failure.args = (f"{failure.args[0]}\n\n{script}", *failure.args[1:])


def step(function: F) -> F:
    """Journal a rule as one numbered step and attach the script to any conformance failure it raises."""

    @functools.wraps(function)
    def wrapper(self: WorkflowMachine, *args: Any, **kwargs: Any) -> Any:
        shown = {key: _label(value) for key, value in kwargs.items()}
        self.journal.begin(function.__name__, **shown)
        try:
            return function(self, *args, **kwargs)
        except ConformanceFailure as failure:
            attach_script(failure, self.journal)
            raise

    return wrapper  # type: ignore[return-value]


def checked(function: F) -> F:
    """For invariants: attach the script to any conformance failure (no new step)."""

    @functools.wraps(function)
    def wrapper(self: WorkflowMachine, *args: Any, **kwargs: Any) -> Any:
        self.journal.checking = True
        try:
            return function(self, *args, **kwargs)
        except ConformanceFailure as failure:
            attach_script(failure, self.journal)
            raise
        finally:
            self.journal.checking = False

    return wrapper  # type: ignore[return-value]


def _label(value: Any) -> Any:
    """How a rule argument shows in the script: model objects by their label, plain values as they are."""
    return getattr(value, "label", value)


class WorkflowMachine(RuleBasedStateMachine):
    """Common state of the machines; subclasses add the model, rules and invariants.

    Hypothesis instantiates a machine with no arguments, so its target comes with its class: `against(target)`
    makes a subclass for one run, and `test_case()` the TestCase a suite collects, which does that per test.
    """

    target_of_run: ClassVar[Target | None] = None  # set only on the subclass `against` makes
    # A machine whose example costs a fraction of a second (it books nothing) runs this many times the
    # budget's examples: short histories are how it meets rare orders of events.
    examples_factor: ClassVar[int] = 1

    @classmethod
    def against(cls, target: Target) -> type[WorkflowMachine]:
        """This machine bound to `target`, a subclass for one run (named like the machine in reports)."""
        namespace = {"target_of_run": target, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
        return type(cls.__name__, (cls,), namespace)

    @classmethod
    def settings_for(cls, budget: str) -> settings:
        """This machine's Hypothesis settings under `budget` (from the Budget table)."""
        return machine_settings(budget, examples_factor=cls.examples_factor)

    @classmethod
    def test_case(cls) -> type[unittest.TestCase]:
        """The TestCase that runs this machine at the budget of its target, which the suites' fixture gives
        each test (`workflow_target`, set on the TestCase instance)."""
        machine = cls

        class WorkflowTestCase(unittest.TestCase):
            workflow_target: Target | None = None

            def runTest(self) -> None:
                if self.workflow_target is None:
                    raise RuntimeError(f"{machine.__name__} runs without a target: use the suites' fixtures")
                target = self.workflow_target
                run_state_machine_as_test(
                    machine.against(target), settings=machine.settings_for(target.budget)
                )

            runTest.is_hypothesis_test = True  # type: ignore[attr-defined]  # as Hypothesis' TestCase
            runTest._hypothesis_state_machine_class = cls  # type: ignore[attr-defined]

        WorkflowTestCase.__name__ = f"{cls.__name__}.TestCase"
        WorkflowTestCase.__qualname__ = f"{cls.__qualname__}.TestCase"
        return WorkflowTestCase

    def __init__(self) -> None:
        super().__init__()
        if self.target_of_run is None:
            raise RuntimeError(
                f"{type(self).__name__} has no target: run {type(self).__name__}.against(target)"
            )
        self.target = self.target_of_run
        self.journal = Journal()
        self.api = Api(self.target.client, self.journal)
        self._cleanups: list[Callable[[], Any]] = []

    def unique(self, stem: str) -> str:
        """A name unique in this run, carrying the run tag (so leftovers are attributable)."""
        return unique_name(self.target.run_tag, stem)

    def provide_state(self, state: str, params: dict[str, Any]) -> dict[str, Any]:
        """Ask the target's provider states for `state`, journaling the request like any other."""
        url = str(self.target.client.base_url).rstrip("/") + TESTING_STATES_PATH
        recorded = RecordedRequest("POST", url, {"state": state, "params": params})
        self.journal.record(recorded)
        try:
            ids = self.target.states.provide(state, params)
        except StateRejected as rejected:
            recorded.status = rejected.status
            raise
        recorded.status = 200
        return ids

    def on_teardown(self, action: Callable[[], Any]) -> None:
        """Register a best-effort cleanup action (run in reverse order at teardown)."""
        self._cleanups.append(action)

    def teardown(self) -> None:
        judge = UndoJudge()
        for action in reversed(self._cleanups):
            try:
                result = action()
            except Exception as error:  # cleanup is best effort; what stays is reported as a leftover
                self._leftover("unknown", "unknown", f"cleanup raised {type(error).__name__}")
                continue
            reason = judge.leftover_reason(result) if isinstance(result, httpx.Response) else None
            if reason is not None:
                path = result.request.url.path
                self._leftover(kind_of(path), path.rstrip("/").rsplit("/", 1)[-1], reason)
        self._cleanups.clear()

    def _leftover(self, kind: str, entity_id: str, reason: str) -> None:
        if self.target.record_leftover is not None:
            self.target.record_leftover({"kind": kind, "id": entity_id, "reason": reason})

"""A fault hunt counts a violation seen once, even when Hypothesis' replay of the example then passes."""

from __future__ import annotations

import httpx
from hypothesis.stateful import RuleBasedStateMachine, rule

from caldasa_conformance.failures import DomainViolation
from caldasa_conformance.states import NoStates
from caldasa_conformance.workflows.target import Target
from tests.workflows.runner import run_machine

SEEN: list[int] = []


class FailsOnce(RuleBasedStateMachine):
    """Breaks B1 on its first step ever, never again (a server whose choice differs on replay)."""

    @rule()
    def book(self) -> None:
        SEEN.append(1)
        if len(SEEN) == 1:
            raise DomainViolation("201", "409 slot_unavailable", requirement_id="B1")


class NeverFails(RuleBasedStateMachine):
    @rule()
    def book(self) -> None:
        pass


def _target() -> Target:
    return Target(client=httpx.Client(base_url="http://127.0.0.1:9"), states=NoStates(), budget="smoke")


def test_a_violation_seen_once_is_the_hunt_s_result() -> None:
    SEEN.clear()
    failure = run_machine(FailsOnce, _target(), seed=1, hunt=True)
    assert failure is not None
    assert failure.requirement_id == "B1"


def test_a_machine_that_never_fails_yields_nothing() -> None:
    assert run_machine(NeverFails, _target(), seed=1, hunt=True) is None

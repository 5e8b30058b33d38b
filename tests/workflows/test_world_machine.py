"""The world machine: it passes a correct server, catches the faults it meets, and replays exactly."""

from __future__ import annotations

from typing import ClassVar

import pytest
from hypothesis import Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from caldasa_conformance.failures import ConformanceFailure
from caldasa_conformance.workflows.settings import bounded_shrinking
from caldasa_conformance.workflows.target import Target
from caldasa_conformance.workflows.world_machine import WorldMachine
from caldasa_conformance.workflows.world_steps import world_settings
from tests.harness.reference_server import reference_server
from tests.workflows.conftest import make_target

FAULT_CASES = [
    ("double-booking-staff", "B1"),
    ("double-allocation-resource", "B2"),
    ("delete-in-use-allowed", "T7"),
]


class RecordingWorld(WorldMachine):
    """The world machine, keeping the names of every example's steps."""

    scripts: ClassVar[list[list[str]]] = []

    def teardown(self) -> None:
        RecordingWorld.scripts.append([step.name for step in self.journal.steps])
        super().teardown()


def run_world(
    target: Target, *, seed: int, examples: int | None = None, shrink: bool = False
) -> ConformanceFailure | None:
    """Run the world machine at the target's budget (its own table); the conformance failure, or None."""
    chosen = world_settings(target.budget)
    phases = [Phase.generate, *([Phase.shrink] if shrink else [])]
    chosen = settings(chosen, phases=phases, max_examples=examples or chosen.max_examples)

    class Seeded(RecordingWorld):
        pass

    Seeded._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    with bounded_shrinking(target.budget):
        try:
            run_state_machine_as_test(Seeded.against(target), settings=chosen)
        except ConformanceFailure as failure:
            return failure
    return None


def _scripts(*variants: str, seed: int) -> list[list[str]]:
    RecordingWorld.scripts = []
    with reference_server(variants=variants) as server:
        target = make_target(server, budget="default")
        failure = run_world(target, seed=seed)
        target.client.close()
    assert failure is None, str(failure)
    return list(RecordingWorld.scripts)


def test_world_budget_is_at_least_ten_by_thirty() -> None:
    """Issue #14: default at least 10 examples x 30 steps, deep 100 x 50."""
    default, deep = world_settings("default"), world_settings("deep")
    assert (default.max_examples, default.stateful_step_count) >= (10, 30)
    assert (deep.max_examples, deep.stateful_step_count) == (100, 50)


@pytest.mark.parametrize(("fault", "requirement"), FAULT_CASES, ids=[case[0] for case in FAULT_CASES])
def test_world_machine_catches_fault(fault: str, requirement: str) -> None:
    with reference_server(fault) as server:
        target = make_target(server, budget="default")
        failure = run_world(target, seed=1, examples=40)
        target.client.close()
    assert failure is not None, f"WorldMachine passed against --fault {fault}"
    assert failure.requirement_id == requirement, str(failure)
    assert "Minimal failing sequence" in str(failure)


@pytest.mark.parametrize("variant", ["staff-random", "unit-random"])
def test_world_machine_passes_clean_and_draws_the_same_steps_whatever_the_server_chose(variant: str) -> None:
    """Clean and on a legal variant: no failure, and the same steps for the same seed (the model adopts)."""
    assert _scripts(variant, seed=3) == _scripts(seed=3)


def test_world_machine_shrinks_without_flakiness() -> None:
    """Shrinking replays every candidate and the final example: it ends in the conformance failure (a replay
    that drew differently would raise Hypothesis' Flaky errors instead), shrunk to a short script."""
    with reference_server("double-booking-staff") as server:
        target = make_target(server, budget="default")
        failure = run_world(target, seed=1, examples=40, shrink=True)
        target.client.close()
    assert failure is not None
    assert failure.requirement_id == "B1", str(failure)
    assert "Minimal failing sequence" in str(failure)

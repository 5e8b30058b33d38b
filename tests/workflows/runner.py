"""Run a workflow machine in-process against a target, the way the suites' TestCase does."""

from __future__ import annotations

from hypothesis import Phase, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from caldasa_conformance.failures import ConformanceFailure
from caldasa_conformance.workflows.settings import bounded_shrinking, machine_settings
from caldasa_conformance.workflows.target import Target


def run_machine(
    machine: type[RuleBasedStateMachine],
    target: Target,
    *,
    seed: int | None = None,
    hunt: bool = False,
    shrink: bool = False,
    steps: int = 20,
) -> ConformanceFailure | None:
    """Run `machine`; return the conformance failure it raised, or None when it passed.

    `hunt` runs more examples without shrinking: the first failing example ends the run (fault detection).
    """
    chosen = machine_settings(target.budget, shrink=shrink)
    if hunt:
        phases = [Phase.generate, *([Phase.shrink] if shrink else [])]
        chosen = settings(chosen, max_examples=40, stateful_step_count=steps, phases=phases)

    class Seeded(machine):  # type: ignore[valid-type,misc]
        pass

    Seeded.__name__ = machine.__name__
    if seed is not None:
        Seeded._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
    with bounded_shrinking(target.budget):
        try:
            run_state_machine_as_test(Seeded.against(target), settings=chosen)
        except ConformanceFailure as failure:
            return failure
    return None

"""Budget-aware Hypothesis settings for the machines.

`TestCase.settings` is a descriptor: it is resolved when the test runs, from the budget of the bound target
(the plugin's `--caldasa-budget`), so one import serves every budget. Steps are bounded so a machine runs in
seconds locally; shrinking stays on so a failure ends as a minimal sequence of steps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis.internal.conjecture import engine

from caldasa_conformance.budget import DEFAULT_BUDGET, budget_named
from caldasa_conformance.workflows import target as target_module


def machine_settings(budget: str = DEFAULT_BUDGET, *, shrink: bool = True, scale: float = 1.0) -> settings:
    """Settings for a machine under `budget`; `scale` shrinks or grows the step count of heavy machines."""
    figures = budget_named(budget)
    phases = [Phase.explicit, Phase.generate, *([Phase.shrink] if shrink else [])]
    return settings(
        max_examples=figures.machine_examples,
        stateful_step_count=max(3, int(figures.machine_steps * scale)),
        deadline=None,
        database=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        print_blob=False,
    )


class BudgetSettings:
    """A class attribute that yields `machine_settings(<bound budget>)` when read."""

    def __init__(self, *, scale: float = 1.0) -> None:
        self.scale = scale

    def __get__(self, instance: Any, owner: type | None = None) -> settings:
        try:
            budget = target_module.current().budget
        except RuntimeError:
            budget = DEFAULT_BUDGET
        return machine_settings(budget, scale=self.scale)


@contextlib.contextmanager
def bounded_shrinking(budget: str) -> Iterator[None]:
    """Cap the time Hypothesis spends shrinking (its default, 300 s, is far too long for HTTP replays).

    Hypothesis has no public setting for this; its engine reads the module constant at shrink time, so it is
    swapped for the duration of the block and restored afterwards.
    """
    previous = engine.MAX_SHRINKING_SECONDS
    engine.MAX_SHRINKING_SECONDS = budget_named(budget).shrink_seconds
    try:
        yield
    finally:
        engine.MAX_SHRINKING_SECONDS = previous

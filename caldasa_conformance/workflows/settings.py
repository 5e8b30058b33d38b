"""Budget-aware Hypothesis settings for the machines.

A machine's TestCase (`WorkflowMachine.test_case`) asks for them when the test runs, at the budget of the
test's target (the plugin's `--caldasa-budget`), so one import serves every budget; the figures are the
Budget table's (`budget.py`). Steps are bounded so a machine runs in seconds locally; shrinking stays on so a
failure ends as a minimal sequence of steps.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from hypothesis import HealthCheck, Phase, settings
from hypothesis.internal.conjecture import engine

from caldasa_conformance.budget import DEFAULT_BUDGET, budget_named


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

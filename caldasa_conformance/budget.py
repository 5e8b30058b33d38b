"""The budget table: every figure that `--caldasa-budget smoke|default|deep` sets, in one place.

A budget sizes four kinds of generated test: the plain Hypothesis tests (the `caldasa-<budget>` profile the
plugin loads), the Schemathesis-parametrized tests (`support.st.load_schema`), our state machines
(`workflows.settings`) and Schemathesis' link-driven machine (`workflows.links`). Each of those reads its
figures from the `Budget` here and declares none of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """The figures of one budget.

    Attributes:
        name: `smoke`, `default` or `deep`.
        hypothesis_examples: `max_examples` of the plugin's Hypothesis profile `caldasa-<name>`.
        shrink: whether that profile shrinks a failing example (smoke reports it unshrunk, for speed).
        schema_examples: Schemathesis' `max_examples` per operation.
        schema_phases: Schemathesis' generation phases.
        machine_examples: examples (runs) of each of our state machines.
        machine_steps: steps per example of a machine (before a heavy machine's scale).
        shrink_seconds: the cap on Hypothesis' shrinking time (every shrink attempt replays HTTP requests).
        link_scenarios: examples of the link-driven machine (Schemathesis' default: 6 steps, no shrinking).
        link_steps: steps per example of the link-driven machine.
        world_examples: examples of the world machine (it builds its whole world in each one).
        world_steps: steps per example of the world machine.
    """

    name: str
    hypothesis_examples: int
    shrink: bool
    schema_examples: int
    schema_phases: tuple[str, ...]
    machine_examples: int
    machine_steps: int
    shrink_seconds: int
    link_scenarios: int
    link_steps: int
    world_examples: int
    world_steps: int


# One row a budget, aligned by hand so that it reads as a table (one row each keeps the figures side by side).
# fmt: off
_TABLE = tuple(Budget(*row) for row in (
    # name, hypothesis_examples, shrink, schema_examples, schema_phases, machine_examples, machine_steps,
    # shrink_seconds, link_scenarios, link_steps, world_examples, world_steps
    ("smoke",   2, False,   3, ("examples", "fuzzing"),              3, 12,  20,   5,  5,   3, 15),
    ("default", 8, True,   12, ("examples", "fuzzing"),              5, 20,  45,  15,  6,  10, 30),
    ("deep",   60, True,  100, ("examples", "coverage", "fuzzing"), 25, 40, 180, 100, 10, 100, 50),
))
# fmt: on
BUDGETS_BY_NAME = {budget.name: budget for budget in _TABLE}
BUDGETS = tuple(BUDGETS_BY_NAME)  # the names, in the order the help text shows them
DEFAULT_BUDGET = "default"


def budget_named(name: str) -> Budget:
    """The budget called `name`; an unknown name (a self-test's own target) gets the default budget."""
    return BUDGETS_BY_NAME.get(name, BUDGETS_BY_NAME[DEFAULT_BUDGET])

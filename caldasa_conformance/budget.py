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


_TABLE = (
    Budget(
        name="smoke",
        hypothesis_examples=2,
        shrink=False,
        schema_examples=3,
        schema_phases=("examples", "fuzzing"),
        machine_examples=3,
        machine_steps=12,
        shrink_seconds=20,
        link_scenarios=5,
        link_steps=5,
    ),
    Budget(
        name="default",
        hypothesis_examples=8,
        shrink=True,
        schema_examples=12,
        schema_phases=("examples", "fuzzing"),
        machine_examples=5,
        machine_steps=20,
        shrink_seconds=45,
        link_scenarios=15,
        link_steps=6,
    ),
    Budget(
        name="deep",
        hypothesis_examples=60,
        shrink=True,
        schema_examples=100,
        schema_phases=("examples", "coverage", "fuzzing"),
        machine_examples=25,
        machine_steps=40,
        shrink_seconds=180,
        link_scenarios=100,
        link_steps=10,
    ),
)
BUDGETS_BY_NAME = {budget.name: budget for budget in _TABLE}
BUDGETS = tuple(BUDGETS_BY_NAME)  # the names, in the order the help text shows them
DEFAULT_BUDGET = "default"


def budget_named(name: str) -> Budget:
    """The budget called `name`; an unknown name (a self-test's own target) gets the default budget."""
    return BUDGETS_BY_NAME.get(name, BUDGETS_BY_NAME[DEFAULT_BUDGET])

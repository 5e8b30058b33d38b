"""The budget table is the one place that sizes a run: every consumer reads its figures from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.internal.conjecture import engine
from schemathesis import GenerationMode

from caldasa_conformance import budget as budget_module
from caldasa_conformance.budget import BUDGETS, budget_named
from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.options import BY_NAME
from caldasa_conformance.support.st import load_schema
from caldasa_conformance.workflows.settings import bounded_shrinking, machine_settings

PACKAGE = Path(budget_module.__file__).resolve().parent


def test_every_budget_name_resolves_to_its_own_figures() -> None:
    assert BUDGETS == ("smoke", "default", "deep")
    assert [budget_named(name).name for name in BUDGETS] == list(BUDGETS)
    assert budget_named("no-such-budget") == budget_named("default")


def test_the_option_accepts_exactly_the_table_s_budgets() -> None:
    assert BY_NAME["budget"].run_choices == BUDGETS


@pytest.mark.parametrize("name", BUDGETS)
def test_the_consumers_take_their_figures_from_the_table(name: str) -> None:
    figures = budget_named(name)
    machine = machine_settings(name)
    assert (machine.max_examples, machine.stateful_step_count) == (
        figures.machine_examples,
        figures.machine_steps,
    )
    with bounded_shrinking(name):
        assert figures.shrink_seconds == engine.MAX_SHRINKING_SECONDS
    schema = load_schema(SuiteConfig(budget=name), GenerationMode.POSITIVE)
    assert schema.config.generation.max_examples == figures.schema_examples
    profile = settings.get_profile(f"caldasa-{name}")
    assert profile.max_examples == figures.hypothesis_examples


def test_no_module_but_the_table_declares_budget_figures() -> None:
    """The old per-module tables are gone: nothing else maps a budget name to a figure."""
    mapping = re.compile(r"""["'](smoke|deep)["']\s*:\s*[\[(\d]""")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "budget.py" and mapping.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    for old in ("BUDGET_EXAMPLES", "BUDGET_SIZES", "SHRINK_SECONDS", "LINK_BUDGETS"):
        assert not any(old in path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")), old

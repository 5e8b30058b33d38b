"""Schemathesis-parametrized tests, built at collection from the run's configuration (a pytest plugin).

A suite module cannot read the run's configuration when it is imported (it lives in the session object in
`config.stash`, see `session`), yet which cases Schemathesis generates depends on it: the contract, the base
URL, the budget, the run tag. So a suite only marks its test, `@generated_cases(GenerationMode.POSITIVE)`, and
this plugin parametrizes it when pytest collects it, exactly as `@schema.parametrize()` at import time would
have: the same items, named the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from schemathesis import GenerationMode

from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.session import run_session
from caldasa_conformance.support.st import load_schema, tag_generated_names

F = TypeVar("F", bound=Callable[..., Any])
_MODE = "_caldasa_generation_mode"


def generated_cases(mode: GenerationMode) -> Callable[[F], F]:
    """Mark a test to receive Schemathesis' `case` for every operation, generated in `mode` by the run's
    schema (positive cases carry the run tag in their name fields, `support.st.tag_generated_names`)."""

    def mark(test: F) -> F:
        setattr(test, _MODE, mode)
        return test

    return mark


def run_schema(config: SuiteConfig, mode: GenerationMode) -> Any:
    """The run's schema for `mode`, its own object (a mode must not leak into another, gotcha 0.2)."""
    schema = load_schema(config, mode)
    if mode is GenerationMode.POSITIVE:
        tag_generated_names(schema, config.run_tag)
    return schema


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Module | pytest.Class, name: str, obj: Any) -> Any:
    """Parametrize a marked test with the run's schema, then collect it as Schemathesis does."""
    from schemathesis.pytest.plugin import SchemaHandleMark

    mode = getattr(obj, _MODE, None)
    session = run_session(collector.config)
    if mode is None or session is None or SchemaHandleMark.is_set(obj):
        return None  # unmarked, or already parametrized (the call below comes back here)
    parametrized = run_schema(session.config, mode).parametrize()(obj)
    setattr(collector.obj, name, parametrized)  # what the decorator at import time would have left there
    return collector.ihook.pytest_pycollect_makeitem(collector=collector, name=name, obj=parametrized)

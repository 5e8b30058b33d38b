"""Which tests are generative and which are fixed, read from how a test is built (never from its name).

A test is *generative* when Hypothesis draws its inputs: a state machine (a `hypothesis.stateful` TestCase,
Schemathesis' link machine included), a Schemathesis-generated test or a `@given` test. Every other test is
*fixed*: the same requests on every run (the fixed scenarios of suites/*/test_*_rules.py, the race probes,
the targeted negatives, ...). The plugin records the kind as the junit property `caldasa_kind`, so the
self-test can say which kind of test killed a fault; the `generative_only` plugin deselects the fixed ones.
"""

from __future__ import annotations

from typing import Any

GENERATIVE = "generative"
FIXED = "fixed"
KIND_PROPERTY = "caldasa_kind"


def test_kind(item: Any) -> str:
    """`GENERATIVE` or `FIXED` for a collected pytest item."""
    if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) or is_state_machine(item):
        return GENERATIVE
    return FIXED


def is_state_machine(item: Any) -> bool:
    """Whether the item runs a `hypothesis.stateful` machine (a run's longest tests: one chain of calls).

    A machine's TestCase names its machine class on its test method, as Hypothesis' own TestCase does
    (`_hypothesis_state_machine_class`: the suites' `WorkflowMachine.test_case()` and the link-driven test
    set it); a TestCase taken straight from `hypothesis.stateful` is one by its bases.
    """
    if getattr(getattr(item, "obj", None), "_hypothesis_state_machine_class", None) is not None:
        return True
    cls = getattr(item, "cls", None)
    return cls is not None and any(base.__module__ == "hypothesis.stateful" for base in cls.__mro__)


test_kind.__test__ = False  # type: ignore[attr-defined]  # not a test, whatever pytest's name rules say

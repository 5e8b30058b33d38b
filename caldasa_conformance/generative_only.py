"""A pytest plugin keeping only the generative tests of the suites (`-p caldasa_conformance.generative_only`).

The self-test's `--generative-only` loads it into every run, so the kill matrix shows what the state machines
and Schemathesis find without the fixed tests (see `kinds`). Tests outside the conformance classes stay.
"""

from __future__ import annotations

import pytest

from caldasa_conformance.kinds import FIXED, test_kind
from caldasa_conformance.scheduling import conformance_class


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    fixed = [item for item in items if conformance_class(item) is not None and test_kind(item) == FIXED]
    if fixed:
        config.hook.pytest_deselected(items=fixed)
        items[:] = [item for item in items if item not in fixed]

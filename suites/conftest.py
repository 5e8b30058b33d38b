"""Suite fixtures live in the plugin (`caldasa_conformance.fixtures.*`); this file stays thin.

It gives every test of the stateful suites (the directories named after a stateful conformance class plus
`stateful/`) its workflow target (`caldasa_conformance.workflows.fixtures.workflow_target`); a machine's
TestCase gets it as its `workflow_target`. The stateless suites' tests do not request it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from caldasa_conformance.requirements import STATEFUL_CLASSES
from caldasa_conformance.workflows.fixtures import (  # noqa: F401 - fixtures, requested below and by tests
    webhook_receiver,
    workflow_target,
)

SUITES = Path(__file__).resolve().parent
STATEFUL_SUITES = frozenset((*STATEFUL_CLASSES, "stateful"))


@pytest.fixture(autouse=True)
def _bind_workflow_target(request: pytest.FixtureRequest) -> None:
    if request.path.resolve().relative_to(SUITES).parts[0] in STATEFUL_SUITES:
        target = request.getfixturevalue("workflow_target")
        if request.instance is not None and hasattr(request.instance, "workflow_target"):
            request.instance.workflow_target = target

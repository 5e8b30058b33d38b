"""Binds the workflow target for every test here (fixture from caldasa_conformance.workflows.fixtures)."""

from __future__ import annotations

import pytest

from caldasa_conformance.workflows.fixtures import workflow_target  # noqa: F401 - a fixture, used below


@pytest.fixture(autouse=True)
def _bind_workflow_target(workflow_target):  # noqa: F811 - the imported fixture, requested by name
    return workflow_target

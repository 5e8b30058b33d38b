"""Fixtures of the contract tests: the parsed contract, its operations and the seed."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.contract.helpers import SEED_PATH, SPEC_PATH, Operation, Seed, operations, parse_seed


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    """The committed contract, parsed once per session (tests must not mutate it)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with SPEC_PATH.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=loader)
    return document


@pytest.fixture(scope="session")
def spec_operations(spec: dict[str, Any]) -> list[Operation]:
    return operations(spec)


@pytest.fixture(scope="session")
def seed() -> Seed:
    """The seed page's navigation (operations by tag, schema names)."""
    return parse_seed(SEED_PATH.read_text(encoding="utf-8"))

"""The committed YAML is the generator's output, so the generator stays the one place to edit."""

from __future__ import annotations

from tests.contract.helpers import SPEC_PATH
from tools.contract import build


def test_committed_yaml_equals_generator_output() -> None:
    assert SPEC_PATH.read_text(encoding="utf-8") == build.render(), (
        "openapi/caldasa.yaml is stale: run `python -m tools.contract.build`"
    )


def test_generator_is_deterministic() -> None:
    assert build.render() == build.render()


def test_committed_operation_helpers_equal_generator_output() -> None:
    """The per-operation helpers of `support/operations.py` are generated from the contract, not typed."""
    from tools.contract import helpers

    assert helpers.TARGET.read_text(encoding="utf-8") == helpers.generated(), (
        "caldasa_conformance/support/operations.py is stale: run `python -m tools.contract.helpers`"
    )

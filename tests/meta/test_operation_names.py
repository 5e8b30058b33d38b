"""Every operation the harness and the suites name by string is an operation of the contract.

The machines call operations by operationId (`api.call("getBooking", path=…)`), as the auth and tenancy
sweeps do over the whole table, through the one call path (`support.operations.call`). A misspelt id would
only fail when that step is drawn; this test finds it without a target, by reading the source.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from caldasa_conformance.support.operations import OPERATIONS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "caldasa_conformance").rglob("*.py"), *(ROOT / "suites").rglob("*.py")])
OPERATION_ID = re.compile(r"^[a-z]+[A-Z][A-Za-z]*$")  # camelCase, as every operationId of the contract
# calls whose string arguments name an operation: the call path and the answer check that labels its failure
NAMING_CALLS = {"call", "check_answer", "expect_answer"}


def named_operations(source: str) -> Iterator[tuple[int, str]]:
    """(line, name) of each camelCase string passed positionally to a call that names an operation."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if callee not in NAMING_CALLS:
            continue
        for argument in node.args:
            value = argument.value if isinstance(argument, ast.Constant) else None
            if isinstance(value, str) and OPERATION_ID.match(value):
                yield node.lineno, value


def test_the_reader_finds_a_misspelt_operation() -> None:
    source = (
        'api.call("getBookng", path={})\nops.call(client, "listCustomers")\ncheck_answer(r, e, "getBooking")'
    )
    names = [name for _, name in named_operations(source)]
    assert names == ["getBookng", "listCustomers", "getBooking"]
    assert [name for name in names if name not in OPERATIONS] == ["getBookng"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_named_operation_is_in_the_contract(path: Path) -> None:
    unknown = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for line, name in named_operations(path.read_text(encoding="utf-8"))
        if name not in OPERATIONS
    ]
    assert not unknown, "operations the contract does not have:\n" + "\n".join(unknown)

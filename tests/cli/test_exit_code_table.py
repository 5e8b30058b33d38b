"""The exit codes are defined once (`runner.errors.ExitCode`) and pytest's are read in one function."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import caldasa_conformance
from caldasa_conformance.runner.errors import SEVERITY, ExitCode, RunAborted, from_pytest
from caldasa_conformance.runner.merge import combine_exit_codes

PACKAGE = Path(caldasa_conformance.__file__).resolve().parent


def test_each_code_keeps_its_documented_meaning() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "VIOLATIONS": 1,
        "USAGE": 2,
        "UNAVAILABLE": 3,
        "INTERRUPTED": 130,
        "TERMINATED": 143,
    }
    assert SEVERITY == (ExitCode.UNAVAILABLE, ExitCode.USAGE, ExitCode.VIOLATIONS, ExitCode.OK)


@pytest.mark.parametrize(
    ("pytest_code", "sharded", "expected"),
    [
        (pytest.ExitCode.OK, False, ExitCode.OK),
        (pytest.ExitCode.TESTS_FAILED, False, ExitCode.VIOLATIONS),
        (pytest.ExitCode.NO_TESTS_COLLECTED, True, ExitCode.OK),  # a shard may get no test
    ],
)
def test_a_pytest_verdict_maps_to_the_suite_s(pytest_code: int, sharded: bool, expected: ExitCode) -> None:
    assert from_pytest(pytest_code, sharded=sharded, selection="classes schema") is expected


@pytest.mark.parametrize(
    ("pytest_code", "says"),
    [
        (pytest.ExitCode.NO_TESTS_COLLECTED, "no test selected for classes schema (profile mock)"),
        (pytest.ExitCode.USAGE_ERROR, "pytest rejected the configuration"),
        (pytest.ExitCode.INTERRUPTED, "collection errors"),
        (pytest.ExitCode.INTERNAL_ERROR, "exit status 3"),
        (99, "exit status 99"),
    ],
)
def test_a_pytest_run_without_a_verdict_is_a_usage_error(pytest_code: int, says: str) -> None:
    with pytest.raises(RunAborted, match=re.escape(says)) as aborted:
        from_pytest(pytest_code, sharded=False, selection="classes schema (profile mock)")
    assert aborted.value.code == ExitCode.USAGE


def test_merged_shards_report_the_most_serious_code() -> None:
    assert (
        combine_exit_codes([ExitCode.OK, ExitCode.UNAVAILABLE, ExitCode.VIOLATIONS]) == ExitCode.UNAVAILABLE
    )
    assert combine_exit_codes([ExitCode.INTERRUPTED]) == ExitCode.USAGE  # no verdict among the shards


def test_no_module_declares_exit_codes_of_its_own() -> None:
    declared = re.compile(r"^\s*(EXIT_\w+|_EXIT_\w+)\s*[,=]", re.MULTILINE)
    literal = re.compile(r"return [0-9]+ if .* else [0-9]+$|exit_code\", [0-9]\)", re.MULTILINE)
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if declared.search(text := path.read_text(encoding="utf-8")) or literal.search(text)
    ]
    assert offenders == []

"""Did a run detect a fault? Read from the run's summary.json, refined by its junit.xml.

A fault counts as detected only when a failing test *names* the requirement the fault breaks. A
ConformanceFailure names it on a `Requirement: <id>` line. The summary attributes a failure that names no
requirement (a Hypothesis FlakyFailure, a timeout, a crash) to every requirement its test checks; such a
failure proves nothing about one requirement, so when the junit.xml is there it is counted by its error
type (e.g. `FlakyFailure`) instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caldasa_conformance.reporting.junit import read_outcomes

# The line by which a ConformanceFailure names its requirement (inside an exception group, after "| ").
REQUIREMENT_LINE = re.compile(r"^[\sE|]*Requirement:\s*([A-Za-z]+\d+)", re.MULTILINE)
_ERROR_TYPE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Failure|Exception|Timeout|Exit))\b")


@dataclass(frozen=True)
class Detection:
    """The verdict for one fault run."""

    detected: bool
    by: list[str]  # requirement ids named by the failures, or the error type of failures naming none
    tests: list[str] = field(default_factory=list)  # the failing tests that name the fault's requirement


def named_requirements(junit_path: Path) -> dict[str, list[str]] | None:
    """Failed test id → the requirement ids its failure text names (None when there is no junit.xml)."""
    if not junit_path.is_file():
        return None
    return {
        outcome.test_id: list(
            dict.fromkeys(REQUIREMENT_LINE.findall(f"{outcome.message}\n{outcome.details}"))
        )
        for outcome in read_outcomes(junit_path)
        if outcome.status == "failed"
    }


def kinds_of_tests(junit_path: Path) -> dict[str, str]:
    """Test id → `generative` or `fixed` (the junit property `caldasa_kind`; empty when not recorded)."""
    if not junit_path.is_file():
        return {}
    return {outcome.test_id: outcome.kind for outcome in read_outcomes(junit_path)}


def _check_name(reason: str) -> str:
    match = _ERROR_TYPE.match(reason.strip())
    return match[1].rsplit(".", 1)[-1] if match else "unattributed failure"


def detect(
    summary: Mapping[str, Any], requirement: str, named: Mapping[str, list[str]] | None = None
) -> Detection:
    """Whether the run summarised by `summary` caught a fault breaking `requirement`.

    Args:
        summary: the run's summary.json.
        requirement: the id the fault breaks.
        named: `named_requirements(junit.xml)`; when given, it replaces the summary's attribution.
    """
    by: set[str] = set()
    tests: list[str] = []
    for failure in summary.get("failures", []):
        test = str(failure.get("test", "?"))
        ids = list(failure.get("requirements", []))
        if named is not None and test in named:
            ids = named[test]
        if not ids:
            by.add(_check_name(str(failure.get("reason", ""))))
        by.update(ids)
        if requirement in ids:
            tests.append(test)
    return Detection(detected=bool(tests), by=sorted(by), tests=tests)


def count_failed(summary: Mapping[str, Any]) -> int:
    """Failed tests of a run (what a clean run must have none of)."""
    return int(summary.get("counts", {}).get("failed", 0) or 0)

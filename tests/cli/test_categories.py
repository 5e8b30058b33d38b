"""`categories.json`: each failure kind lands in its category, and the regexes work in Allure 2 and 3."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from caldasa_conformance.reporting.allure_extras import CATEGORIES, category_of


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("httpx.ReadTimeout: timed out", "Transport (timeout, refused, reset, malformed response)"),
        (
            "caldasa_conformance.failures.ServerError: The target failed\nReceived: 500",
            "Server error (5xx)",
        ),
        (
            "caldasa_conformance.failures.SchemaViolation: Response body does not match\nRequirement: S1",
            "Schema violation",
        ),
        (
            "caldasa_conformance.failures.UndocumentedStatus: 418 is not documented\nRequirement: S2",
            "Status code",
        ),
        (
            "caldasa_conformance.failures.ProblemShapeViolation: not problem+json\nReceived: 404 text/plain",
            "problem+json",
        ),
        (
            "caldasa_conformance.failures.DomainViolation: Double booking\nReceived: 201\nRequirement: B1",
            "Invariant broken",
        ),
    ],
)
def test_failures_fall_into_their_category(message: str, category: str) -> None:
    assert category_of(message) == category


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_regexes_compile_in_javascript_for_allure3() -> None:
    patterns = json.dumps([entry["messageRegex"] for entry in CATEGORIES])
    script = f"for (const p of {patterns}) new RegExp(p); console.log('ok')"
    completed = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30)
    assert completed.stdout.strip() == "ok", completed.stderr

"""Each reference-server fault is caught by its class, naming its requirement; the clean server passes.

The server runs as a subprocess (`python -m caldasa_reference serve --port 0 --fault NAME`, tokens through
CALDASA_REFERENCE_TOKENS) and the suite class runs in a separate pytest process at the smoke budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.harness.reference_server import reference_server

ROOT = Path(__file__).resolve().parents[2]
# fault -> (class that must catch it, requirement it breaks, the class's module that catches it
# deterministically; the clean-server runs below cover whole classes, generated tests included).
FAULTS = {
    "booking-missing-public-id": ("schema", "S1", "test_real_entities.py"),
    "malformed-created-at": ("schema", "S1", "test_real_entities.py"),
    "undocumented-status": ("schema", "S2", "test_real_entities.py"),
    "missing-location-header": ("http", "T8", ""),
    "plain-text-errors": ("errors", "T6", "test_targeted.py"),
    "problem-status-mismatch": ("errors", "T6", "test_targeted.py"),
    "stack-trace-in-detail": ("errors", "T6", "test_targeted.py"),
    "accepts-invalid-input": ("errors", "V1", "test_targeted.py"),
    "invalid-input-conflict": ("errors", "V1", "test_targeted.py"),
    "server-error-on-edge": ("errors", "S4", "test_targeted.py"),
    "auth-bypass": ("auth", "T2", ""),
    "tenant-leak": ("tenancy", "T1", ""),
    "pagination-overlap": ("pagination", "T3", ""),
    "delete-not-effective": ("http", "T7", ""),
}
CLASSES = ("schema", "errors", "auth", "tenancy", "pagination", "http")


def run_class(
    klass: str,
    env: dict[str, str],
    tmp_path: Path,
    module: str = "",
    select: str = "",
    paths: tuple[str, ...] = (),
) -> list[str]:
    """Run a suite class (one module of it, or several class directories) against the server in `env`.

    Returns one text per failed or erroring test: `<classname>.<name>: <message and details>`.
    """
    junit = tmp_path / ("all.xml" if paths else f"{klass}.xml")
    targets = [f"suites/{path}" for path in paths] or [f"suites/{klass}/{module}"]
    command = [
        sys.executable,
        "-m",
        "pytest",
        *targets,
        "-m",
        klass,
        "-q",
        "-p",
        "no:randomly",
        "--caldasa-budget",
        "smoke",
        "--caldasa-report-dir",
        str(tmp_path / "reports"),
        f"--junitxml={junit}",
        *(["-k", select] if select else []),
        "-o",
        "junit_logging=no",
    ]
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith("CALDASA_")}
    completed = subprocess.run(
        command, cwd=ROOT, env={**clean_env, **env}, capture_output=True, text=True, timeout=240, check=False
    )
    assert junit.is_file(), f"pytest did not run: {completed.stdout[-2000:]}{completed.stderr[-2000:]}"
    root = ET.parse(junit).getroot()
    return [
        f"{case.get('classname')}.{case.get('name')}: {node.get('message') or ''}{node.text or ''}"
        for case in root.iter("testcase")
        for node in case
        if node.tag in ("failure", "error")
    ]


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_is_detected_naming_its_requirement(fault: str, tmp_path: Path) -> None:
    klass, requirement, module = FAULTS[fault]
    with reference_server(fault) as server:
        failures = run_class(klass, server.env, tmp_path, module)
    assert failures, f"class {klass} passed although fault {fault} was on"
    assert any(f"Requirement: {requirement}" in failure for failure in failures), (
        f"no failure names {requirement}: {[failure[:300] for failure in failures]}"
    )


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """All stateless classes, once, against a clean server: failure texts per class."""
    tmp_path = tmp_path_factory.mktemp("clean")
    with reference_server() as server:
        failures = run_class(" or ".join(CLASSES), server.env, tmp_path, select="", paths=CLASSES)
    return {klass: [text for text in failures if f"suites.{klass}." in text] for klass in CLASSES} | {
        "other": [text for text in failures if not any(f"suites.{klass}." in text for klass in CLASSES)]
    }


@pytest.mark.parametrize("klass", [*CLASSES, "other"])
def test_clean_server_passes_no_false_positive(klass: str, clean_run: dict[str, list[str]]) -> None:
    assert not clean_run[klass], [failure[:500] for failure in clean_run[klass]]


RATE_LIMITED = ("--rate-limit", "5/s")


def test_missing_retry_after_is_detected_naming_t5(tmp_path: Path) -> None:
    with reference_server("missing-retry-after", extra_args=RATE_LIMITED) as server:
        failures = run_class("http", server.env, tmp_path, "test_create_delete.py", "rate_limited")
    assert any("Requirement: T5" in failure for failure in failures), failures


def test_rate_limited_answers_pass_no_false_positive(tmp_path: Path) -> None:
    with reference_server(extra_args=RATE_LIMITED) as server:
        failures = run_class("http", server.env, tmp_path, "test_create_delete.py", "rate_limited")
    assert not failures, failures
    skipped = list(ET.parse(tmp_path / "http.xml").getroot().iter("skipped"))
    assert not skipped, "the T5 test skipped: no 429 was provoked"

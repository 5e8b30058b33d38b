"""The stateful suites run through pytest and the caldasa plugin: green on the clean server, red on faults."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.harness.reference_server import RunningServer, reference_server

ROOT = Path(__file__).resolve().parents[2]
STATEFUL_SUITES = [
    "suites/bookings",
    "suites/events",
    "suites/webhooks",
    "suites/customers",
    "suites/catalog",
    "suites/concurrency",
    "suites/stateful",
]


def run_suites(server: RunningServer, paths: list[str], tmp_path: Path) -> tuple[int, str, Path]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CALDASA_", "PYTEST_"))}
    env.update(
        CALDASA_BASE_URL=server.base_url,
        CALDASA_TOKEN=server.token,
        CALDASA_BUDGET="smoke",
        CALDASA_REPORT_DIR=str(tmp_path / "reports"),
    )
    junit = tmp_path / "junit.xml"
    command = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:randomly", f"--junitxml={junit}"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr, junit


def test_stateful_suites_pass_on_clean_server_and_carry_markers(
    clean_server: RunningServer, tmp_path: Path
) -> None:
    code, output, junit = run_suites(clean_server, STATEFUL_SUITES, tmp_path)
    assert code == 0, output[-4000:]
    properties = {prop.get("name"): prop.get("value") for prop in ET.parse(junit).iter("property")}
    assert {"caldasa_class", "caldasa_requirements", "caldasa_operation"} <= set(properties)
    assert clean_server.token not in output


@pytest.mark.parametrize(
    ("fault", "requirement", "failing_test"),
    [
        ("double-booking-staff", "B1", "test_parallel_identical_bookings_have_one_winner"),
        ("redeem-twice", "R1", "test_parallel_redeems_have_one_winner"),
    ],
)
def test_race_probe_fails_on_fault(fault: str, requirement: str, failing_test: str, tmp_path: Path) -> None:
    with reference_server(fault) as server:
        code, output, _ = run_suites(server, ["suites/concurrency"], tmp_path)
    assert code == 1, output[-4000:]
    assert f"FAILED suites/concurrency/test_races.py::{failing_test}" in output
    assert f"Requirement: {requirement}" in output

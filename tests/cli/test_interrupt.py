"""Ctrl-C: the run stops, pytest finishes its own teardown, the runner writes what ran so far and cleans up by
run tag (exit 130)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import TOKEN, clean_env


def test_ctrl_c_cleans_up_and_exits_130(fake_target: str, stand_in_suite: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    command = [
        sys.executable,
        "-m",
        "caldasa_conformance.cli",
        "run",
        "--base-url",
        fake_target,
        "--suite-path",
        str(stand_in_suite),
        "--report-dir",
        str(reports),
        "--run-tag",
        "cc-interrupted",
    ]
    runner = start_and_wait_for_tests(command, reports, clean_env(CALDASA_TOKEN=TOKEN, FAKE_SLOW="1"))
    os.killpg(runner.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    stdout, stderr = runner.communicate(timeout=60)
    assert runner.returncode == 130, stdout[-1500:] + stderr[-1500:]
    assert "cleaning up run tag cc-interrupted" in stderr
    assert "primary tenant: the run recorded nothing it created there" in stdout  # the stand-in made none
    assert_interrupted_summary(reports, 130)


def test_sigint_to_the_runner_alone_stops_the_run_within_seconds(
    fake_target: str, stand_in_suite: Path, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    command = [
        sys.executable,
        "-m",
        "caldasa_conformance.cli",
        "run",
        "--base-url",
        fake_target,
        "--suite-path",
        str(stand_in_suite),
        "--report-dir",
        str(reports),
    ]
    runner = start_and_wait_for_tests(command, reports, clean_env(CALDASA_TOKEN=TOKEN, FAKE_SLOW="1"))
    started = time.monotonic()
    runner.send_signal(signal.SIGINT)  # `kill -INT <runner>`: pytest gets nothing from the terminal
    stdout, stderr = runner.communicate(timeout=90)
    assert runner.returncode == 130, stdout[-1500:] + stderr[-1500:]
    assert time.monotonic() - started < 15  # pytest was told, it did not sleep its 60 s out
    assert_interrupted_summary(reports, 130)


def test_sigterm_stops_pytest_and_the_embedded_server(stand_in_suite: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    command = [
        sys.executable,
        "-m",
        "caldasa_conformance.cli",
        "run",
        "--suite-path",
        str(stand_in_suite),
        "--report-dir",
        str(reports),
    ]
    runner = start_and_wait_for_tests(command, reports, clean_env(FAKE_SLOW="1"))
    started = time.monotonic()
    runner.send_signal(signal.SIGTERM)  # a cancelled CI job: only the runner gets it
    stdout, stderr = runner.communicate(timeout=90)
    assert runner.returncode == 143, stdout[-1500:] + stderr[-1500:]
    assert time.monotonic() - started < 30  # pytest was told, it did not sleep its 60 s out
    url = (reports / "reference-server.log").read_text().splitlines()[0].rsplit(" ", 1)[-1]
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/tenant", timeout=2)
    assert_interrupted_summary(reports, 143)


def start_and_wait_for_tests(command: list[str], reports: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start the runner in a session of its own and return once pytest has collected (tests are running)."""
    runner = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not (reports / ".caldasa" / "collected.json").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    return runner


def assert_interrupted_summary(reports: Path, exit_code: int) -> None:
    """A stopped run still leaves summary.json/md and junit.xml, marked as interrupted, never conformant."""
    summary = json.loads((reports / "summary.json").read_text())
    assert summary["exit_code"] == exit_code
    assert (reports / "summary.md").read_text().count("INTERRUPTED") == 1
    assert (reports / "junit.xml").exists()

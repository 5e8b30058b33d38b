"""`caldasa-conformance report` renders the Allure HTML with the Allure 3 CLI, and serves it on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import TOKEN, clean_env

PROJECT = Path(__file__).resolve().parents[2]
needs_allure = pytest.mark.skipif(
    not (PROJECT / "node_modules" / ".bin" / "allure").is_file() and shutil.which("allure") is None,
    reason="Allure 3 CLI not installed (npm ci installs it from package.json)",
)


def test_report_without_results_exits_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("report", "--report-dir", str(tmp_path / "nothing"))
    assert result.code == 2
    assert "run caldasa-conformance run first" in result.stderr


def _check_in_headless_chromium(index: Path, profile: Path) -> None:
    """What a person sees: the failed test, under its class and operation (skipped without Chromium)."""
    browser = next(
        (shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None
    )
    if browser is None:
        return
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        # Virtual time only advances while the page is idle, so a loaded machine needs no more than this.
        "--virtual-time-budget=30000",
        "--dump-dom",
    ]
    dom = subprocess.run(
        [browser, *flags, index.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    for expected in ("test_errors_maybe_fail", "errors", "listCustomers", "Failed"):
        assert expected in dom, expected


@needs_allure
def test_single_file_report_and_serve(
    run_cli, fake_target: str, stand_in_suite: Path, tmp_path: Path
) -> None:
    env = clean_env(CALDASA_TOKEN=TOKEN, FAKE_FAIL="1")
    reports = run_cli(
        "run", "--base-url", fake_target, "--suite-path", str(stand_in_suite), env=env
    ).report_dir
    result = run_cli("report", "--report-dir", str(reports), "--single-file", env=clean_env(), timeout=300)
    assert result.code == 0, result.stderr
    index = reports / "allure-report" / "index.html"
    assert f"Allure report: {index}" in result.stdout
    assert index.stat().st_size > 10_000
    assert (reports / "history.jsonl").is_file()  # trends for the next render
    _check_in_headless_chromium(index, tmp_path / "chromium-profile")
    server = subprocess.Popen(
        [sys.executable, "-m", "caldasa_conformance.cli", "report", "--report-dir", str(reports), "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(2)]
        url = next(line for line in lines if "served on" in line).split("served on ")[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url, timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(10)

"""The reports of a run: complete, consistent with JUnit, labelled, and free of tokens."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from tests.cli.conftest import TOKEN, CliResult, clean_env, invoke, write_stand_in_suite


def _junit_counts(path: Path) -> dict[str, int]:
    counts = {"passed": 0, "failed": 0, "skipped": 0, "xfailed": 0}
    for case in ET.parse(path).getroot().iter("testcase"):
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            counts["failed"] += 1
        elif skipped is not None:
            counts["xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"] += 1
        else:
            counts["passed"] += 1
    return counts


def _files_containing(directory: Path, needle: str) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file() and needle.encode() in path.read_bytes()]


@pytest.fixture(scope="module")
def failing_run(fake_target: str, tmp_path_factory: pytest.TempPathFactory) -> CliResult:
    """One run with a failing test, shared by the tests that inspect its reports."""
    directory = tmp_path_factory.mktemp("failing-run")
    suite = write_stand_in_suite(directory)
    env = clean_env(
        CALDASA_TOKEN=TOKEN, FAKE_FAIL="1", GITHUB_STEP_SUMMARY=str(directory / "step-summary.md")
    )
    return invoke(
        "run", "--base-url", fake_target, "--suite-path", str(suite), "--seed", "42", cwd=directory, env=env
    )


def test_summary_counts_match_junit(failing_run) -> None:
    summary = failing_run.summary()
    junit = _junit_counts(failing_run.report_dir / "junit.xml")
    assert summary["counts"] == junit == {"passed": 4, "failed": 1, "skipped": 2, "xfailed": 0}
    assert summary["classes"]["schema"] == {"passed": 3, "failed": 0, "skipped": 0, "xfailed": 0}
    assert summary["classes"]["bookings"]["skipped"] == 1
    assert summary["classes"]["tenancy"]["skipped"] == 1  # no second token
    assert summary["seed"] == 42
    assert summary["exit_code"] == 1
    assert isinstance(summary["duration_s"], float)
    assert summary["requests"] == 0


@pytest.mark.parametrize("call_fails", [True, False], ids=["call-and-teardown-fail", "teardown-fails"])
def test_a_test_whose_teardown_fails_is_one_failed_test_in_every_report(
    fake_target: str, tmp_path: Path, call_fails: bool
) -> None:
    """pytest's junit.xml gives a test whose call and teardown both fail two testcases (one failure, one
    error): summary.json, summary.md, the console and the progress lines count and list it once."""
    suite = write_stand_in_suite(tmp_path)
    call = {"FAKE_FAIL": "1"} if call_fails else {}
    env = clean_env(CALDASA_TOKEN=TOKEN, FAKE_TEARDOWN_ERROR="1", **call)
    result = invoke("run", "--base-url", fake_target, "--suite-path", str(suite), cwd=tmp_path, env=env)
    failing = "suite.test_stand_in::test_errors_maybe_fail"
    summary = result.summary()
    assert summary["counts"] == {"passed": 4, "failed": 1, "skipped": 2, "xfailed": 0}
    assert [failure["test"] for failure in summary["failures"]] == [failing]
    junit = ET.parse(result.report_dir / "junit.xml").getroot()
    failed_ids = {
        (case.get("classname"), case.get("name"))
        for case in junit.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    }
    assert len(failed_ids) == summary["counts"]["failed"]
    markdown = (result.report_dir / "summary.md").read_text(encoding="utf-8")
    assert markdown.count(failing) == result.stdout.count(failing) == 1, result.stdout[-2000:]
    assert "[caldasa] errors            done  1 failed" in result.stdout
    assert "tests: 4 passed, 1 failed, 2 skipped" in result.stdout


def test_every_requirement_has_a_status(failing_run) -> None:
    from caldasa_conformance.requirements import load_requirements

    statuses = failing_run.summary()["requirements"]
    assert set(load_requirements()) <= set(statuses)
    assert (statuses["S1"], statuses["S4"], statuses["B2"], statuses["T1"]) == (
        "verified",
        "failed",
        "unverified",
        "unverified",
    )


def test_every_report_file_is_written(failing_run) -> None:
    reports = failing_run.report_dir
    for name in (
        "junit.xml",
        "summary.md",
        "summary.json",
        "allure-results/categories.json",
        "allure-results/environment.properties",
        "allure-results/executor.json",
    ):
        assert (reports / name).is_file(), name
    environment = (reports / "allure-results" / "environment.properties").read_text()
    assert "target = http://127.0.0.1" in environment
    assert "spec_version = " in environment
    assert "suite_version = " in environment
    categories = [
        entry["name"] for entry in json.loads((reports / "allure-results/categories.json").read_text())
    ]
    assert any("Schema" in name for name in categories)
    assert any("Transport" in name for name in categories)
    assert "NOT CONFORMANT" in (reports.parent / "step-summary.md").read_text()


def test_allure_results_carry_class_operation_requirement_and_severity(failing_run) -> None:
    results = [
        json.loads(path.read_text())
        for path in (failing_run.report_dir / "allure-results").glob("*-result.json")
    ]
    failed = next(result for result in results if result["status"] == "failed")
    labels = {(label["name"], label["value"]) for label in failed["labels"]}
    assert {
        ("epic", "errors"),
        ("story", "listCustomers"),
        ("requirement", "S4"),
        ("severity", "critical"),
    } <= labels
    assert ("feature", "Customers") in labels


def test_no_report_file_contains_the_token(failing_run) -> None:
    assert _files_containing(failing_run.report_dir, TOKEN) == []


def test_a_token_in_a_report_fails_the_run(run_cli, fake_target: str, stand_in_suite: Path) -> None:
    result = run_cli(
        "run",
        "--base-url",
        fake_target,
        "--suite-path",
        str(stand_in_suite),
        env=clean_env(CALDASA_TOKEN=TOKEN, FAKE_LEAK="1"),
    )
    assert result.code == 1
    assert "token in use appears" in result.stderr
    assert result.summary()["secret_leaks"]


def test_stale_results_are_cleared_and_history_kept(run_cli, fake_target: str, stand_in_suite: Path) -> None:
    reports = run_cli(
        "run",
        "--base-url",
        fake_target,
        "--suite-path",
        str(stand_in_suite),
        env=clean_env(CALDASA_TOKEN=TOKEN),
    ).report_dir
    (reports / "allure-results" / "stale-result.json").write_text("{}")
    (reports / "allure-report" / "history").mkdir(parents=True)
    (reports / "allure-report" / "history" / "history-trend.json").write_text("[]")
    (reports / "history.jsonl").write_text("{}\n")
    run_cli(
        "run",
        "--base-url",
        fake_target,
        "--suite-path",
        str(stand_in_suite),
        env=clean_env(CALDASA_TOKEN=TOKEN),
    )
    assert not (reports / "allure-results" / "stale-result.json").exists()
    assert (reports / "allure-results" / "history" / "history-trend.json").is_file()
    assert (reports / "history.jsonl").is_file()


def test_embedded_reference_server_run(run_cli, stand_in_suite: Path) -> None:
    result = run_cli("run", "--suite-path", str(stand_in_suite), "--workers", "2")
    assert result.code == 0, result.stderr + result.stdout
    summary = result.summary()
    assert summary["profile"] == "reference"
    assert summary["counts"]["passed"] == 6
    assert "[caldasa] schema" in result.stdout  # progress per class
    url = summary["target"]
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/tenant", timeout=2)  # the server was stopped
    log = (result.report_dir / "reference-server.log").read_text()
    assert "Caldasa reference server on" in log


def test_progress_lines_stand_alone_without_pytest_dots(failing_run) -> None:
    lines = failing_run.stdout.splitlines()
    progress = [line for line in lines if line.startswith("[caldasa] ")]
    assert progress, failing_run.stdout[-1500:]
    interleaved = [line for line in lines if "[caldasa]" in line and not line.startswith("[caldasa] ")]
    dots = [line for line in lines if line.strip() and set(line.strip()) <= set(".FsxEX[]0123456789% ")]
    assert not interleaved, failing_run.stdout[-1500:]
    assert not dots, failing_run.stdout[-1500:]


def test_the_closing_hint_names_a_report_that_opens_from_a_file(failing_run) -> None:
    assert "caldasa-conformance report --single-file" in failing_run.stdout

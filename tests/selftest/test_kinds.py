"""The self-test says which kind of test killed each fault; `--generative-only` deselects the fixed ones."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from caldasa_conformance.kinds import FIXED, GENERATIVE, test_kind
from caldasa_conformance.selftest import selftest as selftest_module
from caldasa_conformance.selftest.detection import kinds_of_tests
from caldasa_conformance.selftest.execute import RunRequest, RunResult, run_command
from caldasa_conformance.selftest.faults import Fault
from caldasa_conformance.selftest.selftest import (
    GENERATIVE_ONLY_ARGS,
    SelftestOptions,
    kill_rates,
    render_matrix,
    selftest,
)
from caldasa_conformance.workflows.catalog import CatalogLifecycle

JUNIT = """<testsuites><testsuite>
<testcase classname="suites.catalog.test_catalog_lifecycle.TestCatalogLifecycle" name="runTest">
  <properties><property name="caldasa_kind" value="generative"/></properties>
  <failure message="Requirement: T7">Requirement: T7</failure></testcase>
<testcase classname="suites.http.test_create_delete" name="test_delete">
  <properties><property name="caldasa_kind" value="fixed"/></properties>
  <failure message="Requirement: T7">Requirement: T7</failure></testcase>
</testsuite></testsuites>"""


def test_machines_and_hypothesis_tests_are_generative_and_the_rest_fixed() -> None:
    assert test_kind(SimpleNamespace(obj=SimpleNamespace(is_hypothesis_test=True), cls=None)) == GENERATIVE
    machine = SimpleNamespace(obj=None, cls=CatalogLifecycle.TestCase)
    assert test_kind(machine) == GENERATIVE
    assert test_kind(SimpleNamespace(obj=lambda: None, cls=None)) == FIXED


def test_the_kinds_of_failed_tests_come_from_the_junit_property(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(JUNIT, encoding="utf-8")
    assert kinds_of_tests(junit) == {
        "suites.catalog.test_catalog_lifecycle.TestCatalogLifecycle::runTest": "generative",
        "suites.http.test_create_delete::test_delete": "fixed",
    }
    assert kinds_of_tests(tmp_path / "missing.xml") == {}


def test_kill_rates_count_faults_killed_at_all_and_by_a_generative_test() -> None:
    faults = {
        "a": {"detected": True, "killed_by": {"x": "generative", "y": "fixed"}},
        "b": {"detected": True, "killed_by": {"y": "fixed"}},
        "c": {"detected": False, "killed_by": {}},
    }
    assert kill_rates(faults) == {"any": "2/3", "generative": "1/3"}


def test_generative_only_passes_the_deselecting_plugin_to_fault_runs_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_command(RunRequest(Path("/r"), 1, "smoke", pytest_args=("-p", "x")))[-3:] == ["--", "-p", "x"]
    monkeypatch.setattr(selftest_module, "list_faults", lambda: [Fault("tenant-leak", "T1", "")])
    monkeypatch.setattr(selftest_module, "list_variants", lambda: [])
    seen: list[RunRequest] = []

    def run(request: RunRequest) -> RunResult:
        seen.append(request)
        (request.report_dir).mkdir(parents=True, exist_ok=True)
        (request.report_dir / "junit.xml").write_text(
            JUNIT.replace("Requirement: T7", "Requirement: T1"), encoding="utf-8"
        )
        failures = [{"test": "suites.http.test_create_delete::test_delete", "requirements": ["T1"]}]
        summary: dict[str, Any] = {"counts": {"failed": 0}, "failures": failures if request.faults else []}
        return RunResult(request, 1 if request.faults else 0, summary, 1.0)

    options = SelftestOptions(
        seeds=1, seed=3, report_dir=tmp_path / "runs", json_path=tmp_path / "s.json", generative_only=True
    )
    code, report = selftest(options, run)
    assert code == 0
    clean, fault = seen
    assert clean.pytest_args == ()
    assert fault.pytest_args == GENERATIVE_ONLY_ARGS
    assert report["faults"]["tenant-leak"]["killed_by"] == {
        "suites.http.test_create_delete::test_delete": "fixed"
    }
    assert report["kill_rates"] == {"any": "1/1", "generative": "0/1"}
    assert "by a generative test: 0/1 (fixed tests deselected)" in render_matrix(report)


def test_every_state_machine_test_of_the_suites_is_generative() -> None:
    """Each suite's machine TestCase (ours, and the link-driven one built as it runs) is generative."""
    from suites.bookings.test_booking_engine import TestBookingEngine
    from suites.catalog.test_catalog_lifecycle import TestCatalogLifecycle
    from suites.stateful.test_link_driven import TestLinkDrivenWorkflows

    for case in (TestBookingEngine, TestCatalogLifecycle, TestLinkDrivenWorkflows):
        item = SimpleNamespace(obj=case.runTest, cls=case)
        assert test_kind(item) == GENERATIVE, case.__name__

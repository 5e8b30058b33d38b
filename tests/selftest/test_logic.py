"""Selftest logic on fabricated run summaries: detection matching, the report, the verdict, the plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from caldasa_conformance.requirements import load_requirements
from caldasa_conformance.selftest import selftest as selftest_module
from caldasa_conformance.selftest.detection import detect, named_requirements
from caldasa_conformance.selftest.execute import RunRequest, RunResult, run_command
from caldasa_conformance.selftest.faults import Fault, FaultListError, parse_faults
from caldasa_conformance.selftest.plan import (
    CI_SUBSET,
    PlanError,
    budget_for,
    classes_for,
    select_faults,
)
from caldasa_conformance.selftest.selftest import SelftestOptions, render_matrix, selftest

FAULTS = [
    Fault("tenant-leak", "T1", "getCustomer finds customers of any tenant"),
    Fault("auth-bypass", "T2", "unknown tokens accepted"),
]


def _summary(*failures: tuple[str, list[str]]) -> dict[str, Any]:
    return {
        "counts": {"passed": 10, "failed": len(failures), "skipped": 0, "xfailed": 0},
        "requirements": {"T1": "passed", "T2": "passed"},
        "failures": [{"test": test, "requirements": rids, "reason": "x"} for test, rids in failures],
    }


def test_a_failure_naming_the_requirement_detects_the_fault() -> None:
    detection = detect(_summary(("suites.tenancy::test_leak[getCustomer]", ["T1"])), "T1")
    assert detection.detected
    assert detection.by == ["T1"]
    assert detection.tests == ["suites.tenancy::test_leak[getCustomer]"]


def test_a_failure_naming_another_requirement_does_not_count() -> None:
    detection = detect(_summary(("suites.schema::test_generated[GET /customers]", ["S1"])), "T1")
    assert not detection.detected
    assert detection.by == ["S1"]


def test_no_failure_means_not_detected() -> None:
    assert not detect(_summary(), "T1").detected
    assert not detect({}, "T1").detected


def test_by_lists_every_requirement_the_failures_name() -> None:
    summary = _summary(("a", ["S2", "T1"]), ("b", ["S1"]))
    assert detect(summary, "T1").by == ["S1", "S2", "T1"]


def test_a_failure_naming_no_requirement_counts_by_its_error_type_not_by_the_tests_requirements() -> None:
    summary = _summary(("machine::runTest", ["B1", "B2"]))
    summary["failures"][0]["reason"] = "FlakyFailure: Inconsistent results from replaying a test case!"
    detection = detect(summary, "B2", named={"machine::runTest": []})
    assert not detection.detected
    assert detection.by == ["FlakyFailure"]
    assert detect(summary, "B2", named={"machine::runTest": ["B2"]}).detected


def test_the_named_requirements_come_from_the_requirement_line_of_junit(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="suites.tenancy" name="test_leak"><failure message="Data of another tenant">'
        "Received: 200\nRequirement: T1\n</failure></testcase>"
        '<testcase classname="suites.bookings" name="runTest"><failure message="FlakyFailure: x">'
        "trace</failure></testcase>"
        '<testcase classname="suites.http" name="test_ok"/>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    assert named_requirements(junit) == {"suites.tenancy::test_leak": ["T1"], "suites.bookings::runTest": []}
    assert named_requirements(tmp_path / "missing.xml") is None


def test_the_fault_list_parses_the_reference_json() -> None:
    text = json.dumps([{"name": "tenant-leak", "requirement": "T1", "description": "d"}])
    assert parse_faults(text) == [Fault("tenant-leak", "T1", "d")]
    with pytest.raises(FaultListError):
        parse_faults('{"name": 1}')


def test_the_plan_runs_the_requirement_class_and_selects_subsets() -> None:
    requirements = load_requirements()
    assert classes_for(FAULTS[0], requirements) == ("tenancy",)
    assert classes_for(Fault("x", "NOPE", ""), requirements)  # unknown requirement: whole suite
    assert [fault.name for fault in select_faults(FAULTS, ["auth-bypass"])] == ["auth-bypass"]
    with pytest.raises(PlanError, match="unknown fault"):
        select_faults(FAULTS, ["no-such-fault"])
    with pytest.raises(PlanError, match="unknown subset"):
        select_faults(FAULTS, subset="nightly")
    assert len(CI_SUBSET) == len(set(CI_SUBSET))
    assert select_faults(FAULTS, subset="none") == []  # the clean runs alone


def test_catalog_and_race_faults_run_the_classes_whose_generative_tests_catch_them() -> None:
    requirements = load_requirements()
    assert classes_for(Fault("booking-lock-removed", "B1", ""), requirements) == ("concurrency",)
    assert classes_for(Fault("location-lost-update", "K1", ""), requirements) == ("catalog",)
    assert budget_for(Fault("location-lost-update", "K1", ""), "smoke") == "default"
    assert budget_for(Fault("location-lost-update", "K1", ""), "deep") == "deep"
    assert budget_for(Fault("auth-bypass", "T2", ""), "smoke") == "smoke"


def test_a_sick_transport_s_run_meets_what_schemathesis_sends_itself() -> None:
    """The link-driven test (http) sends through Schemathesis' own transport: a cut body and a gateway page
    must be reported with their cause there too, so their runs include it."""
    requirements = load_requirements()
    for name, requirement in (("truncate-every-n", "S1"), ("gateway-page-every-n", "S4")):
        assert classes_for(Fault(name, requirement, ""), requirements) == ("schema", "http")


def test_the_run_command_carries_classes_faults_seed_and_no_secret() -> None:
    command = run_command(RunRequest(Path("/r/f"), 7, "smoke", ("tenancy",), ("tenant-leak",)))
    assert command[2:4] == ["caldasa_conformance.cli", "run"]
    assert {"--seed=7", "--budget=smoke", "--classes=tenancy", "--reference-fault=tenant-leak"} <= set(
        command
    )


def _fake_runner(summaries: dict[str, dict[str, Any]]) -> Any:
    def run(request: RunRequest) -> RunResult:
        summary = summaries[request.faults[0] if request.faults else "clean"]
        return RunResult(request, 1 if summary["counts"]["failed"] else 0, summary, 1.25)

    return run


def _options(tmp_path: Path, **overrides: Any) -> SelftestOptions:
    settings: dict[str, Any] = {"seeds": 2, "seed": 5, **overrides}
    return SelftestOptions(report_dir=tmp_path / "runs", json_path=tmp_path / "selftest.json", **settings)


def test_selftest_passes_when_clean_and_every_fault_is_detected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest_module, "list_faults", lambda: FAULTS)
    runner = _fake_runner(
        {"clean": _summary(), "tenant-leak": _summary(("t", ["T1"])), "auth-bypass": _summary(("a", ["T2"]))}
    )
    code, report = selftest(_options(tmp_path), runner)
    assert code == 0
    assert json.loads((tmp_path / "selftest.json").read_text()) == report
    assert report["clean"]["runs"] == 2
    assert report["clean"]["failed"] == 0
    assert report["seeds"] == [5, 6]
    entry = report["faults"]["tenant-leak"]
    assert entry["requirement"] == "T1"
    assert entry["detected"]
    assert entry["by"] == ["T1"]
    assert entry["seconds"] == 1.2 or entry["seconds"] == 1.3
    matrix = render_matrix(report)
    assert "tenant-leak" in matrix
    assert "yes" in matrix
    assert "NO" not in matrix


def test_selftest_fails_on_a_false_positive_or_a_missed_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest_module, "list_faults", lambda: FAULTS)
    runner = _fake_runner(
        {
            "clean": _summary(("flaky", ["S1"])),
            "tenant-leak": _summary(("s", ["S1"])),
            "auth-bypass": _summary(),
        }
    )
    code, report = selftest(_options(tmp_path), runner)
    assert code == 1
    assert report["clean"]["failed"] == 2  # one failed test in each of the two clean runs
    assert not report["faults"]["tenant-leak"]["detected"]
    assert report["faults"]["tenant-leak"]["by"] == ["S1"]
    assert not report["faults"]["auth-bypass"]["detected"]
    assert "NO" in render_matrix(report)


def test_a_run_without_verdict_is_neither_clean_nor_a_detection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest_module, "list_faults", lambda: FAULTS[:1])

    def timed_out(request: RunRequest) -> RunResult:
        return RunResult(request, None, {}, 900.0)

    code, report = selftest(_options(tmp_path, seeds=1), timed_out)
    assert code == 1
    assert report["clean"]["failed"] == 1
    assert "timed out" in report["faults"]["tenant-leak"]["error"]


def test_the_variant_matrix_runs_the_whole_suite_per_variant_and_fails_on_any_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftest_module, "list_faults", lambda: FAULTS)
    monkeypatch.setattr(selftest_module, "list_variants", lambda: ["gzip", "uuid-v7", "chunked"])
    seen: list[RunRequest] = []

    def run(request: RunRequest) -> RunResult:
        seen.append(request)
        summary = (
            _summary(("tests/x.py::t", ["H1"]))
            if request.server_args == ("--variant=uuid-v7",)
            else _summary()
        )
        return RunResult(request, 1 if summary["counts"]["failed"] else 0, summary, 2.0)

    code, report = selftest(
        _options(tmp_path, seeds=1, subset="none", variant_names=("uuid-v7", "gzip")), run
    )
    assert code == 1
    assert list(report["variants"]) == ["gzip", "uuid-v7"]  # registry order
    assert report["variants"]["gzip"] == {
        "passed": True,
        "failures": [],
        "seconds": 2.0,
        "budget": "default",
        "error": None,
        "report_dir": str(tmp_path / "runs" / "variant-gzip"),
    }
    assert not report["variants"]["uuid-v7"]["passed"]
    assert report["variants"]["uuid-v7"]["failures"] == ["tests/x.py::t"]
    variant_runs = [request for request in seen if request.server_args]
    assert {request.classes for request in variant_runs} == {()}  # the whole suite
    assert "uuid-v7  NO" in render_matrix(report)


def test_the_ci_subset_names_at_least_four_known_variants() -> None:
    from caldasa_conformance.selftest.faults import list_variants
    from caldasa_conformance.selftest.plan import CI_VARIANTS, PlanError, select_variants

    assert len(CI_VARIANTS) >= 4
    assert select_variants(list_variants(), subset="ci") == [v for v in list_variants() if v in CI_VARIANTS]
    with pytest.raises(PlanError, match="unknown variant"):
        select_variants(["gzip"], ["gzip", "nope"])


def test_a_sick_transport_counts_as_detected_only_when_every_failure_gives_its_cause() -> None:
    """The unwell faults must be reported as the transport's fault, not charged to the rule a test was on."""
    fault = Fault("gateway-page-every-n", "S4", "every 20th answer is a gateway's HTML 502 page")
    page = "received A server error page instead of an API answer: GET /x answered 502 text/html"
    honest = {"failures": [{"test": "t1", "requirements": ["S4", "T6"], "reason": page}]}
    charged = {
        "failures": [
            *honest["failures"],
            {"test": "t2", "requirements": ["B2"], "reason": "listBookings differs from the model"},
        ]
    }
    assert selftest_module.misreported_failures(fault, honest) == []
    assert selftest_module.misreported_failures(fault, charged) == ["t2"]
    other = Fault("double-booking-staff", "B1", "")
    # A business fault may break several rules: only the unwell faults are held to their cause.
    assert selftest_module.misreported_failures(other, charged) == []

"""`caldasa-conformance selftest`: clean reference runs over several seeds, the fault kill matrix
(sensitivity) and the variant matrix (specificity).

Verdict: exit 0 only when every clean run passed without a failure (a false positive is a bug of the suite),
every selected fault was detected by a failure naming the requirement it breaks, and the whole suite passed
against every selected legal variant of the reference server (a correct server that chose differently where
the contract allows it); otherwise 1.
"""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caldasa_conformance.requirements import load_requirements
from caldasa_conformance.runner.errors import ExitCode
from caldasa_conformance.selftest.detection import count_failed, detect, kinds_of_tests, named_requirements
from caldasa_conformance.selftest.execute import RunRequest, RunResult, execute
from caldasa_conformance.selftest.faults import Fault, list_faults, list_variants
from caldasa_conformance.selftest.plan import (
    SERVER_ARGS,
    UNWELL_CAUSES,
    budget_for,
    classes_for,
    select_faults,
    select_variants,
)

Executor = Callable[[RunRequest], RunResult]


@dataclass(frozen=True)
class SelftestOptions:
    """What `selftest` runs and where it writes."""

    seeds: int = 3
    seed: int | None = None  # first seed; the clean runs use seed, seed+1, ...
    fault_names: tuple[str, ...] | None = None
    subset: str | None = None  # names both a fault subset and a variant subset
    variant_names: tuple[str, ...] | None = None  # None: every variant (or the subset's)
    variant_budget: str = "default"  # the specificity matrix: the full suite at the default budget
    report_dir: Path = Path("reports/selftest")
    json_path: Path = Path("reports/selftest.json")
    budget: str = "smoke"
    jobs: int = 2
    run_timeout: float = 900.0
    generative_only: bool = False  # fault runs without the fixed tests (`generative_only` plugin)


GENERATIVE_ONLY_ARGS = ("-p", "caldasa_conformance.generative_only")


def _say(message: str) -> None:
    print(f"selftest: {message}", file=sys.stderr, flush=True)


def clean_requests(options: SelftestOptions, first_seed: int) -> list[RunRequest]:
    """One whole-suite run per seed against the fault-free server."""
    return [
        RunRequest(
            options.report_dir / f"clean-{first_seed + index}",
            first_seed + index,
            options.budget,
            timeout=options.run_timeout,
        )
        for index in range(options.seeds)
    ]


def fault_request(options: SelftestOptions, fault: Fault, classes: tuple[str, ...], seed: int) -> RunRequest:
    """The relevant classes only, with the fault switched on."""
    return RunRequest(
        options.report_dir / f"fault-{fault.name}",
        seed,
        budget_for(fault, options.budget),
        classes=classes,
        faults=(fault.name,),
        timeout=options.run_timeout,
        server_args=SERVER_ARGS.get(fault.name, ()),
        pytest_args=GENERATIVE_ONLY_ARGS if options.generative_only else (),
    )


def variant_request(options: SelftestOptions, variant: str, seed: int) -> RunRequest:
    """The whole suite against a reference server with the legal variant `variant` switched on, as a staging
    target: another correct server, which need not follow the reference's policies (`policy`)."""
    return RunRequest(
        options.report_dir / f"variant-{variant}",
        seed,
        options.variant_budget,
        timeout=options.run_timeout,
        server_args=(f"--variant={variant}",),
        profile="staging",
    )


def variant_entry(result: RunResult) -> dict[str, Any]:
    """`variants[name]`: passed (no failure, and a verdict), failures (test ids), seconds."""
    failures = [str(failure.get("test")) for failure in result.summary.get("failures", [])]
    failed = count_failed(result.summary) if result.error is None else 1
    return {
        "passed": result.error is None and failed == 0,
        "failures": failures,
        "seconds": round(result.seconds, 1),
        "budget": result.request.budget,
        "error": result.error,
        "report_dir": str(result.request.report_dir),
    }


def clean_entry(results: Sequence[RunResult]) -> dict[str, Any]:
    """`clean{runs, failed}`: failed tests over all runs (a run without a verdict counts as 1)."""
    failed = [count_failed(result.summary) if result.error is None else 1 for result in results]
    details: list[dict[str, Any]] = [
        {
            "seed": result.request.seed,
            "exit_code": result.exit_code,
            "failed": failed_tests,
            "failures": [failure.get("test") for failure in result.summary.get("failures", [])],
            "error": result.error,
            "seconds": round(result.seconds, 1),
            "report_dir": str(result.request.report_dir),
        }
        for result, failed_tests in zip(results, failed, strict=True)
    ]
    return {
        "runs": len(results),
        "failed": sum(failed),
        "details": details,
    }


def fault_entry(fault: Fault, result: RunResult) -> dict[str, Any]:
    """`faults[name]`: requirement, detected, by (requirement ids the failures named), seconds."""
    junit = result.request.report_dir / "junit.xml"
    detection = detect(result.summary, fault.requirement, named_requirements(junit))
    kinds = kinds_of_tests(junit)
    misreported = misreported_failures(fault, result.summary)
    return {
        "requirement": fault.requirement,
        "detected": detection.detected and result.error is None and not misreported,
        "misreported": misreported,
        "by": detection.by,
        "seconds": round(result.seconds, 1),
        "classes": list(result.request.classes),
        "budget": result.request.budget,
        "tests": detection.tests,
        "killed_by": {test: kinds.get(test) or "unknown" for test in detection.tests},
        "error": result.error,
        "report_dir": str(result.request.report_dir),
    }


def misreported_failures(fault: Fault, summary: dict[str, Any]) -> list[str]:
    """The failing tests of an unwell-transport fault's run that do not give the transport as their cause
    (each would charge a business rule with the target's sickness)."""
    cause = UNWELL_CAUSES.get(fault.name)
    if cause is None:
        return []
    failures = summary.get("failures", [])
    said = [(str(f.get("test")), f"{f.get('title', '')} {f.get('reason', '')}") for f in failures]
    return [test for test, text in said if cause not in text]


def kill_rates(faults: dict[str, Any]) -> dict[str, str]:
    """Faults detected at all, and by at least one generative test (a state machine or Schemathesis)."""
    total = len(faults)
    detected = [entry for entry in faults.values() if entry["detected"]]
    generative = [e for e in detected if "generative" in e.get("killed_by", {}).values()]
    return {"any": f"{len(detected)}/{total}", "generative": f"{len(generative)}/{total}"}


def verdict(report: dict[str, Any]) -> int:
    clean_ok = report["clean"]["failed"] == 0
    faults_ok = all(entry["detected"] for entry in report["faults"].values())
    variants_ok = all(entry["passed"] for entry in report.get("variants", {}).values())
    return ExitCode.OK if clean_ok and faults_ok and variants_ok else ExitCode.VIOLATIONS


def render_matrix(report: dict[str, Any]) -> str:
    """The kill matrix as a plain-text table, then the clean-run line."""
    rows = [("fault", "requirement", "detected", "by", "seconds")]
    for name, entry in report["faults"].items():
        by = ",".join(entry["by"]) or (entry["error"] and "(no verdict)") or "-"
        if entry.get("misreported"):  # a sick transport charged to a rule: not detected as what it is
            by += f" ({len(entry['misreported'])} failures without the transport's cause)"
        rows.append(
            (name, entry["requirement"], "yes" if entry["detected"] else "NO", by, f"{entry['seconds']}")
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    clean = report["clean"]
    lines.append("")
    lines.append(f"clean runs: {clean['runs']} (seeds {report['seeds']}), failed tests: {clean['failed']}")
    rates = kill_rates(report["faults"])
    only = " (fixed tests deselected)" if report.get("generative_only") else ""
    lines.append(f"killed: {rates['any']}; by a generative test: {rates['generative']}{only}")
    variants = report.get("variants", {})
    if variants:
        lines += ["", render_variants(variants)]
    return "\n".join(lines)


def render_variants(variants: dict[str, Any]) -> str:
    """The specificity matrix: one row per legal variant, passed or the failing tests."""
    rows = [("variant", "passed", "failures", "seconds")]
    for name, entry in variants.items():
        failures = ", ".join(entry["failures"][:3]) + (" …" if len(entry["failures"]) > 3 else "")
        rows.append(
            (
                name,
                "yes" if entry["passed"] else "NO",
                failures or (entry["error"] and "(no verdict)") or "-",
                f"{entry['seconds']}",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def selftest(options: SelftestOptions, runner: Executor = execute) -> tuple[int, dict[str, Any]]:
    """Run the self-test; return the exit code and the report written to `options.json_path`."""
    first_seed = options.seed if options.seed is not None else secrets.randbelow(2**31 - 100)
    requirements = load_requirements()
    faults = select_faults(list_faults(), options.fault_names, options.subset)
    # Naming faults picks runs by hand: then only the variants named too (as with --subset none).
    variant_names = options.variant_names
    if variant_names is None and options.fault_names is not None:
        variant_names = ()
    variants = select_variants(list_variants(), variant_names, options.subset)
    plans = [(fault, classes_for(fault, requirements)) for fault in faults]
    requests = (
        clean_requests(options, first_seed)
        + [fault_request(options, fault, classes, first_seed) for fault, classes in plans]
        + [variant_request(options, variant, first_seed) for variant in variants]
    )
    _say(
        f"{options.seeds} clean run(s) from seed {first_seed}, {len(faults)} fault run(s), "
        f"budget {options.budget}, {len(variants)} variant run(s), budget {options.variant_budget}, "
        f"{options.jobs} at a time; logs under {options.report_dir}/"
    )
    results = _run_all(requests, runner, options.jobs)
    fault_results = results[options.seeds : options.seeds + len(plans)]
    report: dict[str, Any] = {
        "seeds": [request.seed for request in requests[: options.seeds]],
        "budget": options.budget,
        "generative_only": options.generative_only,
        "clean": clean_entry(results[: options.seeds]),
        "faults": {
            fault.name: fault_entry(fault, result)
            for (fault, _), result in zip(plans, fault_results, strict=True)
        },
        "variants": {
            variant: variant_entry(result)
            for variant, result in zip(variants, results[options.seeds + len(plans) :], strict=True)
        },
    }
    report["kill_rates"] = kill_rates(report["faults"])
    code = verdict(report)
    report["exit_code"] = code
    options.json_path.parent.mkdir(parents=True, exist_ok=True)
    options.json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return code, report


def _run_all(requests: Sequence[RunRequest], runner: Executor, jobs: int) -> list[RunResult]:
    def one(request: RunRequest) -> RunResult:
        result = runner(request)
        outcome = result.error or f"exit {result.exit_code}, {count_failed(result.summary)} failed"
        _say(f"{request.report_dir.name}: {outcome} ({result.seconds:.0f}s)")
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, requests))

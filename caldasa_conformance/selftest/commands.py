"""The `selftest` and `coverage` subcommands of `caldasa-conformance` (registered by cli.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from caldasa_conformance.config import BUDGETS
from caldasa_conformance.runner.errors import ExitCode
from caldasa_conformance.runner.options import UsageError


def add_selftest(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        "selftest",
        help="prove the suite: clean reference runs, then every fault detected",
        description="Run the suite against the clean reference server over several seeds (no failure "
        "allowed), then each reference fault with the classes that must detect it; print the kill matrix "
        "and write it as JSON. Exit 0 only when the clean runs are clean and every fault is detected.",
    )
    parser.add_argument("--seeds", type=int, default=5, help="clean runs, one per seed (default: 5)")
    parser.add_argument("--seed", type=int, help="first seed (default: random, recorded in the JSON)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--faults", help="comma-separated fault names (default: every fault)")
    which.add_argument(
        "--subset",
        help="a named subset of faults and variants: ci (one fault per class, four variants), none (the "
        "clean runs alone, unless --variants names some)",
    )
    parser.add_argument(
        "--variants",
        help="comma-separated legal variants of the reference server to run the whole suite against, or "
        "none (default: every variant, those of --subset, or none with --faults)",
    )
    parser.add_argument(
        "--variant-budget",
        choices=BUDGETS,
        default="default",
        help="budget of the variant runs (default: default)",
    )
    parser.add_argument("--report-dir", default="reports/selftest", help="per-run reports and logs")
    parser.add_argument("--json", default="reports/selftest.json", help="where the kill matrix JSON goes")
    parser.add_argument(
        "--budget",
        choices=BUDGETS,
        default="smoke",
        help="budget of the clean runs and of the fault runs (default: smoke)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="runs at the same time (default: 2)")
    parser.add_argument("--run-timeout", type=float, default=900.0, help="seconds before a run is killed")
    parser.set_defaults(handler=run_selftest)


def add_coverage(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        "coverage",
        help="operations and requirements → tests, faults, or exemption",
        description="Collect the suites (no target needed) and print, for every operation and every "
        "requirement, the tests that exercise it and the faults that prove them, or its exemption.",
    )
    parser.add_argument("--json", help="also write the table as JSON to this file")
    parser.add_argument(
        "--selftest-json",
        default="reports/selftest.json",
        help="mark each fault with the verdict of this self-test report, when it exists",
    )
    parser.set_defaults(handler=run_coverage)


def run_selftest(args: argparse.Namespace) -> int:
    from caldasa_conformance.selftest.faults import FaultListError
    from caldasa_conformance.selftest.plan import PlanError
    from caldasa_conformance.selftest.selftest import SelftestOptions, render_matrix, selftest

    if args.seeds < 0 or args.jobs < 1:
        raise UsageError("--seeds must be 0 or more and --jobs at least 1")
    names = _names(args.faults)
    variants = () if args.variants == "none" else _names(args.variants)
    options = SelftestOptions(
        seeds=args.seeds,
        seed=args.seed,
        fault_names=names,
        subset=args.subset,
        variant_names=variants,
        variant_budget=args.variant_budget,
        report_dir=Path(args.report_dir).resolve(),
        json_path=Path(args.json).resolve(),
        budget=args.budget,
        jobs=args.jobs,
        run_timeout=args.run_timeout,
    )
    try:
        code, report = selftest(options)
    except (PlanError, FaultListError) as error:
        raise UsageError(str(error)) from None
    print(render_matrix(report))
    outcome = "passed" if code == ExitCode.OK else "FAILED"
    print(f"\nselftest {outcome}; kill and variant matrices in {args.json}")
    return code


def _names(text: str | None) -> tuple[str, ...] | None:
    """A comma-separated option as names, or None when it is not given."""
    return tuple(name.strip() for name in text.split(",") if name.strip()) if text else None


def run_coverage(args: argparse.Namespace) -> int:
    from caldasa_conformance.selftest.coverage import (
        build_coverage,
        load_kills,
        render_coverage,
        write_coverage,
    )

    table = build_coverage()
    print(render_coverage(table, load_kills(Path(args.selftest_json))))
    if args.json:
        write_coverage(table, Path(args.json))
    return ExitCode.OK if table.complete else ExitCode.VIOLATIONS

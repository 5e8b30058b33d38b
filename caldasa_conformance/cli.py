"""`caldasa-conformance`: the command users run (`run`, `merge`, `report`, `cleanup`, `selftest`, `coverage`).

Exit codes: 0 conformant, 1 violations found, 2 usage or configuration error (one line saying what to fix),
3 target unreachable or credentials rejected, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from caldasa_conformance import __version__
from caldasa_conformance.options import BY_NAME
from caldasa_conformance.runner.cleanup import DEFAULT_MAX_REMOVALS
from caldasa_conformance.runner.errors import ExitCode, UsageError


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (what is wrong, and where to look) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_setting(run: argparse.ArgumentParser, name: str) -> None:
    """A `run` option declared by the plugin's option table (its value reaches pytest as `CALDASA_*`)."""
    option = BY_NAME[name]
    assert option.run_flag is not None
    run.add_argument(
        option.run_flag,
        dest=name,
        choices=option.run_choices,
        metavar=option.metavar,
        help=option.run_help,
    )


def _add_run_only(run: argparse.ArgumentParser, name: str) -> None:
    """A `run` option that is not a plugin setting (it shapes the pytest command or the embedded server)."""
    flags, kwargs = RUN_ONLY[name]
    run.add_argument(*flags, **kwargs)


# `run`'s own options, which the plugin does not have; in `run --help` order below (RUN_ORDER).
RUN_ONLY: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "classes": (
        ("--classes",),
        {"help": "comma-separated conformance classes (default: all of the profile)"},
    ),
    "seed": (
        ("--seed",),
        {"type": int, "help": "Hypothesis seed (default: random, printed and in summary.json)"},
    ),
    "workers": (
        ("--workers",),
        {
            "help": "parallel pytest-xdist workers, or auto: one per CPU, more against a distant target "
            "(sized by its round-trip time; default: env CALDASA_WORKERS, else auto)",
        },
    ),
    "reference_fault": (
        ("--reference-fault",),
        {
            "action": "append",
            "metavar": "NAME",
            "help": "switch on a named fault of the embedded reference server (see caldasa-reference faults)",
        },
    ),
    "reference_rate_limit": (
        ("--reference-rate-limit",),
        {
            "metavar": "RATE",
            "help": "per-token rate limit of the embedded reference server, such as 20/s (default: none)",
        },
    ),
    "strict": (
        ("--strict",),
        {
            "action": "store_true",
            "help": "fail (exit 1) when a MUST requirement stays unverified "
            "(a certification allows no skips)",
        },
    ),
    # the runner's own tests use a stand-in suite
    "suite_path": (("--suite-path",), {"help": argparse.SUPPRESS}),
    "verbose": (("-v", "--verbose"), {"action": "store_true", "help": "show short tracebacks of failures"}),
}
RUN_ORDER = (
    *("base_url", "profile", "classes", "budget", "seed", "workers", "shard", "report_dir", "expectations"),
    *("max_rps", "timeout", "states", "testing_api", "run_tag"),
    *("reference_fault", "reference_rate_limit", "strict"),
    *("webhook_receiver_url", "webhook_receiver_host", "webhook_receiver_port"),
    *("attach", "suite_path", "verbose"),
)


def _add_run(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    run = commands.add_parser(
        "run",
        help="run the suite (against the embedded reference server by default)",
        description="Run the conformance suite and write the reports.",
    )
    for name in RUN_ORDER:
        (_add_setting if name in BY_NAME else _add_run_only)(run, name)
    run.add_argument("pytest_args", nargs="*", metavar="-- PYTEST_ARGS", help="extra arguments for pytest")
    run.set_defaults(handler=_run)


def _add_merge(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    merge = commands.add_parser(
        "merge",
        help="merge the report dirs of --shard runs",
        description="Merge report dirs; exits with the combined verdict.",
    )
    merge.add_argument("report_dirs", nargs="+", metavar="REPORT_DIR")
    merge.add_argument("--into", required=True, metavar="DIR", help="directory for the merged reports")
    merge.add_argument(
        "--allow-partial", action="store_true", help="merge even when shards of the run are missing"
    )
    merge.set_defaults(handler=_merge)


def _add_report(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    report = commands.add_parser(
        "report",
        help="render the Allure HTML report (Allure 3 CLI from npm)",
        description="Render the Allure results of a run into an HTML report with the Allure 3 CLI "
        "(`npm ci` installs it). --single-file writes one index.html that opens from file://; "
        "--serve serves it on 127.0.0.1. The report goes to <report-dir>/allure-report.",
    )
    report.add_argument("--report-dir", default="reports", help="report dir of a run (default: reports)")
    mode = report.add_mutually_exclusive_group()
    mode.add_argument("--serve", action="store_true", help="serve the report on 127.0.0.1 until Ctrl-C")
    mode.add_argument("--single-file", action="store_true", help="write one self-contained index.html")
    report.add_argument("--port", type=int, default=0, help="port for --serve (default: a free one)")
    report.set_defaults(handler=_report)


def _add_cleanup(commands: argparse._SubParsersAction[OneLineParser]) -> None:
    cleanup = commands.add_parser(
        "cleanup",
        help="remove what a run left on a target (its own record, or its run tag)",
        description="Remove what a run created, and nothing else: the entities its report recorded (each "
        "still carrying the run tag), or, without a report, those carrying the run tag as a whole token. "
        "Tokens come from CALDASA_TOKEN and CALDASA_TOKEN_SECONDARY (or their _FILE forms); each tenant "
        "with a token is cleaned.",
    )
    cleanup.add_argument("--run-tag", help="the run tag printed by `run` and in summary.json (cc-xxxxxxxx)")
    cleanup.add_argument(
        "--from-report",
        metavar="DIR",
        type=Path,
        help="remove exactly what the run of this report dir recorded (preferred; gives the run tag)",
    )
    cleanup.add_argument(
        "--base-url",
        default=os.environ.get("CALDASA_BASE_URL"),
        help="target API (default: env CALDASA_BASE_URL)",
    )
    cleanup.add_argument("--dry-run", action="store_true", help="list what would be removed, change nothing")
    cleanup.add_argument("--yes", action="store_true", help="remove more than --max-removals without asking")
    cleanup.add_argument(
        "--max-removals",
        type=int,
        default=DEFAULT_MAX_REMOVALS,
        help=f"ask before removing more than this many per tenant (default: {DEFAULT_MAX_REMOVALS})",
    )
    cleanup.add_argument("--timeout", type=float, default=10.0, help="timeout per request in seconds")
    cleanup.set_defaults(handler=_cleanup)


def build_parser() -> OneLineParser:
    """The argument parser of `caldasa-conformance`."""
    parser = OneLineParser(
        prog="caldasa-conformance", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser
    )
    from caldasa_conformance.selftest.commands import add_coverage, add_selftest

    for add in (_add_run, _add_merge, _add_report, _add_cleanup, add_selftest, add_coverage):
        add(commands)
    return parser


def _run(args: argparse.Namespace) -> int:
    from caldasa_conformance.runner.cleanup_command import run_cleanup_after_interrupt
    from caldasa_conformance.runner.options import options_from_args
    from caldasa_conformance.runner.run import run
    from caldasa_conformance.runner.session import Terminated, raise_terminated

    options = options_from_args(args)
    signal.signal(signal.SIGTERM, raise_terminated)
    try:
        return run(options)
    except KeyboardInterrupt as interrupt:
        print("\ncaldasa-conformance: interrupted", file=sys.stderr)
        if options.base_url:
            run_cleanup_after_interrupt(
                options.base_url, options.run_tag, options.report_dir, options.timeout or 10.0
            )
        return ExitCode.TERMINATED if isinstance(interrupt, Terminated) else ExitCode.INTERRUPTED


def _merge(args: argparse.Namespace) -> int:
    from caldasa_conformance.reporting.summary import render_markdown, render_table, verdict
    from caldasa_conformance.runner.merge import merge
    from caldasa_conformance.runner.run import append_step_summary

    merged = merge(
        [Path(directory) for directory in args.report_dirs], Path(args.into), allow_partial=args.allow_partial
    )
    append_step_summary(render_markdown(merged))
    print(render_table(merged["classes"]))
    if merged.get("missing_shards"):
        print(f"\nPartial: shards {', '.join(merged['missing_shards'])} are missing from this report.")
    print(f"\n{verdict(merged)}\nMerged reports in {args.into}/")
    return int(merged["exit_code"])


def _report(args: argparse.Namespace) -> int:
    from caldasa_conformance.runner.html import render, serve

    index = render(Path(args.report_dir).resolve(), single_file=bool(args.single_file))
    print(f"Allure report: {index}")
    if not args.serve and not args.single_file:
        print("(a multi-file report: host it, or view it with --serve; --single-file opens from disk)")
    if args.serve:
        serve(index.parent, args.port)
    return ExitCode.OK


def _cleanup(args: argparse.Namespace) -> int:
    from caldasa_conformance.runner.cleanup_command import CleanupRequest, run_cleanup

    if not args.base_url:
        raise UsageError("cleanup needs the target: pass --base-url URL or set CALDASA_BASE_URL")
    request = CleanupRequest(
        base_url=args.base_url,
        run_tag=args.run_tag,
        from_report=args.from_report,
        dry_run=args.dry_run,
        assume_yes=args.yes,
        max_removals=args.max_removals,
        timeout=args.timeout,
    )
    return run_cleanup(request)


def _dispatch(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from caldasa_conformance.runner.errors import RunAborted
    from caldasa_conformance.runner.run import say

    try:
        return handler(args)
    except UsageError as error:
        say(str(error))
        return ExitCode.USAGE
    except RunAborted as error:
        say(str(error))
        return error.code
    except KeyboardInterrupt:
        say("interrupted")
        return ExitCode.INTERRUPTED


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `caldasa-conformance` console script."""
    args = build_parser().parse_args(argv)
    return _dispatch(args.handler, args)


if __name__ == "__main__":
    sys.exit(main())

"""`caldasa-conformance run`: probe or start the target, run pytest, write the reports, give the verdict."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from caldasa_conformance import __version__
from caldasa_conformance.redaction import redact, register_secret
from caldasa_conformance.reporting import allure_extras, summary
from caldasa_conformance.reporting.files import write_json, write_text
from caldasa_conformance.reporting.junit import read_outcomes
from caldasa_conformance.reporting.run_files import RUNNER_LEFTOVERS, leftovers_breakdown, run_totals
from caldasa_conformance.requirements import Requirement, load_requirements
from caldasa_conformance.runner.cleanup import make_client, read_created_logs, tagged_customers
from caldasa_conformance.runner.embedded import EmbeddedServer, EmbeddedServerError
from caldasa_conformance.runner.errors import ExitCode, RunAborted, from_pytest
from caldasa_conformance.runner.merge import run_id_of
from caldasa_conformance.runner.options import AUTO_WORKERS, RunOptions, Tokens, tokens_from_env
from caldasa_conformance.runner.probe import TargetUnavailable, probe, resolve_testing_api
from caldasa_conformance.runner.reportdir import clear_stale, find_secrets
from caldasa_conformance.runner.session import (
    Target,
    Terminated,
    pytest_command,
    pytest_environment,
    run_pytest,
)
from caldasa_conformance.runner.sizing import auto_workers, measure_rtt
from caldasa_conformance.runner.verdict import settle

PROBE_TIMEOUT = 10.0


def say(message: str) -> None:
    """Print a runner line to stderr (stdout belongs to pytest's output)."""
    print(f"caldasa-conformance: {redact(message)}", file=sys.stderr, flush=True)


def _embedded_target(options: RunOptions, stack: ExitStack) -> Target:
    """Start the reference server (stopped, and its log saved, when `stack` closes)."""
    extra = [f"--fault={name}" for name in options.reference_faults]
    if options.reference_rate_limit:
        extra.append(f"--rate-limit={options.reference_rate_limit}")
    server = EmbeddedServer(extra_args=tuple(extra))
    stack.callback(_stop_server, server, options.report_dir)
    try:
        url = server.start()
    except EmbeddedServerError as error:
        raise RunAborted(ExitCode.UNAVAILABLE, str(error)) from None
    say(f"embedded reference server on {url}")
    return Target(url, Tokens(server.token, server.secondary_token))


def _remote_target(options: RunOptions, base_url: str, tokens: Tokens) -> tuple[Target, float | None]:
    """Check the target answers and accepts each token before spending a run on it; with `--workers auto`,
    also measure its round trip. Every probe shares one kept-alive connection."""
    tenants = []
    timeout = options.timeout or PROBE_TIMEOUT
    with httpx.Client(timeout=timeout) as client:
        for label, token in (
            ("CALDASA_TOKEN", tokens.primary),
            ("CALDASA_TOKEN_SECONDARY", tokens.secondary),
        ):
            if token is None:
                continue
            register_secret(token)
            try:
                tenant = probe(base_url, token, timeout=timeout, label=label, client=client)
            except TargetUnavailable as error:
                raise RunAborted(ExitCode.UNAVAILABLE, str(error)) from None
            tenants.append(tenant.get("id"))
        auto = options.workers == AUTO_WORKERS
        rtt = measure_rtt(client, base_url, tokens.primary) if auto else None
    if len(tenants) == 2 and tenants[0] is not None and tenants[0] == tenants[1]:  # no id: cannot tell
        raise RunAborted(
            ExitCode.USAGE,
            f"CALDASA_TOKEN and CALDASA_TOKEN_SECONDARY resolve to the same tenant ({tenants[0]}): "
            "the isolation checks need a token of a second tenant",
        )
    return Target(base_url, tokens), rtt


def _sized_workers(options: RunOptions, rtt: float | None) -> RunOptions:
    """Resolve `--workers auto`: one worker per core on loopback, more when the target is far away
    (`rtt`: its measured round trip; None for the embedded server, whose pace the CPU sets)."""
    if options.workers != AUTO_WORKERS:
        return options
    if options.webhook_receiver_port:
        say("--workers auto: 1 worker (a fixed --webhook-receiver-port can be bound by one process only)")
        return replace(options, workers=1)
    if importlib.util.find_spec("xdist") is None:
        say("--workers auto: 1 worker (pytest-xdist is not installed)")
        return replace(options, workers=1)
    cores = os.cpu_count() or 1
    workers = auto_workers(rtt, cores)
    measured = f"round trip {rtt * 1000:.0f} ms" if rtt is not None else "local target"
    say(f"--workers auto: {workers} workers ({measured}, {cores} cores)")
    return replace(options, workers=workers)


def _stop_server(server: EmbeddedServer, report_dir: Path) -> None:
    server.stop()
    server.write_log(report_dir / "reference-server.log")


def _record_tagged_customers(options: RunOptions, target: Target) -> None:
    """List the run's customers among the leftovers, whichever way they came to be (a booking or a ticket
    order creates one implicitly, and the API cannot delete customers). Best effort: reports only."""
    if options.profile == "readonly":
        return
    found: list[dict[str, Any]] = []
    for token in (target.tokens.primary, target.tokens.secondary):
        if not token:
            continue
        try:
            with make_client(target.base_url, token, options.timeout or PROBE_TIMEOUT) as client:
                found += tagged_customers(client, options.run_tag)
        except (httpx.HTTPError, ValueError) as error:  # ValueError: a body that is not JSON
            say(f"could not list the run's customers ({type(error).__name__}): leftovers may be incomplete")
    reason = "a customer carrying the run tag; the API has no operation to delete it"
    entries = [{"kind": "customers", "id": customer["id"], "reason": reason} for customer in found]
    write_json(options.report_dir / ".caldasa" / RUNNER_LEFTOVERS, entries)


def _requirements() -> dict[str, Requirement]:
    """The requirements of openapi/requirements.yaml (empty if it cannot be read)."""
    try:
        return load_requirements()
    except (OSError, ValueError):
        return {}


def requirement_statements() -> dict[str, str]:
    """Requirement id → statement, from openapi/requirements.yaml (empty if it cannot be read)."""
    return {rid: requirement.statement for rid, requirement in _requirements().items()}


def spec_version() -> str:
    """`info.version` of the bundled contract, or `unknown`."""
    from caldasa_conformance.config import BUNDLED_SPEC
    from caldasa_conformance.spec import load_contract

    try:
        return str(load_contract(BUNDLED_SPEC).document["info"]["version"])
    except (OSError, KeyError, TypeError, ValueError):
        return "unknown"


def write_reports(options: RunOptions, target_url: str, exit_code: int, duration: float) -> dict[str, Any]:
    """Write summary.json/md and the Allure extras; return the summary."""
    report_dir = options.report_dir
    results = report_dir / "allure-results"
    results.mkdir(parents=True, exist_ok=True)
    allure_extras.write_categories(results)
    allure_extras.write_environment(
        results,
        {
            "target": target_url,
            "spec_version": spec_version(),
            "suite_version": __version__,
            "profile": options.profile,
            "classes": ",".join(options.classes),
            "seed": str(options.seed),
            "shard": options.shard or "-",
            "python": sys.version.split()[0],
        },
    )
    allure_extras.write_executor(results)
    allure_extras.trim_fixture_records(results)
    allure_extras.carry_history(report_dir, results)
    counters, leftovers = run_totals(report_dir)
    run = {
        "target": target_url,
        "exit_code": exit_code,
        "duration_s": round(duration, 1),
        "seed": options.seed,
        "profile": options.profile,
        "run_tag": options.run_tag,
        "run_id": run_id_of(options.seed, options.run_tag),  # shared by the shards of one run (merge checks)
        "shard": options.shard,
        "embedded": options.embedded,
        "reference_faults": list(options.reference_faults),
        "reference_rate_limit": options.reference_rate_limit,
        "testing_api": options.testing_api_probe,
        "report_dir": str(report_dir),
        **counters,
        "leftovers": leftovers,
        # what the run created, in order: `cleanup --from-report` removes exactly these
        "created": read_created_logs(report_dir),
        "suite_version": __version__,
        "spec_version": spec_version(),
    }
    outcomes = read_outcomes(report_dir / "junit.xml")
    result = summary.build_summary(
        outcomes, requirement_statements(), run=run, locate=allure_extras.locate_results(results)
    )
    for name in options.classes:  # a selected class without tests shows as zeros, not as absent
        result["classes"].setdefault(name, summary.empty_counts())
    result["classes"] = dict(sorted(result["classes"].items()))
    result["strict"] = options.strict
    settle(result, _requirements(), options.classes, options.strict)
    write_json(report_dir / "summary.json", result)
    write_text(report_dir / "summary.md", summary.render_markdown(result))
    return result


def append_step_summary(markdown: str) -> None:
    """Add the summary to the GitHub Actions job page when running there."""
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as stream:
            stream.write(redact(markdown))


def print_verdict(result: dict[str, Any], cwd: Path) -> None:
    """The conformance table, each failing requirement with its reason and report, then the verdict."""
    print()
    print(summary.render_table(result["classes"]))
    groups = summary.failures_by_requirement(result.get("failures", []))
    if groups:
        print("\nFailing requirements:")
    statements = requirement_statements()
    for requirement, group in groups.items():
        first = group[0]
        print(f"  {requirement:<5} {_shorten(statements.get(requirement, ''), 100)}")
        where = _relative(first["report"], cwd) if first["report"] else "junit.xml"
        others = f" (and {len(group) - 1} more failing tests)" if len(group) > 1 else ""
        if first.get("title") and first["title"] != first["reason"]:
            print(f"        {first['title']}")
        print(f"        {first['reason']}\n        {first['test']}{others}\n        report: {where}")
    if result.get("leftovers"):
        count = f"{len(result['leftovers'])} entities{leftovers_breakdown(result['leftovers'])}"
        if result.get("embedded"):
            print(f"\n{count} were left on the embedded reference server (discarded with it).")
        else:
            print(
                f"\n{count} could not be removed (listed in summary.md); to retry what the API can "
                f"delete: caldasa-conformance cleanup --from-report {_relative(result['report_dir'], cwd)} "
                f"--base-url {result['target']}"
            )
    for note in result.get("notes", []):
        print(f"\nNote (not a failure): {note}")
    unverified = summary.unverified_must_lines(result)
    if unverified:
        print("\nUnverified MUST requirements:")
        for line in unverified:
            print(f"  {line}")
    report_dir = _relative(result["report_dir"], cwd)
    if result.get("verdict_cause"):
        print(f"\n{result['verdict_cause']}")
    print(f"\n{summary.verdict(result)}")
    print(
        f"Reports in {report_dir}/ (summary.md, summary.json, junit.xml, "
        f"allure-results/); HTML that opens from file://: caldasa-conformance report --single-file "
        f"--report-dir {report_dir}"
    )


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _relative(path: str, cwd: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(cwd))
    except ValueError:
        return str(path)


def run(options: RunOptions) -> int:
    """Run the suite as `options` say; return the exit code (0, 1, 2 or 3).

    Raises:
        KeyboardInterrupt: Ctrl-C or SIGTERM, after the partial reports are written.
    """
    started = time.monotonic()
    tokens = None if options.embedded else tokens_from_env()
    clear_stale(options.report_dir)
    interrupted: KeyboardInterrupt | None = None
    with ExitStack() as stack:
        rtt = None
        if options.base_url is None or tokens is None:
            target = _embedded_target(options, stack)
        else:
            target, rtt = _remote_target(options, options.base_url, tokens)
        options = _sized_workers(options, rtt)
        mode, found = resolve_testing_api(
            options.testing_api, target.base_url, target.tokens.primary, options.timeout or PROBE_TIMEOUT
        )
        options = dataclasses.replace(options, testing_api=mode, testing_api_probe=found)
        say(
            f"target {target.base_url} · profile {options.profile} · classes {','.join(options.classes)} · "
            f"seed {options.seed} · run tag {options.run_tag} · testing API: {found}"
        )
        try:
            pytest_code = run_pytest(pytest_command(options, target), pytest_environment(options, target))
        except KeyboardInterrupt as interrupt:
            interrupted = interrupt
        _record_tagged_customers(options, target)
    if interrupted is not None:  # what ran until then is reported, marked INTERRUPTED, never conformant
        code = ExitCode.TERMINATED if isinstance(interrupted, Terminated) else ExitCode.INTERRUPTED
        _conclude(options, target, code, started)
        raise interrupted
    selection = f"classes {','.join(options.classes)} (profile {options.profile})"
    code = from_pytest(pytest_code, sharded=bool(options.shard), selection=selection)
    return _conclude(options, target, code, started)


def _conclude(options: RunOptions, target: Target, exit_code: int, started: float) -> int:
    """Write the reports, fail the run if they show a token, print the verdict; return the exit code."""
    result = write_reports(options, target.base_url, exit_code, time.monotonic() - started)
    exit_code = int(result["exit_code"])
    leaks = find_secrets(options.report_dir, [target.tokens.primary, target.tokens.secondary or ""])
    if leaks:
        exit_code = _report_leaks(options.report_dir, result, leaks)
    append_step_summary(summary.render_markdown(result))
    print_verdict(result, Path.cwd())
    return exit_code


def _report_leaks(report_dir: Path, result: dict[str, Any], leaks: list[Path]) -> int:
    """A token in the reports fails the run: record which files, so nobody publishes them."""
    result["exit_code"] = ExitCode.VIOLATIONS
    result["secret_leaks"] = [str(path) for path in leaks]
    write_json(report_dir / "summary.json", result)
    write_text(report_dir / "summary.md", summary.render_markdown(result))
    say(
        f"a token in use appears in {len(leaks)} report file(s), which must not be published: "
        + ", ".join(str(path) for path in leaks[:5])
    )
    return ExitCode.VIOLATIONS

"""The `cleanup` command and the cleanup after an interrupted run: tenants, plan, confirmation, removal."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from caldasa_conformance.naming import run_tag_problem
from caldasa_conformance.redaction import register_secret
from caldasa_conformance.runner.cleanup import (
    DEFAULT_MAX_REMOVALS,
    CleanupReport,
    confirm,
    execute,
    make_client,
    plan_by_tag,
    plan_from_record,
    print_plan,
    print_report,
    recorded_paths,
)
from caldasa_conformance.runner.errors import ExitCode, RunAborted, UsageError
from caldasa_conformance.runner.options import tokens_from_env
from caldasa_conformance.runner.probe import TargetUnavailable, probe


@dataclass(frozen=True)
class CleanupRequest:
    base_url: str
    run_tag: str | None = None
    from_report: Path | None = None
    dry_run: bool = False
    assume_yes: bool = False
    max_removals: int = DEFAULT_MAX_REMOVALS
    timeout: float = 10.0


def run_cleanup(request: CleanupRequest) -> int:
    """Clean each tenant whose token is set; exit 0 when nothing was left, 1 otherwise.

    Raises:
        UsageError: no token, a malformed tag, no record where one was named, or a large plan unconfirmed.
        RunAborted: the target is unreachable or rejects the token (exit 3).
    """
    run_tag, recorded = _what_the_run_made(request)
    tokens = tokens_from_env()
    tenants = {"primary": tokens.primary, "secondary": tokens.secondary}
    failed = False
    for tenant, token in tenants.items():
        if token is None:
            continue
        if recorded is not None and tenant not in recorded:
            print(f"{tenant} tenant: the run recorded nothing it created there; nothing to remove")
            continue
        register_secret(token)
        failed |= _clean_tenant(request, tenant, token, run_tag, recorded)
    return ExitCode.VIOLATIONS if failed else ExitCode.OK


def _what_the_run_made(request: CleanupRequest) -> tuple[str, dict[str, list[str]] | None]:
    """The run tag, and the recorded paths per tenant when the run's own record is used."""
    recorded: dict[str, list[str]] | None = None
    run_tag = request.run_tag
    if request.from_report is not None:
        try:
            recorded_tag, recorded = recorded_paths(request.from_report)
        except (OSError, ValueError) as error:
            raise UsageError(f"--from-report: {error}") from None
        if run_tag and recorded_tag and run_tag != recorded_tag:
            raise UsageError(f"--run-tag {run_tag} differs from the report's run tag {recorded_tag}")
        run_tag = run_tag or recorded_tag
    if not run_tag:
        raise UsageError("cleanup needs the run tag: pass --run-tag T (printed by `run`, in summary.json)")
    problem = run_tag_problem(run_tag)
    if problem:
        raise UsageError(f"--run-tag: {problem}")
    return run_tag, recorded


def _clean_tenant(
    request: CleanupRequest, tenant: str, token: str, run_tag: str, recorded: dict[str, list[str]] | None
) -> bool:
    """Plan, confirm and carry out one tenant's cleanup; True when something could not be removed."""
    try:
        probe(request.base_url, token, timeout=request.timeout)
    except TargetUnavailable as error:
        raise RunAborted(ExitCode.UNAVAILABLE, f"{tenant} tenant: {error}") from None
    source = "the run's record" if recorded is not None else "the run tag"
    print(f"cleaning the {tenant} tenant of {request.base_url}: run tag {run_tag}, by {source}")
    report = CleanupReport()
    with make_client(request.base_url, token, request.timeout) as client:
        try:
            plan = (
                plan_from_record(client, run_tag, recorded[tenant], report)
                if recorded is not None
                else plan_by_tag(client, run_tag, report)
            )
            if request.dry_run:
                print_plan(tenant, plan)
                print(f"{tenant} tenant: {len(plan)} would be removed (dry run: nothing was changed)")
                return False
            _confirm(request, len(plan), tenant)
            execute(client, plan, report)
        except (httpx.HTTPError, ValueError) as error:
            raise RunAborted(
                ExitCode.UNAVAILABLE, f"cleanup stopped: {type(error).__name__} {error}"
            ) from None
    print_report(tenant, report)
    return bool(report.failed)


def _confirm(request: CleanupRequest, count: int, tenant: str) -> None:
    if not confirm(count, request.max_removals, request.assume_yes, f"the {tenant} tenant"):
        raise UsageError(
            f"{count} entities to remove is more than --max-removals {request.max_removals}: "
            "check them with --dry-run, then pass --yes"
        )


def run_cleanup_after_interrupt(base_url: str, run_tag: str, report_dir: Path, timeout: float) -> None:
    """After Ctrl-C: remove what the interrupted run recorded, best effort, never raising."""
    print(f"caldasa-conformance: cleaning up run tag {run_tag} on {base_url}", file=sys.stderr)
    request = CleanupRequest(base_url, run_tag, report_dir, assume_yes=True, timeout=timeout)
    try:
        run_cleanup(request)
    except Exception as error:
        print(
            f"caldasa-conformance: cleanup incomplete ({type(error).__name__}: {error}); run: "
            f"caldasa-conformance cleanup --from-report {report_dir}",
            file=sys.stderr,
        )

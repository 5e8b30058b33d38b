"""The verdict: what the run verified, and the exit code that follows from it.

A run is CONFORMANT only when something was checked: at least one requirement verified and none failed. With
nothing verified the verdict is NOTHING VERIFIED and the exit code is 2 when the configuration is the cause
(no test ran, or every test skipped for want of a setting such as the second token), else 1. `--strict` makes
an unverified MUST requirement fail the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caldasa_conformance.reporting.summary import NOT_REACHED, requirement_sort_key
from caldasa_conformance.requirements import Requirement
from caldasa_conformance.runner.errors import ExitCode

# Skip reasons that name a setting of the run, not a property of the target.
_CONFIGURATION_HINTS = ("CALDASA_TOKEN", "no target configured", "--caldasa-", "--webhook-receiver")


def settle(
    result: dict[str, Any], requirements: Mapping[str, Requirement], classes: tuple[str, ...], strict: bool
) -> int:
    """Add the run's scope to `result`, settle its exit code and return it."""
    statuses: dict[str, str] = result["requirements"]
    in_scope = {rid for rid, req in requirements.items() if req.conformance_class in classes}
    scope = sorted(
        in_scope | {rid for rid, status in statuses.items() if status != "unverified"},
        key=requirement_sort_key,
    )
    unverified = [rid for rid in scope if statuses.get(rid, "unverified") == "unverified"]
    result["scope"] = {
        "requirements": len(scope),
        "verified": sum(statuses.get(rid) == "verified" for rid in scope),
        "failed": sum(statuses.get(rid) == "failed" for rid in scope),
        "unverified": unverified,
        "unverified_must": [rid for rid in unverified if _level(requirements, rid) == "MUST"],
    }
    result["unverified"] = {rid: result.get("unverified", {}).get(rid, NOT_REACHED) for rid in unverified}
    if result["exit_code"] == ExitCode.OK:
        result["exit_code"], result["verdict_cause"] = _judge(result, strict)
    return int(result["exit_code"])


def _level(requirements: Mapping[str, Requirement], rid: str) -> str:
    requirement = requirements.get(rid)
    return requirement.level if requirement else "MUST"


def _judge(result: dict[str, Any], strict: bool) -> tuple[int, str | None]:
    scope = result["scope"]
    if scope["verified"] == 0 and scope["failed"] == 0:
        cause = configuration_cause(result)
        return (
            (ExitCode.USAGE, cause)
            if cause
            else (ExitCode.VIOLATIONS, "no check of any requirement ran and held")
        )
    if strict and scope["unverified_must"]:
        return ExitCode.VIOLATIONS, f"--strict: {len(scope['unverified_must'])} MUST requirements unverified"
    return ExitCode.OK, None


def configuration_cause(result: Mapping[str, Any]) -> str | None:
    """What in the run's settings left nothing verified, or None when the target is the likelier cause."""
    counts = result["counts"]
    if sum(counts.values()) == 0:
        return "no test ran: check --classes, --profile and any pytest arguments after --"
    if counts.get("passed", 0) or counts.get("failed", 0):
        return None
    reasons = set(result.get("unverified", {}).values())
    skips = [reason for reason in reasons if reason.startswith("skipped")]
    if skips and all(any(hint in reason for hint in _CONFIGURATION_HINTS) for reason in skips):
        first = str(sorted(skips)[0])
        return "every test skipped for want of a setting: " + first.removeprefix("skipped: ")
    return None

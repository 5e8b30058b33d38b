"""The run summary: one dict (`summary.json`), its markdown (`summary.md`) and the terminal table.

Counts come from JUnit outcomes only, so `summary.json` always agrees with `junit.xml`. Each requirement is
- **failed**: a failure names it;
- **verified**: a check of it ran and held (a test's `caldasa_evaluated` property, see `evidence`);
- **unverified**: neither; `unverified` says why (skipped and the skip's reason, a known failure, passed
  without evaluating it, or no test ran it).
The precedence is failed > verified > unverified. A known failure (xfail from the expectations) leaves its
requirement unverified and is listed under `known_failures`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from caldasa_conformance.reporting.junit import STATUSES, Outcome, count
from caldasa_conformance.runner.errors import ExitCode

REQUIREMENT_PRECEDENCE = ("failed", "verified", "unverified")
NOT_REACHED = "no test of it ran (not selected, or not reached)"


def stronger(first: str, second: str) -> str:
    """The more telling of two requirement statuses (failed > verified > unverified)."""
    return min(first, second, key=REQUIREMENT_PRECEDENCE.index)


def class_counts(outcomes: Iterable[Outcome]) -> dict[str, dict[str, int]]:
    """Counts per conformance class, sorted by class name."""
    by_class: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_class.setdefault(outcome.conformance_class, []).append(outcome)
    return {name: count(by_class[name]) for name in sorted(by_class)}


def requirement_statuses(outcomes: Iterable[Outcome], requirement_ids: Iterable[str]) -> dict[str, str]:
    """Every known requirement id (plus any id a test names or evaluates) mapped to its status."""
    statuses = dict.fromkeys(requirement_ids, "unverified")
    for outcome in outcomes:
        for requirement in (*outcome.requirements, *outcome.evaluated):
            statuses.setdefault(requirement, "unverified")
        for requirement in outcome.evaluated:
            statuses[requirement] = stronger(statuses[requirement], "verified")
        if outcome.status == "failed":
            for requirement in outcome.failing_requirements:
                statuses[requirement] = "failed"
    return dict(sorted(statuses.items(), key=lambda item: requirement_sort_key(item[0])))


def unverified_reasons(outcomes: Iterable[Outcome], statuses: Mapping[str, str]) -> dict[str, str]:
    """Why each unverified requirement stayed so: the most telling fate of the tests that name it."""
    fates: dict[str, list[str]] = {rid: [] for rid, status in statuses.items() if status == "unverified"}
    for outcome in outcomes:
        for requirement in outcome.requirements:
            if requirement in fates:
                fates[requirement].append(_fate(outcome))
    return {rid: _most_telling(found) for rid, found in fates.items()}


def _fate(outcome: Outcome) -> str:
    if outcome.status == "skipped":
        return "skipped: " + (outcome.reason if outcome.message or outcome.details else "no reason given")
    if outcome.status == "xfailed":
        return "a known failure (expectations)"
    if outcome.status == "failed":
        return "its tests failed on another requirement first"
    return "a test passed without evaluating it"


def _most_telling(fates: list[str]) -> str:
    """A skip says what to change; then the other fates, in this order."""
    for prefix in ("skipped", "a known failure", "its tests failed", "a test passed"):
        found = [fate for fate in fates if fate.startswith(prefix)]
        if found:
            return max(set(found), key=found.count)
    return NOT_REACHED


def requirement_sort_key(requirement_id: str) -> tuple[str, int, str]:
    prefix = requirement_id.rstrip("0123456789")
    digits = requirement_id[len(prefix) :]
    return (prefix, int(digits) if digits else 0, requirement_id)


def failure_entries(outcomes: Iterable[Outcome], locate: Mapping[str, str]) -> list[dict[str, Any]]:
    """One entry per failed test: test id, class, requirements, one-line reason, where its report is."""
    return [
        {
            "test": outcome.test_id,
            "class": outcome.conformance_class,
            "requirements": list(outcome.failing_requirements),
            "operation": outcome.operation,
            "title": outcome.title,
            "reason": outcome.reason,
            "report": locate.get(outcome.test_id, ""),
        }
        for outcome in outcomes
        if outcome.status == "failed"
    ]


def failures_by_requirement(failures: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Failed tests grouped under each requirement they fail (a test may fail several), ids sorted."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for failure in failures:
        for requirement in failure["requirements"] or ["?"]:
            groups.setdefault(requirement, []).append(failure)
    return dict(sorted(groups.items(), key=lambda item: requirement_sort_key(item[0])))


def build_summary(
    outcomes: list[Outcome],
    requirement_ids: Iterable[str],
    *,
    run: Mapping[str, Any],
    locate: Mapping[str, str],
) -> dict[str, Any]:
    """Assemble `summary.json`; `run` carries target, exit_code, duration_s, seed, requests, leftovers …"""
    statuses = requirement_statuses(outcomes, requirement_ids)
    return {
        **run,
        "counts": count(outcomes),
        "classes": class_counts(outcomes),
        "requirements": statuses,
        "unverified": unverified_reasons(outcomes, statuses),
        "failures": failure_entries(outcomes, locate),
        "known_failures": [o.test_id for o in outcomes if o.status == "xfailed"],
        "skips": skip_reasons(outcomes),
        "notes": sorted({note for outcome in outcomes for note in outcome.notes}),
    }


def skip_reasons(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many tests skipped for each reason, the most frequent first."""
    reasons: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.status == "skipped":
            reason = outcome.title if outcome.message or outcome.details else "no reason given"
            reasons[reason] = reasons.get(reason, 0) + 1
    return dict(sorted(reasons.items(), key=lambda item: (-item[1], item[0])))


_MD_TESTS = 10
_COLUMNS = ("passed", "failed", "skipped", "xfailed")


def _table_rows(classes: Mapping[str, Mapping[str, int]]) -> list[tuple[str, ...]]:
    """One row of cell texts per class, then the totals row."""
    rows = [(name, *(str(counts.get(column, 0)) for column in _COLUMNS)) for name, counts in classes.items()]
    totals = [sum(counts.get(column, 0) for counts in classes.values()) for column in _COLUMNS]
    return [*rows, ("total", *(str(total) for total in totals))]


def render_table(classes: Mapping[str, Mapping[str, int]]) -> str:
    """The conformance table (class × passed/failed/skipped/xfailed) as aligned plain text."""
    header = ("class", "passed", "failed", "skipped", "xfailed")
    rows = [header, *_table_rows(classes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def verdict(summary: Mapping[str, Any]) -> str:
    """One line: the verdict word, what it rests on (requirements verified), then the test counts."""
    counts = summary["counts"]
    tests = (
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped, "
        f"{counts['xfailed']} known failures"
    )
    return f"{verdict_word(summary)}: {_scope_text(summary.get('scope'))}{tests}"


def verdict_word(summary: Mapping[str, Any]) -> str:
    scope = summary.get("scope") or {}
    code = int(summary.get("exit_code", ExitCode.VIOLATIONS))
    if summary.get("secret_leaks"):
        return "REPORTS LEAK A TOKEN"
    if code in (ExitCode.INTERRUPTED, ExitCode.TERMINATED):
        return "INTERRUPTED"
    if scope and scope.get("verified", 0) == 0 and scope.get("failed", 0) == 0:
        return "NOTHING VERIFIED"
    if code == ExitCode.VIOLATIONS and str(summary.get("verdict_cause") or "").startswith("--strict"):
        return "NOT CERTIFIED"
    words: dict[int, str] = {ExitCode.OK: "CONFORMANT", ExitCode.VIOLATIONS: "NOT CONFORMANT"}
    return words.get(code, "NO VERDICT")


def _scope_text(scope: Mapping[str, Any] | None) -> str:
    """`52/59 requirements verified (7 unverified: E3, E4, …); ` or nothing without a scope."""
    if not scope:
        return ""
    text = f"{scope['verified']}/{scope['requirements']} requirements verified"
    if scope.get("failed"):
        text += f", {scope['failed']} failed"
    unverified = list(scope.get("unverified", []))
    if unverified:
        shown = ", ".join(unverified[:_SHOWN_IDS]) + (", …" if len(unverified) > _SHOWN_IDS else "")
        text += f" ({len(unverified)} unverified: {shown})"
    return text + "; tests: "


_SHOWN_IDS = 8


def unverified_must_lines(summary: Mapping[str, Any]) -> list[str]:
    """`reason: ids` for the unverified MUST requirements, one line per reason."""
    if not sum(summary["counts"].values()):  # nothing ran: the verdict's cause says it all
        return []
    reasons = summary.get("unverified", {})
    by_reason: dict[str, list[str]] = {}
    for rid in (summary.get("scope") or {}).get("unverified_must", []):
        by_reason.setdefault(str(reasons.get(rid, NOT_REACHED)), []).append(rid)
    return [f"{', '.join(ids)}: {reason}" for reason, ids in sorted(by_reason.items(), key=lambda i: i[1])]


def render_markdown(summary: Mapping[str, Any]) -> str:
    """`summary.md`: verdict, the class table, failing requirements, leftovers (for CI job summaries)."""
    lines = [f"## {title(summary)}", "", f"**{verdict(summary)}**", ""]
    if summary.get("verdict_cause"):
        lines += [f"Why: {summary['verdict_cause']}", ""]
    lines += ["| class | passed | failed | skipped | xfailed |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |" for r in _table_rows(summary["classes"])]
    failures = summary.get("failures", [])
    if failures:
        lines += ["", "### Failing requirements", ""]
        for requirement, group in failures_by_requirement(failures).items():
            lines.append(
                f"- **{requirement}** ({len(group)} failing test{'s' if len(group) > 1 else ''}): "
                f"{_md_escape(group[0]['reason'])}"
            )
            lines += [
                f"  - `{failure['test']}`: {_md_escape(failure['reason'])}" for failure in group[:_MD_TESTS]
            ]
            if len(group) > _MD_TESTS:
                lines.append(f"  - … and {len(group) - _MD_TESTS} more (see summary.json)")
    failed_requirements = [
        rid for rid, status in summary.get("requirements", {}).items() if status == "failed"
    ]
    if failed_requirements:
        lines += ["", f"Requirements failed: {', '.join(failed_requirements)}"]
    unverified = unverified_must_lines(summary)
    if unverified:
        lines += ["", "### Unverified MUST requirements", ""]
        lines += [f"- {_md_escape(line)}" for line in unverified]
    notes = summary.get("notes", [])
    if notes:
        lines += ["", "### Notes: reference policies this target does not follow (not failures)", ""]
        lines += [f"- {_md_escape(note)}" for note in notes]
    skips = summary.get("skips", {})
    if skips:
        lines += ["", f"### Skipped tests ({sum(skips.values())}), by reason", ""]
        lines += [f"- {number} × {_md_escape(reason)}" for reason, number in skips.items()]
    lines += _markdown_footer(summary)
    return "\n".join(lines) + "\n"


def title(summary: Mapping[str, Any]) -> str:
    """`Caldasa conformance · profile default · <target>`: the embedded server's loopback URL changes with
    every run and tells a reader nothing, so it is named for what it is (with its faults, if any)."""
    target = str(summary.get("target", "?"))
    if summary.get("embedded"):
        faults = list(summary.get("reference_faults") or [])
        target = "embedded reference server" + (f" (faults: {', '.join(faults)})" if faults else "")
    return f"Caldasa conformance · profile {summary.get('profile', '?')} · {target}"


def _leftover_lines(summary: Mapping[str, Any]) -> list[str]:
    """The leftovers listed one by one, except on the embedded server, which is discarded with them."""
    leftovers = summary.get("leftovers", [])
    if not leftovers:
        return []
    if summary.get("embedded"):
        return [
            "",
            f"{len(leftovers)} entities were left on the embedded reference server (discarded with it).",
        ]
    lines = ["", f"### Leftovers that could not be removed ({len(leftovers)})", ""]
    return lines + [f"- {item.get('kind')} `{item.get('id')}`: {item.get('reason')}" for item in leftovers]


def _markdown_footer(summary: Mapping[str, Any]) -> list[str]:
    lines = [
        "",
        f"Seed `{summary.get('seed')}` · {summary.get('requests', 0)} requests "
        f"({summary.get('retries_429', 0)} retried after 429) · "
        f"{summary.get('duration_s', 0)} s · report dir `{summary.get('report_dir', '')}`",
    ]
    if summary.get("testing_api"):
        lines += ["", f"Testing API (provider states): {_md_escape(str(summary['testing_api']))}"]
    lines += [
        "",
        f"Target health: {summary.get('timeouts', 0)} timeouts, {summary.get('unparsable_bodies', 0)} "
        f"unparsable bodies, {summary.get('error_pages', 0)} server error pages",
    ]
    leaks = summary.get("secret_leaks", [])
    if leaks:
        lines += ["", f"**A token in use appears in {len(leaks)} report file(s): do not publish them.**"]
    return lines + _leftover_lines(summary)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def empty_counts() -> dict[str, int]:
    """Counts with every status at zero."""
    return dict.fromkeys(STATUSES, 0)

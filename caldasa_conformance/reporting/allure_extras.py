"""The files Allure reads beside the results: categories, environment, executor, and the history for trends.

allure-pytest writes one `*-result.json` per test; this module adds `categories.json` (failure kinds by regex
on the message), `environment.properties`, `executor.json`, and copies the previous report's history into the
new results so that Allure can draw trends. It also drops the fixture records that say nothing about the test
they are listed under (`trim_fixture_records`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from caldasa_conformance.reporting.files import read_json, write_json, write_text

_FAILED = ["failed", "broken"]


def _anywhere(alternatives: str) -> str:
    """A regex that matches a whole message containing one of `alternatives`.

    Allure 2 (Java) full-matches the message, Allure 3 (JavaScript) searches it and knows no inline flags
    such as `(?i)`, so the pattern spans everything with `[\\s\\S]*` and spells case variants out.
    """
    return rf"[\s\S]*(?:{alternatives})[\s\S]*"


# Order matters: Allure puts a failure in the first category whose regex matches its message.
CATEGORIES: list[dict[str, Any]] = [
    {
        "name": "Transport (timeout, refused, reset, malformed response)",
        "matchedStatuses": _FAILED,
        "messageRegex": _anywhere(
            r"[Tt]imed? ?out|[Tt]imeout|ConnectError|RemoteProtocolError|ReadError|[Tt]ransport|"
            r"[Cc]onnection (?:refused|reset|aborted)|[Mm]alformed JSON|not valid JSON|[Nn]o response"
        ),
    },
    {
        "name": "Server error (5xx)",
        "matchedStatuses": _FAILED,
        "messageRegex": _anywhere(r"ServerError|[Ss]erver error|Received: 5\d\d\b|\bS4\b"),
    },
    {
        "name": "Schema violation",
        "matchedStatuses": _FAILED,
        "messageRegex": _anywhere(
            r"SchemaViolation|InvalidInputAccepted|ValidationFieldMissing|[Ss]chema|\bS1\b|\bV1\b"
        ),
    },
    {
        "name": "Status code",
        "matchedStatuses": _FAILED,
        "messageRegex": _anywhere(
            r"UndocumentedStatus|WrongContentType|MissingHeader|[Ss]tatus code|\bS[23]\b"
        ),
    },
    {
        "name": "problem+json",
        "matchedStatuses": _FAILED,
        "messageRegex": _anywhere(
            r"ErrorFormatViolation|ProblemShapeViolation|LeakyErrorDetail|problem\+json|ProblemDetails|\bT6\b"
        ),
    },
    {"name": "Invariant broken", "matchedStatuses": ["failed"], "messageRegex": r"[\s\S]*"},
    {"name": "Harness error", "matchedStatuses": ["broken"], "messageRegex": r"[\s\S]*"},
]


def category_of(message: str, status: str = "failed") -> str | None:
    """The category Allure will give a failure (first full match), for tests and summaries."""
    for category in CATEGORIES:
        if status in category["matchedStatuses"] and re.fullmatch(category["messageRegex"], message):
            return str(category["name"])
    return None


def write_categories(results_dir: Path) -> None:
    """Write `categories.json`."""
    write_json(results_dir / "categories.json", CATEGORIES)


def write_environment(results_dir: Path, values: Mapping[str, str]) -> None:
    """Write `environment.properties` (`key = value`, one per line, newlines flattened)."""
    lines = [f"{key} = {str(value).replace(chr(10), ' ')}" for key, value in values.items()]
    write_text(results_dir / "environment.properties", "\n".join(lines) + "\n")


def executor_info(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Describe who ran the suite: GitHub Actions / GitLab CI when detected, else a local run."""
    if env.get("GITHUB_ACTIONS") == "true":
        run_url = (
            f"{env.get('GITHUB_SERVER_URL', '')}/{env.get('GITHUB_REPOSITORY', '')}/actions/runs/"
            f"{env.get('GITHUB_RUN_ID', '')}"
        )
        return {
            "name": "GitHub Actions",
            "type": "github",
            "buildName": f"#{env.get('GITHUB_RUN_NUMBER', '')}",
            "buildOrder": int(env.get("GITHUB_RUN_NUMBER", "0") or 0),
            "buildUrl": run_url,
        }
    if env.get("GITLAB_CI") == "true":
        return {
            "name": "GitLab CI",
            "type": "gitlab",
            "buildName": f"#{env.get('CI_PIPELINE_ID', '')}",
            "buildOrder": int(env.get("CI_PIPELINE_IID", "0") or 0),
            "buildUrl": env.get("CI_JOB_URL", ""),
        }
    return {"name": "caldasa-conformance", "type": "local", "buildName": "local run"}


def write_executor(results_dir: Path) -> None:
    """Write `executor.json`."""
    write_json(results_dir / "executor.json", executor_info())


def _says_nothing(record: Mapping[str, Any]) -> bool:
    """A fixture record that passed (or has no outcome) with no steps, attachments or details."""
    return (
        record.get("status") in ("passed", None)
        and not record.get("steps")
        and not record.get("attachments")
        and not record.get("statusDetails")
    )


def _is_plumbing(record: dict[str, Any]) -> bool:
    """A record without outcome (one of pytest's own finalizers), or a private fixture's (`_name`): an
    autouse binding listed under every test tells a reader nothing."""
    return record.get("status") is None or str(record.get("name", "")).startswith("_")


def trim_fixture_records(results_dir: Path) -> int:
    """Drop the fixture set-ups and finalizers that say nothing about the tests they are listed under.

    allure-pytest writes one container per fixture, listing its set-up and finalizers under every test that
    used it: a session fixture set up once shows under each of hundreds of tests (in every test's data of a
    single-file report), and each of pytest's own finalizers shows as a step without outcome. Dropped: such
    records without outcome, and those of a fixture shared by several tests that passed with nothing in them.
    Dropped too: a private fixture's (`_name`) record that passed with nothing in it.
    Kept: whatever failed or carries steps or attachments, and the public fixtures of a single test.
    Returns the number of records dropped; a container left empty is removed.
    """
    dropped = 0
    for path in sorted(results_dir.glob("*-container.json")):
        container = read_json(path, None)
        if not isinstance(container, dict):
            continue
        shared = len(container.get("children") or []) > 1
        changed = False
        for key in ("befores", "afters"):
            records = container.get(key) or []
            kept = [
                record
                for record in records
                if not (_says_nothing(record) and (shared or _is_plumbing(record)))
            ]
            if len(kept) != len(records):
                dropped += len(records) - len(kept)
                container[key] = kept
                changed = True
        if changed and not container.get("befores") and not container.get("afters"):
            path.unlink()
        elif changed:
            write_json(path, container)
    return dropped


def history_sources(report_dir: Path) -> list[Path]:
    """Where the previous run's history may be, best first."""
    return [report_dir / "allure-report" / "history", report_dir / "history"]


def save_history(report_dir: Path) -> Path | None:
    """Keep the previous report's history in `<report-dir>/history` before stale results are cleared."""
    kept = report_dir / "history"
    for source in history_sources(report_dir):
        if source.is_dir() and any(source.iterdir()):
            if source != kept:
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(source, kept)
            return kept
    return None


def carry_history(report_dir: Path, results_dir: Path) -> bool:
    """Copy `<report-dir>/history` into `<results>/history`; True when there was one."""
    kept = report_dir / "history"
    if not kept.is_dir():
        return False
    shutil.copytree(kept, results_dir / "history", dirs_exist_ok=True)
    return True


def locate_results(results_dir: Path) -> dict[str, str]:
    """Map `classname::name` (the JUnit test id) to the allure result file of that test."""
    located: dict[str, str] = {}
    for path in sorted(results_dir.glob("*-result.json")):
        data = read_json(path, {})
        full_name = str(data.get("fullName", ""))
        module, _, function = full_name.partition("#")
        name = str(data.get("name", ""))
        if module and name:
            owner = f"{module}.{function.split('.')[0]}" if "." in function else module
            located[f"{owner}::{name}"] = str(path)
            located.setdefault(f"{module}::{name}", str(path))
    return located

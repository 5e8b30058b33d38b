"""The files a run's processes leave under `<report-dir>/.caldasa/`: request counters and leftovers.

Every pytest process (each xdist worker, and the controller) writes `requests-<worker>.json` and
`leftovers-<worker>.json` at session end; the runner adds `leftovers-runner.json` (the run's customers). The
runner's summary and the plugin's closing console line both read them here, so they count the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from caldasa_conformance.reporting.files import read_json

COUNTERS = ("requests", "retries_429", "timeouts", "unparsable_bodies", "error_pages")
RUNNER_LEFTOVERS = "leftovers-runner.json"


def _files(report_dir: Path, pattern: str, since: float | None) -> list[Path]:
    paths = sorted((report_dir / ".caldasa").glob(pattern))
    return [path for path in paths if since is None or path.stat().st_mtime >= since]


def run_totals(report_dir: Path, since: float | None = None) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """The processes' request counters summed, and their leftovers joined (each entity once).

    Args:
        since: only files written at or after this time (a plain pytest run does not clear the directory).
    """
    counters = dict.fromkeys(COUNTERS, 0)
    for path in _files(report_dir, "requests-*.json", since):
        data = read_json(path, {}) or {}
        for key in counters:
            counters[key] += int(data.get(key, 0) or 0)
    leftovers: list[dict[str, Any]] = []
    listed: set[tuple[object, object]] = set()
    for path in _files(report_dir, "leftovers-*.json", since):
        for entry in read_json(path, []) or []:
            if isinstance(entry, dict) and (entry.get("kind"), entry.get("id")) not in listed:
                listed.add((entry.get("kind"), entry.get("id")))
                leftovers.append({**entry, "by": "runner"} if path.name == RUNNER_LEFTOVERS else entry)
    return counters, leftovers


def leftovers_breakdown(leftovers: list[dict[str, Any]]) -> str:
    """` (N the tests could not remove, K customers with the run tag)`: the two numbers the console's
    per-process line and the run's total are made of ('' when the runner added none)."""
    customers = sum(1 for entry in leftovers if entry.get("by") == "runner")
    if not customers:
        return ""
    tests = len(leftovers) - customers
    return f" ({tests} the tests could not remove, {customers} customers carrying the run tag)"

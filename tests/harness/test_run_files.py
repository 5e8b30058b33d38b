"""The console's closing line and the run's summary count requests and leftovers from the same files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from caldasa_conformance.reporting.run_files import leftovers_breakdown, run_totals


def _write(directory: Path, name: str, content: object, mtime: float | None = None) -> None:
    path = directory / ".caldasa" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def test_totals_sum_every_process_and_list_each_entity_once(tmp_path: Path) -> None:
    _write(tmp_path, "requests-gw0.json", {"requests": 5, "retries_429": 1})
    _write(tmp_path, "requests-gw1.json", {"requests": 7, "timeouts": 2})
    _write(tmp_path, "leftovers-gw0.json", [{"kind": "bookings", "id": "b1", "reason": "x"}])
    _write(tmp_path, "leftovers-gw1.json", [{"kind": "bookings", "id": "b1", "reason": "x"}])
    _write(tmp_path, "leftovers-runner.json", [{"kind": "customers", "id": "c1", "reason": "tag"}])
    counters, leftovers = run_totals(tmp_path)
    assert (counters["requests"], counters["retries_429"], counters["timeouts"]) == (12, 1, 2)
    assert [(entry["id"], entry.get("by")) for entry in leftovers] == [("b1", None), ("c1", "runner")]
    breakdown = " (1 the tests could not remove, 1 customers carrying the run tag)"
    assert leftovers_breakdown(leftovers) == breakdown


def test_a_plain_pytest_run_reads_only_the_files_it_wrote(tmp_path: Path) -> None:
    _write(tmp_path, "requests-gw3.json", {"requests": 100}, mtime=1_000.0)  # an earlier run's worker
    _write(tmp_path, "requests-main.json", {"requests": 4})
    counters, _ = run_totals(tmp_path, since=2_000.0)
    assert counters["requests"] == 4


def test_no_breakdown_when_the_tests_alone_left_entities() -> None:
    assert leftovers_breakdown([{"kind": "bookings", "id": "b1"}]) == ""

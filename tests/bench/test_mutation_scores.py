"""The mutation report counts what it says: start-up breakers and equivalents are left out, a retry's kill is
kept and marked flaky, and the mutated place is read from the diff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import mutation

DIFF = (
    "diff --git a/caldasa_reference/domain/x.py b/caldasa_reference/domain/x.py\n"
    "--- a/caldasa_reference/domain/x.py\n+++ b/caldasa_reference/domain/x.py\n"
    "@@ -113 +113 @@ def f():\n-    a = b - c\n+    a = b >> c\n"
)


def record(key: str, full: bool, generative: bool, st: bool, *, startup: bool = False) -> dict[str, Any]:
    suite = {"startup": startup, "requirements": ["B1"] if full else [], "wall_s": 60.0}
    return {
        "key": key,
        "diff": DIFF,
        "full": {**suite, "killed": full},
        "generative": {**suite, "killed": generative},
        "st": {"killed": st},
    }


def test_scores_leave_out_startup_breakers_and_equivalents() -> None:
    records = [
        record("a", True, True, False),
        record("b", True, False, False),
        record("c", False, False, False),
        record("d", True, True, True, startup=True),
    ]
    figures = mutation.scores(records, {"c": {"class": "equivalent", "why": "same value"}})
    assert figures["counted"] == 2
    assert (figures["full"]["killed"], figures["generative"]["killed"], figures["st"]["killed"]) == (2, 1, 0)
    assert figures["full"]["score"] == 1.0
    assert figures["generative"]["score"] == 0.5


def test_a_retry_keeps_a_kill_and_marks_the_disagreement(tmp_path: Path) -> None:
    first, second = record("a", False, False, False), record("a", False, True, False)
    (tmp_path / "trials.jsonl").write_text(f"{json.dumps(first)}\n{json.dumps(second)}\n")
    (merged,) = mutation.trials(tmp_path)
    assert merged["retried"]
    assert merged["generative"] == {**second["generative"], "flaky": True}
    assert merged["full"]["killed"] is False
    assert merged["full"]["flaky"] is False


def test_the_mutated_place_comes_from_the_diff() -> None:
    assert mutation.where(DIFF) == "caldasa_reference/domain/x.py:113"
    assert mutation.changed(DIFF) == "`a = b - c` → `a = b >> c`"


def test_unreviewed_survivors_are_listed_as_gaps() -> None:
    lines = mutation.survivors_table([record("c", False, False, False)], {})
    assert any("unreviewed (counted as a gap)" in line for line in lines)

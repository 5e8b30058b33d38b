"""`--shard K/N` partitions the tests stably; `merge` recombines the shards' reports."""

from __future__ import annotations

import json
from pathlib import Path

from caldasa_conformance.reporting.summary import stronger
from caldasa_conformance.runner.merge import combine_exit_codes, merge_summaries
from caldasa_conformance.runner.shard import parse_shard, shard_of
from tests.cli.conftest import TOKEN, clean_env


def test_shard_of_is_stable_and_covers_every_shard() -> None:
    node_ids = [f"suites/test_x.py::test_{i}" for i in range(200)]
    first = [shard_of(node_id, 4) for node_id in node_ids]
    assert first == [shard_of(node_id, 4) for node_id in node_ids]
    assert set(first) == {1, 2, 3, 4}


def test_parse_shard() -> None:
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "1/0", "x/2", "1-2", ""):
        try:
            parse_shard(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")


def test_requirement_precedence() -> None:
    assert stronger("verified", "failed") == "failed"
    assert stronger("unverified", "verified") == "verified"
    assert stronger("unverified", "failed") == "failed"


def test_merge_summaries_sums_and_combines() -> None:
    part = {
        "target": "t",
        "seed": 1,
        "exit_code": 0,
        "duration_s": 1.5,
        "requests": 10,
        "shard": "1/2",
        "counts": {"passed": 2, "failed": 0, "skipped": 1, "xfailed": 0},
        "classes": {"schema": {"passed": 2, "failed": 0, "skipped": 1, "xfailed": 0}},
        "requirements": {"S1": "verified", "S2": "unverified"},
        "failures": [],
        "leftovers": [],
    }
    other = {
        **part,
        "exit_code": 1,
        "shard": "2/2",
        "requests": 5,
        "counts": {"passed": 1, "failed": 1, "skipped": 0, "xfailed": 0},
        "classes": {"errors": {"passed": 1, "failed": 1, "skipped": 0, "xfailed": 0}},
        "requirements": {"S1": "unverified", "S2": "failed"},
        "leftovers": [{"kind": "location", "id": "x"}],
    }
    merged = merge_summaries([part, other])
    assert merged["counts"] == {"passed": 3, "failed": 1, "skipped": 1, "xfailed": 0}
    assert set(merged["classes"]) == {"schema", "errors"}
    assert merged["requirements"] == {"S1": "verified", "S2": "failed"}
    assert (merged["exit_code"], merged["requests"], merged["duration_s"]) == (1, 15, 3.0)
    assert merged["leftovers"] == [{"kind": "location", "id": "x"}]


def test_combined_exit_code_is_the_most_serious() -> None:
    assert combine_exit_codes([0, 0]) == 0
    assert combine_exit_codes([0, 1]) == 1
    assert combine_exit_codes([1, 3, 2]) == 3


def test_two_shards_run_everything_once_and_merge(
    run_cli, fake_target: str, stand_in_suite: Path, tmp_path: Path
) -> None:
    env = clean_env(CALDASA_TOKEN=TOKEN, FAKE_FAIL="1")
    shards = [
        run_cli(
            "run",
            "--base-url",
            fake_target,
            "--suite-path",
            str(stand_in_suite),
            "--shard",
            f"{k}/2",
            env=env,
            report_dir=tmp_path / f"shard-{k}",
        )
        for k in (1, 2)
    ]
    assert all(result.code in (0, 1) for result in shards), [result.stderr for result in shards]
    totals = [sum(result.summary()["counts"].values()) for result in shards]
    assert sum(totals) == 7
    merged = run_cli(
        "merge", str(tmp_path / "shard-1"), str(tmp_path / "shard-2"), "--into", str(tmp_path / "all")
    )
    assert merged.code == 1, merged.stderr
    summary = json.loads((tmp_path / "all" / "summary.json").read_text())
    assert summary["counts"] == {"passed": 4, "failed": 1, "skipped": 2, "xfailed": 0}
    assert summary["requirements"]["S4"] == "failed"
    results = list((tmp_path / "all" / "allure-results").glob("*-result.json"))
    assert len(results) == 7
    assert (tmp_path / "all" / "junit.xml").read_text().count("<testcase") == 7


def test_merge_of_a_non_report_dir_exits_2(run_cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("merge", str(tmp_path / "empty"), "--into", str(tmp_path / "out"))
    assert result.code == 2
    assert "summary.json" in result.stderr

"""`--shard K/N` partitions the tests stably; `merge` recombines the shards' reports."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest

from caldasa_conformance.reporting.summary import stronger
from caldasa_conformance.runner.errors import UsageError
from caldasa_conformance.runner.merge import check_shards, combine_exit_codes, merge_summaries, run_id_of
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
            "--seed",
            "7",
            "--run-tag",
            "cc-shards",
            env=env,
            report_dir=tmp_path / f"shard-{k}",
        )
        for k in (1, 2)
    ]
    assert all(result.code in (0, 1) for result in shards), [result.stderr for result in shards]
    assert [result.summary()["shard"] for result in shards] == ["1/2", "2/2"]
    assert shards[0].summary()["run_id"] == shards[1].summary()["run_id"] == run_id_of(7, "cc-shards")
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
    assert summary["run_id"] == run_id_of(7, "cc-shards")


def test_merge_of_a_non_report_dir_exits_2(run_cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("merge", str(tmp_path / "empty"), "--into", str(tmp_path / "out"))
    assert result.code == 2
    assert "summary.json" in result.stderr


def _shard_dir(root: Path, name: str, shard: str | None, seed: int = 7, run_tag: str = "cc-shards") -> Path:
    """A report dir as a shard run leaves it (summary.json only), for merge's checks."""
    directory = root / name
    directory.mkdir()
    counts = {"passed": 1, "failed": 0, "skipped": 0, "xfailed": 0}
    part: dict[str, Any] = {
        "target": "http://target.invalid",
        "seed": seed,
        "run_tag": run_tag,
        "run_id": run_id_of(seed, run_tag),
        "shard": shard,
        "exit_code": 0,
        "counts": counts,
        "classes": {"schema": counts},
        "requirements": {"S1": "verified"},
    }
    (directory / "summary.json").write_text(json.dumps(part), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("shards", "refusal"),
    [
        (
            [("a", "1/2", 7, "cc-shards"), ("b", "2/2", 8, "cc-shards")],
            "is from another run than * (seed 8 vs 7)*",
        ),
        (
            [("a", "1/2", 7, "cc-shards"), ("b", "2/2", 7, "cc-other")],
            "is from another run than * (run_tag cc-other vs cc-shards)*",
        ),
        ([("a", "1/2", 7, "cc-shards"), ("b", "1/2", 7, "cc-shards")], "shard 1/2 is given twice (* and *)"),
        ([("a", "1/3", 7, "cc-shards"), ("b", "3/3", 7, "cc-shards")], "incomplete set: shard 2/3 missing*"),
        ([("a", "1/2", 7, "cc-shards"), ("b", "2/3", 7, "cc-shards")], "*is shard 2/3 but * is shard 1/2*"),
        ([("a", None, 7, "cc-shards"), ("b", "2/2", 7, "cc-shards")], "*a is not a shard*"),
    ],
    ids=["seed", "run-tag", "duplicate", "incomplete", "other-n", "not-a-shard"],
)
def test_merge_refuses_what_is_not_one_run(
    run_cli, tmp_path: Path, shards: list[tuple[str, str | None, int, str]], refusal: str
) -> None:
    dirs = [str(_shard_dir(tmp_path, name, shard, seed, tag)) for name, shard, seed, tag in shards]
    result = run_cli("merge", *dirs, "--into", str(tmp_path / "all"))
    assert result.code == 2, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert fnmatch.fnmatch(lines[0], f"caldasa-conformance: merge: *{refusal}"), lines
    assert not (tmp_path / "all" / "summary.json").exists()


def test_merge_refuses_a_report_dir_given_twice(run_cli, tmp_path: Path) -> None:
    one = str(_shard_dir(tmp_path, "a", "1/1"))
    result = run_cli("merge", one, one, "--into", str(tmp_path / "all"))
    assert (result.code, result.stderr.count("\n")) == (2, 1)
    assert "is given twice" in result.stderr


def test_allow_partial_merges_the_shards_given_and_says_which_are_missing(run_cli, tmp_path: Path) -> None:
    dirs = [str(_shard_dir(tmp_path, name, shard)) for name, shard in (("a", "1/4"), ("c", "3/4"))]
    result = run_cli("merge", *dirs, "--into", str(tmp_path / "all"), "--allow-partial")
    assert result.code == 0, result.stderr
    assert "shards 2/4, 4/4 are missing" in result.stdout
    merged = json.loads((tmp_path / "all" / "summary.json").read_text(encoding="utf-8"))
    assert merged["missing_shards"] == ["2/4", "4/4"]
    assert merged["counts"]["passed"] == 2


def test_check_shards_accepts_a_complete_set_in_any_order(tmp_path: Path) -> None:
    parts = [{"seed": 1, "run_tag": "cc-x", "shard": shard} for shard in ("2/3", "3/3", "1/3")]
    sources = [tmp_path / name for name in ("b", "c", "a")]
    assert check_shards(sources, parts, allow_partial=False) == []
    with pytest.raises(UsageError, match=r"shards 1/3, 3/3 missing"):
        check_shards(sources[:1], parts[:1], allow_partial=False)

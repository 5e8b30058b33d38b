"""`caldasa-conformance merge`: combine the report dirs of `--shard` runs into one.

Allure results are copied together (their file names are unique), JUnit test suites are concatenated into one
`junit.xml`, and the summaries are combined: counts summed, requirement statuses combined with
failed > passed > skipped > untested, leftovers and failures concatenated.

Merge refuses (exit 2, one line) what would not make one run's report: a report dir that is not a shard,
shards of different runs (each shard's summary.json names its `run_id`, from the seed and the run tag, which
the shards of one run share), the same shard twice, and a set with shards missing (unless `allow_partial`).
"""

from __future__ import annotations

import hashlib
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from caldasa_conformance.reporting import summary
from caldasa_conformance.reporting.files import read_json, write_json, write_text
from caldasa_conformance.requirements import load_requirements
from caldasa_conformance.runner.errors import SEVERITY, ExitCode
from caldasa_conformance.runner.options import UsageError
from caldasa_conformance.runner.shard import parse_shard
from caldasa_conformance.runner.verdict import settle

_SUMMED = ("requests", "retries_429", "duration_s")


def run_id_of(seed: object, run_tag: object) -> str:
    """The id of a run, shared by its shards: they are the invocations with the same seed and run tag."""
    return hashlib.sha256(f"seed={seed} run_tag={run_tag}".encode()).hexdigest()[:16]


def _run_id(part: dict[str, Any]) -> str:
    return str(part.get("run_id") or run_id_of(part.get("seed"), part.get("run_tag")))


def _shard_of(directory: Path, part: dict[str, Any]) -> tuple[int, int]:
    try:
        return parse_shard(str(part.get("shard")))
    except ValueError:
        raise UsageError(
            f"merge: {directory} is not a shard (its run had no --shard K/N): merge combines the shards "
            "of one run"
        ) from None


def check_shards(
    sources: Sequence[Path], parts: Sequence[dict[str, Any]], *, allow_partial: bool
) -> list[str]:
    """Refuse shards that do not make one run; return the missing shards (`K/N`) of an allowed partial set.

    Raises:
        UsageError: one line: a source given twice, not a shard, of another run, a shard twice, or (without
            `allow_partial`) shards missing.
    """
    seen: set[Path] = set()
    for source in sources:
        if source.resolve() in seen:
            raise UsageError(f"merge: {source} is given twice")
        seen.add(source.resolve())
    first, first_part = sources[0], parts[0]
    first_index, total = _shard_of(first, first_part)
    by_index: dict[int, Path] = {}
    for source, part in zip(sources, parts, strict=True):
        index, count = _shard_of(source, part)
        for key in ("seed", "run_tag"):
            if part.get(key) != first_part.get(key):
                raise UsageError(
                    f"merge: {source} is from another run than {first} ({key} {part.get(key)} vs "
                    f"{first_part.get(key)}): the shards of one run share --seed and --run-tag"
                )
        if _run_id(part) != _run_id(first_part):
            raise UsageError(
                f"merge: {source} is from another run than {first} (run_id {_run_id(part)} vs "
                f"{_run_id(first_part)})"
            )
        if count != total:
            raise UsageError(
                f"merge: {source} is shard {index}/{count} but {first} is shard {first_index}/{total}: "
                "the shards of one run have the same N"
            )
        if index in by_index:
            raise UsageError(f"merge: shard {index}/{total} is given twice ({by_index[index]} and {source})")
        by_index[index] = source
    missing = [f"{index}/{total}" for index in range(1, total + 1) if index not in by_index]
    if missing and not allow_partial:
        raise UsageError(
            f"merge: incomplete set: shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing "
            "(pass --allow-partial to merge the shards given)"
        )
    return missing


def _load_summary(directory: Path) -> dict[str, Any]:
    data = read_json(directory / "summary.json")
    if not isinstance(data, dict) or "counts" not in data:
        raise UsageError(f"merge: {directory} has no readable summary.json (is it a report dir of a run?)")
    return data


def combine_exit_codes(codes: Sequence[int]) -> int:
    """The most serious exit code among the shards."""
    # Shards that disagree: the most serious verdict wins (unavailable > usage > violations > conformant).
    known = [ExitCode(code) for code in codes if code in SEVERITY]
    return min(known, key=SEVERITY.index) if known else ExitCode.USAGE


def _add_counts(total: dict[str, int], part: dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + int(value)


def merge_summaries(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One summary from several shard summaries."""
    merged: dict[str, Any] = {
        key: parts[0].get(key)
        for key in ("target", "seed", "profile", "run_tag", "suite_version", "spec_version")
    }
    merged["run_id"] = _run_id(parts[0])
    merged["shards"] = [part.get("shard") for part in parts]
    merged["exit_code"] = combine_exit_codes([int(part.get("exit_code", ExitCode.USAGE)) for part in parts])
    for key in _SUMMED:
        merged[key] = round(sum(float(part.get(key) or 0) for part in parts), 1)
    merged["requests"], merged["retries_429"] = int(merged["requests"]), int(merged["retries_429"])
    merged["counts"] = summary.empty_counts()
    merged["classes"] = {}
    merged["requirements"] = {}
    for part in parts:
        _add_counts(merged["counts"], part.get("counts", {}))
        for name, counts in part.get("classes", {}).items():
            _add_counts(merged["classes"].setdefault(name, {}), counts)
        for rid, status in part.get("requirements", {}).items():
            merged["requirements"][rid] = summary.stronger(
                merged["requirements"].get(rid, "unverified"), status
            )
    merged["classes"] = dict(sorted(merged["classes"].items()))
    for key in ("failures", "known_failures", "leftovers"):
        merged[key] = [entry for part in parts for entry in part.get(key, [])]
    merged["unverified"] = {
        rid: reason for part in reversed(parts) for rid, reason in part.get("unverified", {}).items()
    }
    merged["strict"] = any(part.get("strict") for part in parts)
    settle(merged, load_requirements(), tuple(merged["classes"]), bool(merged["strict"]))
    return merged


def _merge_junit(sources: Sequence[Path], into: Path) -> None:
    root = ET.Element("testsuites", name="caldasa-conformance")
    for source in sources:
        if source.is_file():
            tree = ET.parse(source).getroot()
            root.extend(tree.iter("testsuite") if tree.tag != "testsuite" else [tree])
    write_text(into, ET.tostring(root, encoding="unicode", xml_declaration=True))


def merge(sources: Sequence[Path], into: Path, *, allow_partial: bool = False) -> dict[str, Any]:
    """Merge the report dirs `sources` (the shards of one run) into `into`; return the merged summary.

    Raises:
        UsageError: a source is not a report dir, `into` is one of the sources, or the sources are not the
            shards of one run (see `check_shards`).
    """
    into = into.resolve()
    if any(source.resolve() == into for source in sources):
        raise UsageError("merge: --into must be a new directory, not one of the report dirs being merged")
    parts = [_load_summary(source) for source in sources]
    missing = check_shards(sources, parts, allow_partial=allow_partial)
    results = into / "allure-results"
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir(parents=True)
    for source in sources:
        if (source / "allure-results").is_dir():
            shutil.copytree(source / "allure-results", results, dirs_exist_ok=True)
    _merge_junit([source / "junit.xml" for source in sources], into / "junit.xml")
    merged = merge_summaries(parts)
    merged["report_dir"] = str(into)
    if missing:
        merged["missing_shards"] = missing
    write_json(into / "summary.json", merged)
    write_text(into / "summary.md", summary.render_markdown(merged))
    return merged

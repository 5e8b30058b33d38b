"""`caldasa-conformance merge`: combine the report dirs of `--shard` runs into one.

Allure results are copied together (their file names are unique), JUnit test suites are concatenated into one
`junit.xml`, and the summaries are combined: counts summed, requirement statuses combined with
failed > passed > skipped > untested, leftovers and failures concatenated.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from caldasa_conformance.reporting import summary
from caldasa_conformance.reporting.files import read_json, write_json, write_text
from caldasa_conformance.requirements import load_requirements
from caldasa_conformance.runner.options import UsageError
from caldasa_conformance.runner.verdict import settle

_SUMMED = ("requests", "retries_429", "duration_s")
# When shards disagree, the verdict is the most serious one: unavailable > usage > violations > conformant.
_EXIT_SEVERITY = (3, 2, 1, 0)


def _load_summary(directory: Path) -> dict[str, Any]:
    data = read_json(directory / "summary.json")
    if not isinstance(data, dict) or "counts" not in data:
        raise UsageError(f"merge: {directory} has no readable summary.json (is it a report dir of a run?)")
    return data


def combine_exit_codes(codes: Sequence[int]) -> int:
    """The most serious exit code among the shards."""
    known = [code for code in codes if code in _EXIT_SEVERITY]
    return min(known, key=_EXIT_SEVERITY.index) if known else 2


def _add_counts(total: dict[str, int], part: dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + int(value)


def merge_summaries(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One summary from several shard summaries."""
    merged: dict[str, Any] = {
        key: parts[0].get(key)
        for key in ("target", "seed", "profile", "run_tag", "suite_version", "spec_version")
    }
    merged["shards"] = [part.get("shard") for part in parts]
    merged["exit_code"] = combine_exit_codes([int(part.get("exit_code", 2)) for part in parts])
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


def merge(sources: Sequence[Path], into: Path) -> dict[str, Any]:
    """Merge the report dirs `sources` into `into`; return the merged summary.

    Raises:
        UsageError: a source is not a report dir, or `into` is one of the sources.
    """
    into = into.resolve()
    if any(source.resolve() == into for source in sources):
        raise UsageError("merge: --into must be a new directory, not one of the report dirs being merged")
    parts = [_load_summary(source) for source in sources]
    results = into / "allure-results"
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir(parents=True)
    for source in sources:
        if (source / "allure-results").is_dir():
            shutil.copytree(source / "allure-results", results, dirs_exist_ok=True)
    _merge_junit([source / "junit.xml" for source in sources], into / "junit.xml")
    merged = merge_summaries(parts)
    merged["report_dir"] = str(into)
    write_json(into / "summary.json", merged)
    write_text(into / "summary.md", summary.render_markdown(merged))
    return merged

"""The rendered Allure report counts what JUnit counts: every test once, every failure as failed.

A small failing run of the real suite (the schema class, smoke budget, the reference server answering an
undocumented status), rendered with the Allure 3 CLI; the counts are read from the data the single-file
index.html embeds. Before each test item had its own Allure ids, the 87 generated items of one test showed
as one test with 86 retries, and its failing `[POST /customers]` item as passed.
"""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from tests.cli.conftest import clean_env
from tests.cli.test_report_html import needs_allure  # skips, naming why, without the Allure 3 CLI

_EMBEDDED = re.compile(r'd\("([^"]+)","([^"]*)"\)')


def embedded_data(index: Path) -> dict[str, Any]:
    """The JSON documents a single-file Allure 3 report embeds, by name (`widgets/statistic.json`, ...)."""
    html = index.read_text(encoding="utf-8")
    return {
        name: json.loads(base64.b64decode(value))
        for name, value in _EMBEDDED.findall(html)
        if name.endswith(".json") and not name.startswith("data/attachments/")
    }


def junit_counts(junit: Path) -> tuple[int, int]:
    """(tests, failed) of a JUnit file: failed counts failures and errors."""
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    failed = [case for case in cases if case.find("failure") is not None or case.find("error") is not None]
    return len(cases), len(failed)


@needs_allure
def test_report_of_a_failing_run_counts_what_junit_counts(run_cli, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    result = run_cli(
        "run",
        "--classes",
        "schema",
        "--budget",
        "smoke",
        "--reference-fault",
        "undocumented-status",
        "--seed",
        "1",
        env=clean_env(),
        report_dir=reports,
        timeout=300,
    )
    assert result.code == 1, result.stderr[-2000:]
    rendered = run_cli("report", "--report-dir", str(reports), "--single-file", env=clean_env(), timeout=300)
    assert rendered.code == 0, rendered.stderr
    data = embedded_data(reports / "allure-report" / "index.html")
    statistic = data["widgets/statistic.json"]
    total, failed = junit_counts(reports / "junit.xml")
    assert failed > 0
    # Allure calls an exception that is not an assertion "broken" (a harness error) where JUnit says failed
    not_passed = statistic.get("failed", 0) + statistic.get("broken", 0)
    assert (statistic["total"], not_passed) == (total, failed), statistic
    assert not statistic.get("retries"), statistic  # no item is taken for a retry of another
    shown = {
        entry["name"]: entry["status"]
        for name, entry in data.items()
        if name.startswith("data/test-results/") and not entry.get("isRetry")
    }
    assert len(shown) == total
    assert shown["test_generated_requests_get_documented_responses[POST /customers]"] == "failed"

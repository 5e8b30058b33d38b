"""Plain `pytest` with only the suite plugin gets what `caldasa-conformance run` adds: sharding, Allure
labels, progress lines and the run's summary (the plugin loads its sub-plugins itself)."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]

TESTS = """
import pytest

@pytest.mark.schema
@pytest.mark.req("S1")
@pytest.mark.operation("getCustomer")
@pytest.mark.parametrize("n", range(8))
def test_schema(n):
    pass
"""


def plugin_project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tests: str) -> None:
    """A project whose conftest loads only the suite plugin, `tests` its one test file, no CALDASA_* set."""
    for name in ("CALDASA_BASE_URL", "CALDASA_TOKEN", "CALDASA_TOKEN_SECONDARY", "HYPOTHESIS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeconftest('pytest_plugins = ["caldasa_conformance.plugin"]')
    pytester.makepyfile(test_suite=tests)


def test_plain_pytest_gets_labels_sharding_and_summaries(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin_project(pytester, monkeypatch, TESTS)
    results = pytester.path / "allure-results"
    outcome = pytester.runpytest_subprocess(
        "--caldasa-base-url=http://127.0.0.1:9",
        "--caldasa-shard=1/2",
        "--caldasa-report-dir=out",
        f"--alluredir={results}",
        "-p",
        "no:cacheprovider",
    )
    counts = outcome.parseoutcomes()
    assert 0 < counts["passed"] < 8
    assert counts["passed"] + counts["deselected"] == 8
    outcome.stdout.fnmatch_lines(["[[]caldasa[]] schema * done*", "caldasa: 0 requests sent*"])
    labels = [
        (label["name"], label["value"])
        for path in results.glob("*-result.json")
        for label in json.loads(path.read_text(encoding="utf-8"))["labels"]
    ]
    assert ("epic", "schema") in labels
    assert ("story", "getCustomer") in labels
    assert ("requirement", "S1") in labels
    assert ("severity", "critical") in labels
    assert (pytester.path / "out" / ".caldasa" / "requests-main.json").is_file()

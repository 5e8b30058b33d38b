"""Progress per conformance class: one line whenever a class passes a quarter of its tests and when it
completes (registered by `caldasa_conformance.plugin` when a target is configured).

The class of a test is its class marker, read from `report.keywords`, which pytest-xdist carries from the
workers to the controller. Under xdist the controller collects nothing, so the first collecting process writes
the per-class totals to `<report-dir>/.caldasa/collected.json` and the controller reads them from there.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Generator
from pathlib import Path

import pytest

from caldasa_conformance.requirements import CLASSES

UNCLASSIFIED = "unclassified"
PLUGIN_NAME = "caldasa-class-progress"
_TOTALS_FILE = "collected.json"


def class_of(keywords: object) -> str:
    """The conformance class named among a test's keywords/markers."""
    try:
        names = set(keywords)  # type: ignore[call-overload]
    except TypeError:
        names = set()
    return next((name for name in CLASSES if name in names), UNCLASSIFIED)


def _outcome(report: pytest.TestReport) -> str | None:
    """The test's outcome as its setup (when it did not pass) or call report says, else None."""
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            return "xfailed" if report.skipped else "failed"
        return str(report.outcome)
    return None


def _final(so_far: str | None, teardown: pytest.TestReport) -> str:
    """The test's final outcome, known at its teardown: a failed teardown fails it, as the summary counts."""
    if teardown.failed:
        return "failed"
    return so_far or str(teardown.outcome)


class ClassProgress:
    """Counts finished tests per class and prints a line at every quarter and at completion."""

    def __init__(self, config: pytest.Config, state_dir: Path) -> None:
        """`state_dir` is `<report-dir>/.caldasa`, shared by the xdist controller and its workers."""
        self.config = config
        self.state_dir = state_dir
        self.totals: dict[str, int] = {}
        self.done: dict[str, Counter[str]] = {}
        self.reported_quarter: dict[str, int] = {}
        self.running: dict[str, str] = {}  # node id → its outcome until its teardown

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Record how many tests of each class will run (and share it with the xdist controller)."""
        self.totals = dict(Counter(class_of(item.keywords) for item in session.items))
        state_dir = self.state_dir
        if session.items:
            state_dir.mkdir(parents=True, exist_ok=True)
            temporary = state_dir / f".{_TOTALS_FILE}.{os.getpid()}"
            temporary.write_text(json.dumps(self.totals), encoding="utf-8")
            os.replace(temporary, state_dir / _TOTALS_FILE)

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(
        self, report: pytest.TestReport, config: pytest.Config
    ) -> Generator[None, tuple[str, str, object], tuple[str, str, object]]:
        """Without -v our lines are the progress: pytest's dots would break them mid-line, so they go (the
        category stays, and with it pytest's counts and its short summary of failures)."""
        category, letter, word = yield
        return (category, "" if config.option.verbose <= 0 else letter, word)

    def _load_totals(self) -> None:
        if not self.totals:
            try:
                self.totals = json.loads((self.state_dir / _TOTALS_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.totals = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count a test once, at its teardown, and print a progress line when its class crosses a quarter."""
        if hasattr(self.config, "workerinput"):
            return
        if report.when != "teardown":
            outcome = _outcome(report)
            if outcome is not None:
                self.running[report.nodeid] = outcome
            return
        outcome = _final(self.running.pop(report.nodeid, None), report)
        self._load_totals()
        name = class_of(report.keywords)
        counter = self.done.setdefault(name, Counter())
        counter[outcome] += 1
        total = self.totals.get(name, 0)
        finished = sum(counter.values())
        quarter = 4 * finished // total if total else 0
        if quarter > self.reported_quarter.get(name, 0):
            self.reported_quarter[name] = quarter
            self._print(name, counter, finished, total)

    def _print(self, name: str, counter: Counter[str], finished: int, total: int) -> None:
        state = "done" if finished >= total else f"{finished}/{total}"
        parts = ", ".join(
            f"{counter[key]} {key}" for key in ("passed", "failed", "skipped", "xfailed") if counter[key]
        )
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        line = f"[caldasa] {name:<12} {state:>9}  {parts}"
        if reporter is not None:
            # pytest's progress dots leave the cursor mid-line; start our line on a fresh one.
            if reporter._tw.width_of_current_line:
                reporter.write("\n")
            reporter.write_line(line)

    def pytest_sessionfinish(self) -> None:
        """Print the classes whose totals were unknown (no completion line yet)."""
        if hasattr(self.config, "workerinput"):
            return
        for name, counter in sorted(self.done.items()):
            finished = sum(counter.values())
            if self.reported_quarter.get(name, 0) < 4:
                self._print(name, counter, finished, finished)

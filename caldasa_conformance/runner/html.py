"""`caldasa-conformance report`: render the Allure HTML report with the Allure 3 CLI (npm `allure`, no Java).

The CLI is looked up as `node_modules/.bin/allure` (the project's pinned copy), then `allure` on PATH, and
otherwise run through `npm exec --package=allure@3`. History for trends lives in `<report-dir>/history.jsonl`,
which the runner never clears.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from caldasa_conformance.reporting.allure_extras import CATEGORIES
from caldasa_conformance.runner.options import UsageError

ALLURE_PACKAGE = "allure@3"
# Labels allure-pytest sets that are the same for every test of a run (host, thread, framework, language) or
# repeat its full name (package, suites); hidden from each test's label list, which every test's data in a
# single-file report repeats. The timeline still reads host and thread.
HIDDEN_LABELS = ("host", "thread", "framework", "language", "package", "parentSuite", "suite", "subSuite")


def allure_command(cwd: Path) -> list[str]:
    """How to invoke the Allure 3 CLI from `cwd`.

    Raises:
        UsageError: neither Allure nor npm is installed.
    """
    for folder in (cwd, *cwd.parents):
        local = folder / "node_modules" / ".bin" / "allure"
        if local.is_file():
            return [str(local)]
    on_path = shutil.which("allure")
    if on_path and _is_allure3(on_path):
        return [on_path]
    npm = shutil.which("npm")
    if npm is None:
        raise UsageError(
            "the Allure 3 CLI needs Node.js: install node and npm, then run npm ci in the project"
        )
    return [npm, "exec", "--yes", f"--package={ALLURE_PACKAGE}", "--", "allure"]


def _is_allure3(executable: str) -> bool:
    try:
        output = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return output.strip().startswith("3.")


TIMELINE_MIN_MS = 50
SINGLE_FILE_HISTORY_RUNS = 3
# The charts of a single-file report: Allure's defaults but the two treemaps of every test (coverage diff and
# success rate distribution), which took over half a megabyte of a default run's file, twice over.
SINGLE_FILE_CHARTS = (
    {"type": "currentStatus", "title": "Current status"},
    {"type": "statusDynamics", "title": "Status dynamics"},
    {"type": "testResultSeverities", "title": "Test results by severities"},
    {"type": "statusTransitions", "title": "Status transitions"},
    {"type": "testBaseGrowthDynamics", "title": "Test base growth dynamics"},
    {"type": "stabilityDistribution", "title": "Stability by class", "threshold": 90, "groupBy": "epic"},
    {"type": "durations", "title": "Durations histogram", "groupBy": "none"},
    {"type": "durationDynamics", "title": "Durations dynamics"},
)


def allure_config(output: Path, report_dir: Path, *, single_file: bool, name: str) -> str:
    """The allurerc.mjs text: the awesome report grouped by class/tag/operation, history in the report dir."""
    config = {
        "name": name,
        "output": str(output),
        "historyPath": str(report_dir / "history.jsonl"),
        # Each run of history embeds its results (~1 MB for a default run): a file meant to be mailed or
        # attached keeps the last few, a hosted report all of them.
        **({"historyLimit": SINGLE_FILE_HISTORY_RUNS} if single_file else {}),
        # Allure 3 reads categories from its config (it keeps categories.json for Allure 2 only).
        "categories": CATEGORIES,
        "hideLabels": list(HIDDEN_LABELS),
        "plugins": {
            "awesome": {
                "options": {
                    "singleFile": single_file,
                    "reportName": name,
                    "groupBy": ["epic", "feature", "story"],
                    # The timeline shows where a run's time went: the tests that took a while, not the
                    # hundreds of millisecond-long auth and schema cases (a third of a single-file report).
                    "timeline": {"minDuration": TIMELINE_MIN_MS},
                    **({"charts": list(SINGLE_FILE_CHARTS)} if single_file else {}),
                }
            }
        },
    }
    return f"export default {json.dumps(config, indent=2)};\n"


def render(report_dir: Path, *, single_file: bool, name: str = "Caldasa conformance") -> Path:
    """Generate the HTML report into `<report-dir>/allure-report`; return the index.html path.

    Raises:
        UsageError: no allure-results, or the Allure CLI failed.
    """
    results = report_dir / "allure-results"
    if not results.is_dir() or not any(results.glob("*-result.json")):
        raise UsageError(f"report: no test results in {results}: run caldasa-conformance run first")
    output = report_dir / "allure-report"
    shutil.rmtree(output, ignore_errors=True)  # a previous render (other mode) must not linger
    _history_as_before_this_run(report_dir)
    with tempfile.TemporaryDirectory(prefix="caldasa-allure-") as workdir:
        config = Path(workdir) / "allurerc.mjs"
        config.write_text(
            allure_config(output, report_dir, single_file=single_file, name=name), encoding="utf-8"
        )
        command = [*allure_command(Path.cwd()), "generate", str(results), "--config", str(config)]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        last = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["no output"]
        raise UsageError(f"report: allure generate failed ({last[0]})")
    index = next(
        (path for path in (output / "index.html", output / "awesome" / "index.html") if path.is_file()), None
    )
    if index is None:
        raise UsageError(f"report: allure generate wrote no index.html under {output}")
    return index


def _history_as_before_this_run(report_dir: Path) -> None:
    """Allure appends the rendered run to `history.jsonl`: rendering one run twice (HTML, then single-file)
    would count it twice in every trend and double the history a report embeds. The first render of a run
    keeps the history as it was (in `.caldasa/`, which the next run clears); later renders start from it."""
    history = report_dir / "history.jsonl"
    before = report_dir / ".caldasa" / "history-before-render.jsonl"
    if before.is_file():
        shutil.copyfile(before, history)
    elif history.is_file():
        before.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(history, before)
    else:
        before.parent.mkdir(parents=True, exist_ok=True)
        before.write_bytes(b"")


def serve(directory: Path, port: int) -> None:
    """Serve `directory` on 127.0.0.1:`port` (0 = a free port) until Ctrl-C."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(
            f"Allure report served on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True
        )
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()

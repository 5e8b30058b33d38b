"""One real self-test: a clean whole-suite run (1 seed) and two faults, against the embedded reference server.

About 1.5 minutes on a 2-core machine: the clean run and the two fault runs go two at a time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FAULTS = ("tenant-leak", "pagination-overlap")


def test_selftest_on_two_faults_is_clean_and_kills_both(tmp_path: Path) -> None:
    report = tmp_path / "selftest.json"
    command = [
        sys.executable, "-m", "caldasa_conformance.cli", "selftest", "--seeds=1", "--seed=3",
        f"--faults={','.join(FAULTS)}", f"--report-dir={tmp_path / 'runs'}", f"--json={report}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["clean"] == {**data["clean"], "runs": 1, "failed": 0}
    assert set(data["faults"]) == set(FAULTS)
    for name, requirement in zip(FAULTS, ("T1", "T3"), strict=True):
        entry = data["faults"][name]
        assert entry["requirement"] == requirement
        assert entry["detected"], entry
        assert requirement in entry["by"], entry
        assert entry["seconds"] > 0
    matrix = done.stdout
    assert "fault" in matrix
    assert "tenant-leak" in matrix
    assert "selftest passed" in matrix

"""A target that hangs, resets connections or sends malformed JSON ends within its timeout budget, with
clear failures (the real suite's pagination class, smallest budget, 1 s per request)."""

from __future__ import annotations

import time

import pytest

from tests.cli.conftest import clean_env


@pytest.mark.parametrize("misbehaving_target", ["hang", "reset", "malformed-json"], indirect=True)
def test_misbehaving_target_fails_clearly_and_in_time(run_cli, misbehaving_target: str) -> None:
    started = time.monotonic()
    result = run_cli(
        "run",
        "--base-url",
        misbehaving_target,
        "--classes",
        "pagination",
        "--budget",
        "smoke",
        "--timeout",
        "1",
        env=clean_env(CALDASA_TOKEN="misbehaving-target-token"),
        timeout=280,
    )
    assert time.monotonic() - started < 240
    assert result.code == 1, result.stdout[-2000:] + result.stderr[-2000:]
    summary = result.summary()
    assert summary["counts"]["failed"] > 0
    assert summary["counts"]["passed"] == 0
    reasons = {failure["reason"] for failure in summary["failures"]}
    assert all(reason and reason != "(no message)" for reason in reasons), reasons
    assert "Traceback" not in result.stdout

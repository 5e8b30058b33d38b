"""The exit codes of every command, and the two ways a command stops early: defined once.

`ExitCode` is what `caldasa-conformance` (run, merge, report, cleanup, selftest, coverage) returns;
`from_pytest` is the one place that reads the exit status of the pytest a run starts.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The suite's exit codes (README, "Exit codes")."""

    OK = 0  # conformant (a selftest or coverage that is complete)
    VIOLATIONS = 1  # violations found, or nothing verified (a selftest or coverage that falls short)
    USAGE = 2  # usage or configuration error; also a run that verified nothing because of its settings
    UNAVAILABLE = 3  # target unreachable, not the API, or credentials rejected
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)


# The most serious first: what a merge of several shards' codes reports.
SEVERITY = (ExitCode.UNAVAILABLE, ExitCode.USAGE, ExitCode.VIOLATIONS, ExitCode.OK)


class UsageError(Exception):
    """A mistake of the user's (an option, a file, the environment): exit 2, one line saying what to fix."""


class RunAborted(Exception):
    """The run cannot go on; carries the exit code and a one-line message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def from_pytest(pytest_code: int, *, sharded: bool, selection: str) -> ExitCode:
    """The run's exit code for the exit status of its pytest; raise `RunAborted` when it has no verdict.

    Args:
        pytest_code: pytest's exit status (`pytest.ExitCode`'s values).
        sharded: a shard may rightly select no test (a small class split over many machines).
        selection: how the run chose its tests, for the message when none was selected.
    """
    import pytest  # imported here: the console script starts without loading pytest

    if pytest_code == pytest.ExitCode.OK:
        return ExitCode.OK
    if pytest_code == pytest.ExitCode.TESTS_FAILED:
        return ExitCode.VIOLATIONS
    if pytest_code == pytest.ExitCode.NO_TESTS_COLLECTED:
        if sharded:
            return ExitCode.OK
        raise RunAborted(ExitCode.USAGE, f"no test selected for {selection}: check --classes/--profile")
    if pytest_code == pytest.ExitCode.USAGE_ERROR:
        raise RunAborted(
            ExitCode.USAGE, "pytest rejected the configuration: fix the option named in the error above"
        )
    if pytest_code == pytest.ExitCode.INTERRUPTED:
        raise RunAborted(ExitCode.USAGE, "pytest stopped before running (collection errors above)")
    raise RunAborted(
        ExitCode.USAGE, f"pytest ended abnormally (exit status {pytest_code}); see its output above"
    )

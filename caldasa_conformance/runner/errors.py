"""The exit codes of every command, and the two ways a command stops early: defined once."""

from __future__ import annotations

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class UsageError(Exception):
    """A mistake of the user's (an option, a file, the environment): exit 2, one line saying what to fix."""


class RunAborted(Exception):
    """The run cannot go on; carries the exit code and a one-line message."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code

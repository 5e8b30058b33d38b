"""One `caldasa-conformance run` against the embedded reference server, as a child process.

A child process per run keeps each run clean (Hypothesis, Schemathesis and server state) and lets a hung
run be killed; its output goes to `<report dir>.log`, so the self-test's own output stays a readable matrix.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caldasa_conformance.runner.embedded import EmbeddedServer, EmbeddedServerError
from caldasa_conformance.runner.errors import ExitCode

RUN_TIMEOUT = 900.0
_DROPPED_ENV = ("CALDASA_BASE_URL", "CALDASA_PROFILE", "CALDASA_CLASSES")


@dataclass(frozen=True)
class RunRequest:
    """What to run: classes (empty = the whole reference profile), seed, budget, faults, where to report."""

    report_dir: Path
    seed: int
    budget: str
    classes: tuple[str, ...] = ()
    faults: tuple[str, ...] = ()
    timeout: float = RUN_TIMEOUT
    # Extra reference-server arguments (e.g. a rate limit). `run --reference-fault` cannot pass them, so with
    # these the self-test starts the server itself and runs the suite against it with `--base-url`.
    server_args: tuple[str, ...] = ()
    # `reference` holds the server to the reference's own policies; a legal variant is another server and
    # runs as `staging`, where a policy it does not follow is a note, never a failure.
    profile: str = "reference"
    pytest_args: tuple[str, ...] = ()  # after `--` (e.g. the generative-only plugin)


@dataclass(frozen=True)
class RunResult:
    """How a run ended: its exit code (None when it timed out), its summary (empty if none) and duration."""

    request: RunRequest
    exit_code: int | None
    summary: dict[str, Any]
    seconds: float

    @property
    def log(self) -> Path:
        return log_path(self.request.report_dir)

    @property
    def error(self) -> str | None:
        """Why the run gave no verdict (timeout, usage error, unreachable server), or None."""
        if self.exit_code is None:
            return f"timed out after {self.request.timeout:g}s (see {self.log})"
        if self.exit_code not in (ExitCode.OK, ExitCode.VIOLATIONS) or not self.summary:
            return f"run ended with exit code {self.exit_code} and no verdict (see {self.log})"
        return None


def log_path(report_dir: Path) -> Path:
    return report_dir.with_name(report_dir.name + ".log")


def run_command(request: RunRequest, base_url: str | None = None) -> list[str]:
    """The `caldasa-conformance run` argv for `request` (no secrets: tokens travel in the environment)."""
    command = [
        sys.executable,
        "-m",
        "caldasa_conformance.cli",
        "run",
        f"--profile={request.profile}",
        f"--budget={request.budget}",
        f"--seed={request.seed}",
        f"--report-dir={request.report_dir}",
        "--workers=1",  # the self-test runs several runs at once (--jobs): one process each
    ]
    if request.classes:
        command.append(f"--classes={','.join(request.classes)}")
    if base_url is not None:
        command.append(f"--base-url={base_url}")
    else:
        command += [f"--reference-fault={name}" for name in request.faults]
    return [*command, "--", *request.pytest_args] if request.pytest_args else command


def _environment(server: EmbeddedServer | None = None) -> dict[str, str]:
    # A target configured for the user's own runs must not redirect the self-test.
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED_ENV}
    if server is not None:
        env["CALDASA_TOKEN"], env["CALDASA_TOKEN_SECONDARY"] = server.token, server.secondary_token
    return env


def execute(request: RunRequest) -> RunResult:
    """Run `request`; with `server_args`, against a reference server started here with those arguments."""
    request.report_dir.mkdir(parents=True, exist_ok=True)
    if not request.server_args:
        return _execute(request, run_command(request), _environment())
    faults = tuple(f"--fault={name}" for name in request.faults)
    server = EmbeddedServer(extra_args=(*faults, *request.server_args))
    started = time.monotonic()
    try:
        url = server.start()
    except EmbeddedServerError as error:
        log_path(request.report_dir).write_text(f"{error}\n", encoding="utf-8")
        return RunResult(request, 3, {}, time.monotonic() - started)
    try:
        return _execute(request, run_command(request, url), _environment(server))
    finally:
        server.stop()
        server.write_log(request.report_dir / "reference-server.log")


def _execute(request: RunRequest, command: list[str], env: dict[str, str]) -> RunResult:
    """Run and wait (killing the run's process group on timeout); read its summary.json."""
    summary_path = request.report_dir / "summary.json"
    summary_path.unlink(missing_ok=True)
    started = time.monotonic()
    with log_path(request.report_dir).open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # so a timeout can stop pytest and the server with it
        )
        try:
            exit_code: int | None = process.wait(request.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            exit_code = None
        except BaseException:
            _kill_group(process)
            raise
    seconds = time.monotonic() - started
    return RunResult(request, exit_code, _read_summary(summary_path), seconds)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _read_summary(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}

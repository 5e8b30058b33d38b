"""The pytest subprocess: its command line, its environment, and how its exit status is read.

pytest runs in a child process so that every run starts clean (Hypothesis, Schemathesis and module state)
and pytest-xdist can fork workers from it. Tokens and the plugin settings (`CALDASA_*`, from the option
table) reach it through the environment; its argv holds pytest's own options only.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from caldasa_conformance.options import environment
from caldasa_conformance.runner.options import RunOptions, Tokens, UsageError

PLUGINS = ("caldasa_conformance.plugin",)  # it loads its own sub-plugins (sharding, Allure labels, progress)
PYTEST_TEARDOWN_SECONDS = 60
_TOKEN_VARIABLES = (
    "CALDASA_TOKEN",
    "CALDASA_TOKEN_FILE",
    "CALDASA_TOKEN_SECONDARY",
    "CALDASA_TOKEN_SECONDARY_FILE",
)


@dataclass(frozen=True)
class Target:
    """Where the suite sends its requests, and with which tokens."""

    base_url: str
    tokens: Tokens


def installed_suites() -> Path:
    """The directory of the installed `suites` package (found without importing it).

    Raises:
        UsageError: the package is not installed.
    """
    spec = importlib.util.find_spec("suites")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("the 'suites' package is not installed: run pip install -e '.[dev]' in the project")
    return Path(next(iter(spec.submodule_search_locations)))


def pytest_command(options: RunOptions, target: Target) -> list[str]:
    """The full pytest argv (no secrets in it, and no plugin settings: those go by `pytest_environment`)."""
    suite = options.suite_path or installed_suites()
    plugins = [arg for name in PLUGINS for arg in ("-p", name)]
    report = options.report_dir
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(suite),
        *plugins,
        f"--hypothesis-seed={options.seed}",
        "-m",
        " or ".join(options.classes),
        f"--junitxml={report / 'junit.xml'}",
        f"--alluredir={report / 'allure-results'}",
        "-q",
        "--no-header",
        # Every failure of the suites carries its own message, so assertion rewriting buys nothing here, and
        # it costs ~2 s a run: pytest re-parses every module of the plugin distributions (all of Hypothesis
        # and Schemathesis) whenever bytecode is not written (PYTHONDONTWRITEBYTECODE, read-only packages).
        "--assert=plain",
    ]
    # Without -v the class progress lines replace pytest's dots, and with them its lonely `[100%]`.
    command += (
        ["--tb=short", "-rfE"]
        if options.verbose
        else ["--tb=no", "-rN", "-o", "console_output_style=classic"]
    )
    if options.workers > 1:
        # worksteal, not loadscope: one module (the generated `errors` cases) is 40 % of a run, and grouping
        # by module left one worker with it while the other idled (measured: 1.47x against 1.1x on 2 cores).
        command += ["-n", str(options.workers), "--dist", "worksteal"]
    return [*command, *options.pytest_args]


def pytest_environment(
    options: RunOptions, target: Target, base: dict[str, str] | None = None
) -> dict[str, str]:
    """The child's environment: ours, with the run's plugin settings as `CALDASA_*` variables (those given
    override ours, as a command-line value would), the resolved tokens set and the token-file variables
    dropped."""
    env = {key: value for key, value in (base or dict(os.environ)).items() if key not in _TOKEN_VARIABLES}
    env.update(environment(options.settings(target.base_url)))
    env["CALDASA_TOKEN"] = target.tokens.primary
    if target.tokens.secondary:
        env["CALDASA_TOKEN_SECONDARY"] = target.tokens.secondary
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job): handled like Ctrl-C, and reported with its own exit code (143)."""


def raise_terminated(signum: int, frame: object) -> None:
    """SIGTERM handler: unwind like Ctrl-C, so the embedded server is stopped and leftovers cleaned."""
    raise Terminated


def run_pytest(command: list[str], env: dict[str, str]) -> int:
    """Run pytest with our terminal as its terminal; on Ctrl-C or SIGTERM let it finish its cleanup first.

    pytest runs in a process group of its own, so a SIGINT reaches it once and only from us, whether the
    terminal's Ctrl-C signalled our whole group or someone signalled this process alone (`kill -INT`).
    A second SIGINT would break its teardown, which removes what the run created.
    """
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(PYTEST_TEARDOWN_SECONDS)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
            process.wait()
        raise

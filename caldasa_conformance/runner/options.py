"""The `run` options, validated into one frozen value; every problem is a one-line `UsageError` (exit 2).

The options that are plugin settings are converted by the option table (`caldasa_conformance.options`), the
same converters the plugin uses; the rest (classes, workers, seed, the embedded server's) are `run`'s own.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caldasa_conformance.budget import BUDGETS
from caldasa_conformance.expectations import FileProblem, load_expectations
from caldasa_conformance.naming import new_run_tag
from caldasa_conformance.options import BY_NAME, OPTIONS, PROFILES, read_token
from caldasa_conformance.requirements import CLASSES, STATELESS_CLASSES
from caldasa_conformance.runner.errors import UsageError
from caldasa_conformance.states import load_manifest

__all__ = [
    "BUDGETS",
    "PROFILES",
    "RunOptions",
    "Tokens",
    "UsageError",
    "options_from_args",
    "tokens_from_env",
]
PROFILE_CLASSES: dict[str, tuple[str, ...]] = {
    "staging": CLASSES,
    "reference": CLASSES,
    # A schema-driven mock keeps no state; production must only ever see GET requests.
    "mock": STATELESS_CLASSES,
    "readonly": STATELESS_CLASSES,
}


@dataclass(frozen=True)
class Tokens:
    """The bearer tokens of the primary and (optional) secondary tenant."""

    primary: str
    secondary: str | None


@dataclass(frozen=True)
class RunOptions:
    """Everything `caldasa-conformance run` needs, validated."""

    base_url: str | None
    profile: str
    classes: tuple[str, ...]
    budget: str | None
    seed: int
    workers: int  # AUTO_WORKERS until `run` sizes it
    shard: str | None
    report_dir: Path
    expectations: Path | None
    max_rps: float | None
    timeout: float | None
    states: Path | None
    run_tag: str
    suite_path: Path | None
    verbose: bool
    pytest_args: tuple[str, ...]
    reference_faults: tuple[str, ...] = ()
    reference_rate_limit: str | None = None
    strict: bool = False  # an unverified MUST requirement fails the run (a certification allows no skips)
    attach: str = "failures"  # which tests keep full request/response/curl attachments: failures or all
    webhook_receiver_url: str | None = None  # the receiver's public URL (a tunnel), for a remote target
    testing_api: str = "auto"  # auto: the run probes once and hands its children `on` or `off`
    testing_api_probe: str | None = None  # what the run's probe found (summary.json `testing_api`)
    webhook_receiver_host: str | None = None
    webhook_receiver_port: int | None = None

    def settings(self, base_url: str) -> dict[str, object]:
        """The plugin settings of this run, by option name (None: not given), for the pytest child."""
        values = {option.name: getattr(self, option.name, None) for option in OPTIONS if option.run_flag}
        return {**values, "base_url": base_url}

    @property
    def embedded(self) -> bool:
        """True when the run starts its own reference server."""
        return self.base_url is None


def _did_you_mean(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_classes(text: str | None, profile: str) -> tuple[str, ...]:
    """The classes to run: the profile's, or the comma-separated `--classes` (which must fit the profile)."""
    allowed = PROFILE_CLASSES[profile]
    if not text:
        return allowed
    chosen = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    for name in chosen:
        if name not in CLASSES:
            raise UsageError(
                f"--classes: unknown class {name!r}{_did_you_mean(name, CLASSES)}; "
                f"choose from {', '.join(CLASSES)}"
            )
        if name not in allowed:
            raise UsageError(
                f"--classes: class {name!r} is not part of profile {profile!r} ({', '.join(allowed)})"
            )
    if not chosen:
        raise UsageError("--classes: name at least one class, e.g. --classes schema,errors")
    return chosen


def _report_dir(value: str | None) -> Path:
    value = value or str(BY_NAME["report_dir"].default)
    path = Path(value).resolve()
    if path.exists() and not path.is_dir():
        raise UsageError(f"--report-dir: {value!r} exists and is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--report-dir: cannot create {value!r} ({error.strerror or error})") from None
    if not os.access(path, os.W_OK):
        raise UsageError(f"--report-dir: {value!r} is not writable")
    return path


def _profile(args: argparse.Namespace) -> str:
    profile = str(args.profile or ("staging" if args.base_url else "reference"))
    return str(BY_NAME["profile"].parse(profile, "--profile"))


# `--workers auto`: sized by the runner once the target is known (`sizing.auto_workers`), from its round trip.
AUTO_WORKERS = 0


def _workers(text: str) -> int:
    """A whole number of at least 1, or `auto` (`AUTO_WORKERS`, resolved when the target has been probed)."""
    if text == "auto":
        value = AUTO_WORKERS
    elif text.isdigit() and int(text) >= 1:
        value = int(text)
    else:
        raise UsageError(f"--workers: expected a whole number of at least 1 or 'auto', got {text!r}")
    if value not in (1, AUTO_WORKERS) and importlib.util.find_spec("xdist") is None:
        raise UsageError("--workers needs pytest-xdist: pip install pytest-xdist (or drop --workers)")
    return value


def _workers_asked(args: argparse.Namespace) -> str:
    """`--workers`, else `CALDASA_WORKERS` (a CI job's setting), else `auto`."""
    if args.workers is not None:
        return str(args.workers)
    value = os.environ.get("CALDASA_WORKERS") or "auto"
    try:
        _workers(value)
    except UsageError as error:
        raise UsageError(str(error).replace("--workers", "CALDASA_WORKERS", 1)) from None
    return value


def _receiver_port(args: argparse.Namespace) -> int | None:
    """A fixed receiver port (a tunnel's) can be bound by one process only: it needs one worker."""
    port: int | None = _setting(args, "webhook_receiver_port")
    if port and _workers(_workers_asked(args)) > 1:
        raise UsageError(
            "--webhook-receiver-port: a fixed port can be bound by one worker only: use --workers 1 "
            "(or port 0 without a tunnel)"
        )
    return port


def _reference_faults(names: list[str] | None, base_url: str | None) -> tuple[str, ...]:
    if names and base_url:
        raise UsageError("--reference-fault only applies to the embedded reference server: drop --base-url")
    if names:
        from caldasa_conformance.selftest.faults import FaultListError, list_faults

        try:
            known = tuple(fault.name for fault in list_faults())
        except FaultListError as error:
            raise UsageError(f"--reference-fault: {error}") from None
        for name in names:
            if name not in known:
                raise UsageError(f"--reference-fault: unknown fault {name!r}{_did_you_mean(name, known)}")
    return tuple(names or ())


def _setting(args: argparse.Namespace, name: str) -> Any:
    """A plugin setting given to `run`, converted and validated by the option table (None when not given)."""
    raw = getattr(args, name, None)
    option = BY_NAME[name]
    return None if raw is None else option.parse(str(raw), option.run_flag)


def _checked_file(args: argparse.Namespace, name: str, check: Callable[[Path], object]) -> Path | None:
    """A readable file that `check` accepts; its FileProblem becomes one line (exit 2)."""
    option = str(BY_NAME[name].run_flag)
    path: Path | None = _setting(args, name)
    if path is not None:
        path = path.resolve()
        try:
            check(path)
        except FileProblem as problem:
            raise UsageError(f"{option}: {problem}") from None
    return path


def _valid_expectations(path: Path) -> object:
    from caldasa_conformance.requirements import load_requirements

    return load_expectations(path, load_requirements())


_RATE = re.compile(r"[1-9][0-9]*/[0-9]*[smh]")


def _reference_rate_limit(rate: str | None, base_url: str | None) -> str | None:
    if rate is None:
        return None
    if base_url:
        raise UsageError("--reference-rate-limit only applies to the embedded server: drop --base-url")
    if not _RATE.fullmatch(rate):
        raise UsageError(f"--reference-rate-limit: expected a rate like 20/s or 100/m, got {rate!r}")
    return rate


def options_from_args(args: argparse.Namespace) -> RunOptions:
    """Validate the parsed arguments of `run`.

    Raises:
        UsageError: the first invalid value, with what to fix.
    """
    profile = _profile(args)
    return RunOptions(
        base_url=_setting(args, "base_url"),
        profile=profile,
        classes=parse_classes(args.classes, profile),
        budget=_setting(args, "budget"),
        seed=args.seed if args.seed is not None else secrets.randbelow(2**31),
        workers=_workers(_workers_asked(args)),
        shard=_setting(args, "shard"),
        report_dir=_report_dir(args.report_dir),
        expectations=_checked_file(args, "expectations", _valid_expectations),
        max_rps=_setting(args, "max_rps"),
        timeout=_setting(args, "timeout"),
        states=_checked_file(args, "states", load_manifest),
        run_tag=_setting(args, "run_tag") or new_run_tag(),
        suite_path=Path(args.suite_path).resolve() if args.suite_path else None,
        verbose=bool(args.verbose),
        pytest_args=tuple(args.pytest_args or ()),
        reference_faults=_reference_faults(args.reference_fault, args.base_url),
        reference_rate_limit=_reference_rate_limit(args.reference_rate_limit, args.base_url),
        strict=bool(getattr(args, "strict", False)),
        attach=str(getattr(args, "attach", None) or BY_NAME["attach"].default),
        webhook_receiver_url=_setting(args, "webhook_receiver_url"),
        webhook_receiver_host=_setting(args, "webhook_receiver_host"),
        webhook_receiver_port=_receiver_port(args),
        testing_api=_setting(args, "testing_api") or "auto",
    )


def tokens_from_env(env: Mapping[str, str] = os.environ) -> Tokens:
    """The target's tokens, from CALDASA_TOKEN[_FILE] and CALDASA_TOKEN_SECONDARY[_FILE] (`read_token`, the
    plugin's own reading).

    Raises:
        UsageError: no primary token, or an unreadable or malformed token.
    """
    primary, _ = read_token(env, "CALDASA_TOKEN")
    if not primary:
        raise UsageError(
            "--base-url needs the target's bearer token: set CALDASA_TOKEN (or CALDASA_TOKEN_FILE)"
        )
    return Tokens(primary, read_token(env, "CALDASA_TOKEN_SECONDARY")[0])

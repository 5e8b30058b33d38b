"""The `run` options, validated into one frozen value; every problem is a one-line `UsageError` (exit 2)."""

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
from urllib.parse import urlsplit

from caldasa_conformance.config import BUDGETS, PROFILES
from caldasa_conformance.expectations import FileProblem, load_expectations
from caldasa_conformance.naming import new_run_tag, run_tag_problem
from caldasa_conformance.requirements import CLASSES, STATELESS_CLASSES
from caldasa_conformance.runner.errors import UsageError
from caldasa_conformance.runner.shard import parse_shard
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
    workers: int
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


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--base-url: expected an http(s) URL like https://staging.example.com, got {value!r}"
        )
    return value.rstrip("/")


def _readable_file(option: str, value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise UsageError(f"{option}: cannot read {value!r} ({error.strerror or error})") from None
    if not path.is_file():
        raise UsageError(f"{option}: {value!r} is not a file")
    return path.resolve()


def _positive(option: str, value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise UsageError(f"{option}: expected a number greater than 0, got {value:g}")
    return value


def _report_dir(value: str) -> Path:
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


def _shard(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        k, n = parse_shard(value)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return f"{k}/{n}"


def _profile(args: argparse.Namespace) -> str:
    profile = str(args.profile or ("staging" if args.base_url else "reference"))
    if profile not in PROFILES:
        raise UsageError(f"--profile: expected one of {', '.join(PROFILES)}, got {profile!r}")
    return profile


def _workers(text: str) -> int:
    """A whole number of at least 1, or `auto`: one worker per CPU (pytest-xdist's own `auto`)."""
    if text == "auto":
        value = os.cpu_count() or 1
    elif text.isdigit() and int(text) >= 1:
        value = int(text)
    else:
        raise UsageError(f"--workers: expected a whole number of at least 1 or 'auto', got {text!r}")
    if value > 1 and importlib.util.find_spec("xdist") is None:
        raise UsageError("--workers needs pytest-xdist: pip install pytest-xdist (or drop --workers)")
    return value


def _run_tag(value: str | None) -> str:
    if value is None:
        return new_run_tag()
    problem = run_tag_problem(value)
    if problem:
        raise UsageError(f"--run-tag: {problem}")
    return value


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


def _checked_file(option: str, value: str | None, check: Callable[[Path], object]) -> Path | None:
    """A readable file that `check` accepts; its FileProblem becomes one line (exit 2)."""
    path = _readable_file(option, value)
    if path is not None:
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
        base_url=_base_url(args.base_url),
        profile=profile,
        classes=parse_classes(args.classes, profile),
        budget=args.budget,
        seed=args.seed if args.seed is not None else secrets.randbelow(2**31),
        workers=_workers(str(args.workers)),
        shard=_shard(args.shard),
        report_dir=_report_dir(args.report_dir),
        expectations=_checked_file("--expectations", args.expectations, _valid_expectations),
        max_rps=_positive("--max-rps", args.max_rps),
        timeout=_positive("--timeout", args.timeout),
        states=_checked_file("--caldasa-states", args.caldasa_states, load_manifest),
        run_tag=_run_tag(args.run_tag),
        suite_path=Path(args.suite_path).resolve() if args.suite_path else None,
        verbose=bool(args.verbose),
        pytest_args=tuple(args.pytest_args or ()),
        reference_faults=_reference_faults(args.reference_fault, args.base_url),
        reference_rate_limit=_reference_rate_limit(args.reference_rate_limit, args.base_url),
        strict=bool(getattr(args, "strict", False)),
        attach=str(getattr(args, "attach", None) or "failures"),
    )


def _secret_from_env(name: str, env: Mapping[str, str]) -> str | None:
    """`NAME` or the contents of the file named by `NAME_FILE` (stripped)."""
    if env.get(name):
        return env[name].strip()
    file_name = env.get(f"{name}_FILE")
    if not file_name:
        return None
    try:
        value = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise UsageError(f"{name}_FILE: cannot read {file_name!r} ({error.strerror or error})") from None
    if not value:
        raise UsageError(f"{name}_FILE: {file_name!r} is empty; put the bearer token in it")
    return value


def tokens_from_env(env: Mapping[str, str] = os.environ) -> Tokens:
    """The target's tokens, from CALDASA_TOKEN[_FILE] and CALDASA_TOKEN_SECONDARY[_FILE].

    Raises:
        UsageError: no primary token, or an unreadable token file.
    """
    primary = _secret_from_env("CALDASA_TOKEN", env)
    if not primary:
        raise UsageError(
            "--base-url needs the target's bearer token: set CALDASA_TOKEN (or CALDASA_TOKEN_FILE)"
        )
    return Tokens(primary, _secret_from_env("CALDASA_TOKEN_SECONDARY", env))

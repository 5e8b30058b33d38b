"""The suite's configuration: one frozen `SuiteConfig`, resolved CLI > env > ini > default, with provenance.

Every option exists as `--caldasa-x-y`, env `CALDASA_X_Y` and ini key `caldasa_x_y`. Secrets (the tokens) come
only from the environment, directly or through a `..._FILE` variable naming a file, and never appear in a
repr, a header line or an error message. A bad value raises `ConfigError` with one line naming the option,
the value, where it came from and the expected form.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from caldasa_conformance import redaction
from caldasa_conformance.bundled import CONTRACT_FILE, openapi_dir
from caldasa_conformance.naming import RUN_TAG_RULE, new_run_tag, run_tag_problem

BUNDLED_SPEC = openapi_dir() / CONTRACT_FILE
PROFILES = ("staging", "mock", "reference", "readonly")
BUDGETS = ("smoke", "default", "deep")
ATTACH_MODES = ("failures", "all")


class ConfigError(ValueError):
    """A configuration value is invalid; the message is one line that says what to fix."""


@dataclass(frozen=True)
class Secret:
    """A value that must never be printed: its repr and str are masked."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return redaction.MASK

    def __repr__(self) -> str:
        return f"Secret({redaction.MASK})"


@dataclass(frozen=True)
class OptionSpec:
    """How one option is named on the command line, in the environment and in the ini file."""

    name: str
    help: str
    default: str | None = None

    @property
    def flag(self) -> str:
        return "--caldasa-" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "CALDASA_" + self.name.upper()

    @property
    def ini(self) -> str:
        return "caldasa_" + self.name


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("base_url", "base URL of the target API, e.g. https://staging.example.com"),
    OptionSpec("spec", "OpenAPI contract to test against (default: the bundled openapi/caldasa.yaml)"),
    OptionSpec("profile", "which classes apply: " + "|".join(PROFILES), "staging"),
    OptionSpec("budget", "examples and steps: " + "|".join(BUDGETS), "default"),
    OptionSpec("states", "YAML manifest of pre-provisioned provider-state ids"),
    OptionSpec("expectations", "YAML file of known failures of the target (each becomes a strict xfail)"),
    OptionSpec("max_rps", "maximum requests per second sent to the target (positive number)"),
    OptionSpec("timeout", "timeout per request in seconds (positive number)", "10"),
    OptionSpec("run_tag", "tag put into the names of everything the suite creates (cc-<3-29 of a-z 0-9 ->)"),
    OptionSpec("report_dir", "directory for reports", "reports"),
    OptionSpec("attach", "which tests keep full request/response/curl attachments: failures|all", "failures"),
)
OPTION_NAMES = tuple(option.name for option in OPTIONS)


@dataclass(frozen=True)
class SuiteConfig:
    """The resolved configuration of one run; `sources` says where each value came from."""

    base_url: str | None = None
    spec: Path = BUNDLED_SPEC
    profile: str = "staging"
    budget: str = "default"
    states: Path | None = None
    expectations: Path | None = None
    max_rps: float | None = None
    timeout: float = 10.0
    run_tag: str = "cc-local"
    report_dir: Path = Path("reports")
    attach: str = "failures"
    token: Secret | None = None
    token_secondary: Secret | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> list[str]:
        """One `name: value (from source)` line per option, secrets masked."""
        lines = [
            f"{name}: {getattr(self, name)} (from {self.sources.get(name, 'default')})"
            for name in OPTION_NAMES
        ]
        for name in ("token", "token_secondary"):
            state = redaction.MASK if getattr(self, name) is not None else "not set"
            lines.append(f"{name}: {state} (from {self.sources.get(name, 'env')})")
        return lines


def _fail(option: OptionSpec, raw: str, source: str, expected: str) -> ConfigError:
    return ConfigError(f"invalid {option.flag}={raw!r} (from {source}): expected {expected}")


def _url(option: OptionSpec, raw: str, source: str) -> str:
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _fail(option, raw, source, "an http(s) URL such as https://api.example.com")
    return raw.rstrip("/")


def _choice(choices: tuple[str, ...]) -> Callable[[OptionSpec, str, str], str]:
    def convert(option: OptionSpec, raw: str, source: str) -> str:
        if raw not in choices:
            close = difflib.get_close_matches(raw, choices, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(option, raw, source, "one of " + ", ".join(choices) + hint)
        return raw

    return convert


def _positive(option: OptionSpec, raw: str, source: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise _fail(option, raw, source, "a positive number")
    return value


def _existing_file(option: OptionSpec, raw: str, source: str) -> Path:
    path = Path(raw)
    if not path.is_file():
        raise _fail(option, raw, source, "the path of an existing file")
    return path


def _run_tag(option: OptionSpec, raw: str, source: str) -> str:
    if run_tag_problem(raw):
        raise _fail(option, raw, source, RUN_TAG_RULE)
    return raw


_CONVERTERS: dict[str, Callable[[OptionSpec, str, str], object]] = {
    "base_url": _url,
    "spec": _existing_file,
    "profile": _choice(PROFILES),
    "budget": _choice(BUDGETS),
    "states": _existing_file,
    "expectations": _existing_file,
    "max_rps": _positive,
    "timeout": _positive,
    "run_tag": _run_tag,
    "report_dir": lambda option, raw, source: Path(raw),
    "attach": _choice(ATTACH_MODES),
}


def _pick(
    option: OptionSpec, cli: Mapping[str, str | None], env: Mapping[str, str], ini: Mapping[str, str | None]
) -> tuple[str | None, str]:
    if cli.get(option.name) not in (None, ""):
        return cli[option.name], "cli"
    if env.get(option.env):
        return env[option.env], f"env {option.env}"
    if ini.get(option.name) not in (None, ""):
        return ini[option.name], f"ini {option.ini}"
    return option.default, "default"


def _secret(env: Mapping[str, str], variable: str) -> tuple[Secret | None, str]:
    file_variable = variable + "_FILE"
    if env.get(variable):
        value, source = env[variable].strip(), f"env {variable}"
    elif env.get(file_variable):
        path = Path(env[file_variable])
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(
                f"invalid {file_variable}={str(path)!r} (from env): "
                f"expected a readable file ({error.strerror})"
            ) from None
        source = f"file {file_variable}"
    else:
        return None, "not set"
    if not value or any(ch.isspace() for ch in value):
        raise ConfigError(f"invalid {variable} (from {source}): expected one token without whitespace")
    redaction.register_secret(value)
    return Secret(value), source


def check_unknown_env(env: Mapping[str, str]) -> None:
    """Reject `CALDASA_*` variables the suite does not know (typos would otherwise be ignored silently)."""
    known = {option.env for option in OPTIONS} | {
        "CALDASA_TOKEN",
        "CALDASA_TOKEN_FILE",
        "CALDASA_TOKEN_SECONDARY",
        "CALDASA_TOKEN_SECONDARY_FILE",
    }
    for name in sorted(env):
        if name.startswith("CALDASA_") and name not in known and not name.startswith("CALDASA_REFERENCE"):
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.9)
            if close:
                raise ConfigError(f"unknown environment variable {name} (did you mean {close[0]}?)")


def resolve_config(
    cli: Mapping[str, str | None],
    env: Mapping[str, str],
    ini: Mapping[str, str | None],
    *,
    default_run_tag: str | None = None,
) -> SuiteConfig:
    """Resolve every option CLI > env > ini > default, validate it, and read the tokens from env.

    Args:
        cli: option name -> raw command-line value (None when not given).
        env: the environment.
        ini: option name -> raw ini value (None when not set).
        default_run_tag: run tag used when none is configured (shared by all xdist workers).

    Raises:
        ConfigError: for the first invalid value, in one line.
    """
    check_unknown_env(env)
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for option in OPTIONS:
        raw, source = _pick(option, cli, env, ini)
        sources[option.name] = source
        if raw is not None:
            values[option.name] = _CONVERTERS[option.name](option, str(raw), source)
    if "run_tag" not in values:
        values["run_tag"] = default_run_tag or new_run_tag()
        sources["run_tag"] = "generated"
    if "spec" not in values:
        values["spec"] = BUNDLED_SPEC
        sources["spec"] = "bundled"
    for name, variable in (("token", "CALDASA_TOKEN"), ("token_secondary", "CALDASA_TOKEN_SECONDARY")):
        values[name], sources[name] = _secret(env, variable)
    return SuiteConfig(sources=sources, **values)  # type: ignore[arg-type]

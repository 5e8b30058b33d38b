"""The suite's configuration: one frozen `SuiteConfig`, resolved CLI > env > ini > default, with provenance.

Every option of the table (`options.OPTIONS`, one declaration per setting) exists as `--caldasa-x-y`, env
`CALDASA_X_Y` and ini key `caldasa_x_y`. Secrets (the tokens) come
only from the environment, directly or through a `..._FILE` variable naming a file, and never appear in a
repr, a header line or an error message. A bad value raises `ConfigError` with one line naming the option,
the value, where it came from and the expected form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from caldasa_conformance import redaction
from caldasa_conformance.budget import BUDGETS
from caldasa_conformance.bundled import CONTRACT_FILE, openapi_dir
from caldasa_conformance.naming import new_run_tag
from caldasa_conformance.options import (
    ATTACH_MODES,
    OPTION_NAMES,
    OPTIONS,
    PROFILES,
    TOKEN_VARIABLES,
    ConfigError,
    Invalid,
    OptionSpec,
    check_unknown_env,
    read_token,
)

__all__ = [
    "ATTACH_MODES",
    "BUDGETS",
    "BUNDLED_SPEC",
    "OPTIONS",
    "OPTION_NAMES",
    "PROFILES",
    "ConfigError",
    "OptionSpec",
    "Secret",
    "SuiteConfig",
    "check_unknown_env",
    "resolve_config",
]

BUNDLED_SPEC = openapi_dir() / CONTRACT_FILE


@dataclass(frozen=True)
class Secret:
    """A value that must never be printed: its repr and str are masked."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return redaction.MASK

    def __repr__(self) -> str:
        return f"Secret({redaction.MASK})"


@dataclass(frozen=True)
class SuiteConfig:
    """The resolved configuration of one run; `sources` says where each value came from."""

    base_url: str | None = None
    spec: Path = BUNDLED_SPEC
    profile: str = "staging"
    budget: str = "default"
    states: Path | None = None
    testing_api: str = "auto"
    expectations: Path | None = None
    max_rps: float | None = None
    timeout: float = 10.0
    run_tag: str = "cc-local"
    report_dir: Path = Path("reports")
    attach: str = "failures"
    shard: str | None = None
    webhook_receiver_url: str | None = None
    webhook_receiver_host: str = "127.0.0.1"
    webhook_receiver_port: int = 0
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


def _convert(option: OptionSpec, raw: str, source: str) -> object:
    try:
        return option.convert(raw)
    except Invalid as expected:
        raise ConfigError(f"invalid {option.flag}={raw!r} (from {source}): expected {expected}") from None


def _secret(env: Mapping[str, str], variable: str) -> tuple[Secret | None, str]:
    value, source = read_token(env, variable)
    if value is None:
        return None, source
    redaction.register_secret(value)
    return Secret(value), source


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
            values[option.name] = _convert(option, str(raw), source)
    if "run_tag" not in values:
        values["run_tag"] = default_run_tag or new_run_tag()
        sources["run_tag"] = "generated"
    if "spec" not in values:
        values["spec"] = BUNDLED_SPEC
        sources["spec"] = "bundled"
    for name, variable in zip(("token", "token_secondary"), TOKEN_VARIABLES, strict=True):
        values[name], sources[name] = _secret(env, variable)
    return SuiteConfig(sources=sources, **values)  # type: ignore[arg-type]

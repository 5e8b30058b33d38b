"""The option table: every run setting declared once (name, converter, default, help, `run` flag).

From this one table come the pytest plugin's options (`--caldasa-x-y`, env `CALDASA_X_Y`, ini `caldasa_x_y`),
the matching options of `caldasa-conformance run`, and the `CALDASA_*` environment the runner hands to its
pytest child. Each converter validates a raw string once for both sides and raises `Invalid` with the
expected form; the caller names the option and the source in its one-line message. The tokens are not
options: they come only from the environment (`read_token`), never from argv.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from caldasa_conformance.budget import BUDGETS
from caldasa_conformance.naming import RUN_TAG_RULE, run_tag_problem
from caldasa_conformance.runner.errors import UsageError

PROFILES = ("staging", "mock", "reference", "readonly")
ATTACH_MODES = ("failures", "all")
TESTING_API_MODES = ("auto", "on", "off")
TOKEN_VARIABLES = ("CALDASA_TOKEN", "CALDASA_TOKEN_SECONDARY")


class ConfigError(UsageError):
    """A configuration value is invalid; the message is one line that says what to fix (exit 2)."""


class Invalid(ValueError):
    """A raw value does not convert; the message is the expected form."""


def url(raw: str) -> str:
    """An http(s) URL, without a trailing slash."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("an http(s) URL such as https://api.example.com")
    return raw.rstrip("/")


def choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    """A converter accepting one of `choices` (with a did-you-mean)."""

    def convert(raw: str) -> str:
        if raw not in choices:
            close = difflib.get_close_matches(raw, choices, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise Invalid("one of " + ", ".join(choices) + hint)
        return raw

    return convert


def positive(raw: str) -> float:
    """A finite number greater than 0."""
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise Invalid("a positive number")
    return value


def port(raw: str) -> int:
    """A TCP port number, 0 for a free one."""
    if not raw.strip().isdigit() or int(raw) > 65535:
        raise Invalid("a port number from 0 (a free port) to 65535")
    return int(raw)


def host(raw: str) -> str:
    """A host name or IP address to listen on."""
    text = raw.strip("[]")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})", text):
        raise Invalid("a host name or IP address such as 127.0.0.1")
    return text


def existing_file(raw: str) -> Path:
    """The path of an existing, readable file."""
    path = Path(raw)
    try:
        with path.open("rb"):
            pass
    except OSError:
        raise Invalid("the path of an existing file") from None
    if not path.is_file():
        raise Invalid("the path of an existing file")
    return path


def run_tag(raw: str) -> str:
    """A run tag of the one format `run` generates."""
    if run_tag_problem(raw):
        raise Invalid(RUN_TAG_RULE)
    return raw


def shard(raw: str) -> str:
    """`K/N` with 1 <= K <= N."""
    index, slash, total = raw.partition("/")
    if not slash or not index.strip().isdigit() or not total.strip().isdigit():
        raise Invalid("K/N with whole numbers, like 1/4")
    k, n = int(index), int(total)
    if n < 1 or not 1 <= k <= n:
        raise Invalid("K/N with 1 <= K <= N, like 1/4")
    return f"{k}/{n}"


@dataclass(frozen=True)
class OptionSpec:
    """One setting: its name, converter, default and help, and how `run` spells it (if it has it).

    Attributes:
        name: `base_url` gives `--caldasa-base-url`, `CALDASA_BASE_URL` and `caldasa_base_url`.
        help: the plugin option's help.
        convert: raw string -> value; raises `Invalid` with the expected form.
        default: the raw default (None: unset).
        run_flag: the `caldasa-conformance run` flag (None: plugin only).
        run_help: that flag's help.
        run_choices: `run --help` lists the choices (argparse `choices`).
        metavar: the metavar of the `run` flag.
    """

    name: str
    help: str
    convert: Callable[[str], object] = str
    default: str | None = None
    run_flag: str | None = None
    run_help: str | None = None
    run_choices: tuple[str, ...] | None = None
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--caldasa-" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "CALDASA_" + self.name.upper()

    @property
    def ini(self) -> str:
        return "caldasa_" + self.name

    def parse(self, raw: str, flag: str | None = None) -> object:
        """Convert `raw` given as `flag` (the `run` flag); a bad value is a one-line `ConfigError`."""
        try:
            return self.convert(raw)
        except Invalid as expected:
            raise ConfigError(f"{flag or self.flag}: expected {expected}, got {raw!r}") from None


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "base_url",
        "base URL of the target API, e.g. https://staging.example.com",
        url,
        run_flag="--base-url",
        run_help="target API; tokens from env CALDASA_TOKEN / CALDASA_TOKEN_SECONDARY "
        "(default: start the embedded reference server)",
    ),
    OptionSpec(
        "spec", "OpenAPI contract to test against (default: the bundled openapi/caldasa.yaml)", existing_file
    ),
    OptionSpec(
        "profile",
        "which classes apply: " + "|".join(PROFILES),
        choice(PROFILES),
        "staging",
        run_flag="--profile",
        run_help=f"{'|'.join(PROFILES)} (default: reference when embedded, else staging)",
    ),
    OptionSpec(
        "budget",
        "examples and steps: " + "|".join(BUDGETS),
        choice(BUDGETS),
        "default",
        run_flag="--budget",
        run_help="examples and steps (default: default)",
        run_choices=BUDGETS,
    ),
    OptionSpec(
        "states",
        "YAML manifest of pre-provisioned provider-state ids",
        existing_file,
        run_flag="--caldasa-states",
        run_help="manifest of pre-provisioned provider-state ids",
        metavar="FILE",
    ),
    OptionSpec(
        "testing_api",
        "provider states from the target's testing API: auto (probe GET /_testing/states, once per run), "
        "on, off",
        choice(TESTING_API_MODES),
        "auto",
        run_flag="--testing-api",
        run_help="provider states from the target's testing API: auto probes GET /_testing/states once "
        "per run (default), on, off (as on a staging without one)",
        run_choices=TESTING_API_MODES,
    ),
    OptionSpec(
        "expectations",
        "YAML file of known failures of the target (each becomes a strict xfail)",
        existing_file,
        run_flag="--expectations",
        run_help="known failures of the target (strict xfails)",
        metavar="FILE",
    ),
    OptionSpec(
        "max_rps",
        "maximum requests per second sent to the target (positive number)",
        positive,
        run_flag="--max-rps",
        run_help="maximum requests per second",
    ),
    OptionSpec(
        "timeout",
        "timeout per request in seconds (positive number)",
        positive,
        "10",
        run_flag="--timeout",
        run_help="timeout per request in seconds",
    ),
    OptionSpec(
        "run_tag",
        "tag put into the names of everything the suite creates (cc-<3-29 of a-z 0-9 ->)",
        run_tag,
        run_flag="--run-tag",
        run_help="tag put into every created name (default: random cc-xxxxxxxx)",
    ),
    OptionSpec(
        "report_dir",
        "directory for reports",
        Path,
        "reports",
        run_flag="--report-dir",
        run_help="where reports go (default: reports)",
    ),
    OptionSpec(
        "attach",
        "which tests keep full request/response/curl attachments: failures|all",
        choice(ATTACH_MODES),
        "failures",
        run_flag="--attach",
        run_help="which tests keep their full requests, responses and curl commands in the Allure results "
        "(default: failures; every test keeps a compact list of its requests)",
        run_choices=ATTACH_MODES,
    ),
    OptionSpec(
        "webhook_receiver_url",
        "public URL of the suite's webhook receiver, for a target that cannot reach this machine's loopback "
        "(a tunnel or CI service forwarding to the receiver's host and port)",
        url,
        run_flag="--webhook-receiver-url",
        run_help="public URL of the suite's webhook receiver (a tunnel to it), for a remote target; "
        "default: the receiver's loopback address, reachable only from this machine",
        metavar="URL",
    ),
    OptionSpec(
        "webhook_receiver_host",
        "address the webhook receiver listens on",
        host,
        "127.0.0.1",
        run_flag="--webhook-receiver-host",
        run_help="address the webhook receiver listens on (default: 127.0.0.1)",
        metavar="ADDRESS",
    ),
    OptionSpec(
        "webhook_receiver_port",
        "port the webhook receiver listens on (0: a free port; fix it for a tunnel, with one worker)",
        port,
        "0",
        run_flag="--webhook-receiver-port",
        run_help="port the webhook receiver listens on (default: 0, a free port; a tunnel needs a fixed "
        "one, and then one worker)",
        metavar="PORT",
    ),
    OptionSpec(
        "shard",
        "run only shard K of N (stable by node id)",
        shard,
        run_flag="--shard",
        run_help="run only shard K of N (merge shards with `merge`)",
        metavar="K/N",
    ),
)
OPTION_NAMES = tuple(option.name for option in OPTIONS)
BY_NAME = {option.name: option for option in OPTIONS}


def read_token(env: Mapping[str, str], variable: str) -> tuple[str | None, str]:
    """A bearer token from `variable` or the file named by `variable_FILE`, stripped, and where it came from.

    Raises:
        ConfigError: an unreadable file, or a value that is not one token without whitespace.
    """
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
    return value, source


def check_unknown_env(env: Mapping[str, str]) -> None:
    """Reject `CALDASA_*` variables the suite does not know (typos would otherwise be ignored silently)."""
    known = {option.env for option in OPTIONS} | {
        name + suffix for name in TOKEN_VARIABLES for suffix in ("", "_FILE")
    }
    for name in sorted(env):
        if name.startswith("CALDASA_") and name not in known and not name.startswith("CALDASA_REFERENCE"):
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.9)
            if close:
                raise ConfigError(f"unknown environment variable {name} (did you mean {close[0]}?)")


def environment(values: Mapping[str, object]) -> dict[str, str]:
    """`CALDASA_*` variables for the options in `values` that are set (how `run` passes them to pytest)."""
    return {BY_NAME[name].env: str(value) for name, value in values.items() if value is not None}

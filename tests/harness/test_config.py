"""SuiteConfig resolution: precedence, provenance, strict validation, secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from caldasa_conformance import redaction
from caldasa_conformance.config import ConfigError, resolve_config

NONE: dict[str, str | None] = {}


def test_cli_beats_env_beats_ini() -> None:
    cli = {"budget": "deep"}
    env = {"CALDASA_BUDGET": "smoke", "CALDASA_PROFILE": "mock"}
    ini = {"budget": "default", "profile": "readonly", "timeout": "3"}
    config = resolve_config(cli, env, ini)
    assert (config.budget, config.sources["budget"]) == ("deep", "cli")
    assert (config.profile, config.sources["profile"]) == ("mock", "env CALDASA_PROFILE")
    assert (config.timeout, config.sources["timeout"]) == (3.0, "ini caldasa_timeout")
    assert config.sources["report_dir"] == "default"


@pytest.mark.parametrize(
    ("cli", "message"),
    [
        (
            {"base_url": "localhost:8000"},
            "invalid --caldasa-base-url='localhost:8000' (from cli): expected an http(s) URL",
        ),
        ({"budget": "dep"}, "expected one of smoke, default, deep (did you mean 'deep'?)"),
        ({"timeout": "-1"}, "invalid --caldasa-timeout='-1' (from cli): expected a positive number"),
        ({"max_rps": "fast"}, "expected a positive number"),
        ({"run_tag": "has space"}, "invalid --caldasa-run-tag='has space'"),
        ({"expectations": "/no/such/file.yaml"}, "expected the path of an existing file"),
    ],
)
def test_bad_values_fail_with_one_line_naming_option_value_and_form(
    cli: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        resolve_config(cli, {}, NONE)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_env_typo_is_rejected_with_a_suggestion() -> None:
    with pytest.raises(ConfigError, match="did you mean CALDASA_BASE_URL"):
        resolve_config(NONE, {"CALDASA_BASEURL": "http://x"}, NONE)


def test_tokens_come_from_env_or_file_and_are_never_printed(tmp_path: Path) -> None:
    secret_file = tmp_path / "token"
    secret_file.write_text("file-secret-123\n", encoding="utf-8")
    env = {"CALDASA_TOKEN": "env-secret-456", "CALDASA_TOKEN_SECONDARY_FILE": str(secret_file)}
    config = resolve_config({"base_url": "http://127.0.0.1:1"}, env, NONE)
    assert config.token is not None
    assert config.token.value == "env-secret-456"
    assert config.token_secondary is not None
    assert config.token_secondary.value == "file-secret-123"
    assert config.sources["token_secondary"] == "file CALDASA_TOKEN_SECONDARY_FILE"
    shown = repr(config) + "\n".join(config.describe())
    assert "env-secret-456" not in shown
    assert "file-secret-123" not in shown
    assert redaction.redact("Bearer env-secret-456") == f"Bearer {redaction.MASK}"


def test_unreadable_token_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CALDASA_TOKEN_FILE"):
        resolve_config(NONE, {"CALDASA_TOKEN_FILE": str(tmp_path / "missing")}, NONE)


def test_run_tag_is_generated_or_shared() -> None:
    assert resolve_config(NONE, {}, NONE, default_run_tag="cc-abc").run_tag == "cc-abc"
    generated = resolve_config(NONE, {}, NONE)
    assert generated.run_tag.startswith("cc-")
    assert generated.sources["run_tag"] == "generated"

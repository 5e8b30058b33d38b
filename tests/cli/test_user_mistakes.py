"""The user's mistakes are named as such: the right exit code and one line saying what to fix, never a
violation of the API (each row of the verdict issue's table)."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from caldasa_conformance.runner.embedded import EmbeddedServer
from tests.cli.conftest import TOKEN, clean_env


def _one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    return lines[-1]


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[str]:
    """`python -m http.server`: a web server, not a Caldasa API."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_same_token_for_both_tenants_exits_2(run_cli, stand_in_suite: Path) -> None:
    with EmbeddedServer() as server:
        env = clean_env(CALDASA_TOKEN=server.token, CALDASA_TOKEN_SECONDARY=server.token)
        result = run_cli("run", "--base-url", server.url, "--suite-path", str(stand_in_suite), env=env)
    assert result.code == 2, result.stdout + result.stderr
    assert "resolve to the same tenant" in _one_line(result)


def test_a_target_that_is_not_a_caldasa_api_exits_3_in_seconds(
    run_cli, web_server: str, stand_in_suite: Path
) -> None:
    started = time.monotonic()
    env = clean_env(CALDASA_TOKEN=TOKEN)
    result = run_cli("run", "--base-url", web_server, "--suite-path", str(stand_in_suite), env=env)
    assert result.code == 3, result.stdout + result.stderr
    assert "is not a Caldasa API: GET /tenant answered 404 text/html" in _one_line(result)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("states:\n  deposit-booking:\n    ids: [unclosed\n", ":4:1: "),
        ("states:\n  deposit-booking:\n    params: {}\n", ":3: state 'deposit-booking': every entry"),
        ("states: []\n", ":1: expected a mapping"),
    ],
)
def test_a_malformed_states_manifest_exits_2_with_its_line(
    run_cli, tmp_path: Path, text: str, says: str
) -> None:
    manifest = tmp_path / "states.yaml"
    manifest.write_text(text)
    result = run_cli("run", "--caldasa-states", str(manifest))
    assert result.code == 2, result.stdout + result.stderr
    line = _one_line(result)
    assert f"--caldasa-states: {manifest}{says}" in line


def test_an_unknown_reference_fault_exits_2_with_did_you_mean(run_cli) -> None:
    result = run_cli("run", "--reference-fault", "double-booking-staf")
    assert result.code == 2
    assert "did you mean 'double-booking-staff'" in _one_line(result)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("expectations:\n  - requirement: B99\n    reason: r\n", ":2: expectations[0]: unknown requirement"),
        ("expectations:\n  - requirement: [B1\n    reason: r\n", ":3:"),
        ("expectations:\n  - reason: r\n", "needs a reason, and a test and/or a requirement"),
    ],
)
def test_a_bad_expectations_file_exits_2_with_its_line(run_cli, tmp_path: Path, text: str, says: str) -> None:
    expectations = tmp_path / "expectations.yaml"
    expectations.write_text(text)
    result = run_cli("run", "--expectations", str(expectations))
    assert result.code == 2, result.stdout + result.stderr
    assert says in _one_line(result)


def test_an_expectation_whose_glob_matches_no_test_exits_2(
    run_cli, fake_target: str, stand_in_suite: Path, tmp_path: Path
) -> None:
    expectations = tmp_path / "expectations.yaml"
    expectations.write_text("expectations:\n  - test: '*test_no_such_test*'\n    reason: r\n")
    result = run_cli(
        "run", "--base-url", fake_target, "--suite-path", str(stand_in_suite),
        "--expectations", str(expectations), env=clean_env(CALDASA_TOKEN=TOKEN),
    )  # fmt: skip
    assert result.code == 2, result.stdout + result.stderr
    assert "matches no selected test" in result.stdout + result.stderr


def test_a_fixed_receiver_port_with_several_workers_exits_2(run_cli) -> None:
    result = run_cli(
        "run",
        "--base-url",
        "https://staging.example.com",
        "--webhook-receiver-url",
        "https://tunnel.example",
        "--webhook-receiver-port",
        "8099",
        "--workers",
        "2",
    )
    assert result.code == 2
    assert "--webhook-receiver-port" in _one_line(result)
    assert "--workers 1" in _one_line(result)


def test_a_bad_receiver_url_exits_2_naming_the_flag(run_cli) -> None:
    result = run_cli("run", "--webhook-receiver-url", "tunnel.example")
    assert result.code == 2
    assert "--webhook-receiver-url: expected an http(s) URL" in _one_line(result)

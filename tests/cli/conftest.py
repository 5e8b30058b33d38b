"""Fixtures for the runner's end-to-end tests: a stand-in suite, fake targets, and the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TOKEN = "cli-test-token-5f2a9c"
# A tiny suite carrying the real markers, recording its evidence as the real judges do: 3 schema passes,
# 1 errors test (fails with FAKE_FAIL=1), 1 bookings pass (writes the token into an attachment with
# FAKE_LEAK=1), 1 bookings skip (after 60 s with FAKE_SLOW=1), 1 tenancy test that needs a second token.
# With FAKE_VACUOUS=1 the passing tests evaluate nothing; with FAKE_TEARDOWN_ERROR=1 the errors test's
# teardown fails too (after its call, whether that passed or failed).
STAND_IN_SUITE = """
import os

import pytest

from caldasa_conformance import evidence


def checked(requirement):
    if not os.environ.get("FAKE_VACUOUS"):
        evidence.held(requirement)


@pytest.fixture
def teardown_may_fail():
    yield
    if os.environ.get("FAKE_TEARDOWN_ERROR"):
        raise RuntimeError("the fixture could not undo its work")


@pytest.mark.schema
@pytest.mark.req("S1")
@pytest.mark.operation("createCustomer")
@pytest.mark.parametrize("n", range(3))
def test_schema_ok(n):
    checked("S1")


@pytest.mark.errors
@pytest.mark.req("S4")
@pytest.mark.operation("listCustomers")
def test_errors_maybe_fail(teardown_may_fail):
    if os.environ.get("FAKE_FAIL"):
        raise AssertionError("Server error on listCustomers\\n\\nReceived: 500\\nExpected: no 5xx")
    if os.environ.get("FAKE_FAIL_AS"):
        raise AssertionError("Problem body\\n\\nRequirement: " + os.environ["FAKE_FAIL_AS"])
    checked("S4")


@pytest.mark.bookings
@pytest.mark.req("B1")
def test_bookings_ok():
    if os.environ.get("FAKE_LEAK"):
        import allure
        allure.attach("token was " + os.environ["CALDASA_TOKEN"], name="leak")
    checked("B1")


@pytest.mark.bookings
@pytest.mark.req("B2")
def test_bookings_skip():
    if os.environ.get("FAKE_SLOW"):
        import time
        time.sleep(60)
    pytest.skip("provider state not available")


@pytest.mark.tenancy
@pytest.mark.req("T1")
def test_tenancy_needs_a_second_token():
    if not os.environ.get("CALDASA_TOKEN_SECONDARY"):
        pytest.skip("CALDASA_TOKEN_SECONDARY is not set: tenant isolation needs a second tenant")
    checked("T1")
"""


@dataclass
class CliResult:
    """What one `caldasa-conformance` invocation did."""

    code: int
    stdout: str
    stderr: str
    report_dir: Path

    def summary(self) -> dict:
        return json.loads((self.report_dir / "summary.json").read_text(encoding="utf-8"))


def write_stand_in_suite(directory: Path) -> Path:
    suite = directory / "suite"
    suite.mkdir()
    (suite / "test_stand_in.py").write_text(textwrap.dedent(STAND_IN_SUITE), encoding="utf-8")
    return suite


@pytest.fixture
def stand_in_suite(tmp_path: Path) -> Path:
    return write_stand_in_suite(tmp_path)


def clean_env(**extra: str) -> dict[str, str]:
    """Our environment without CALDASA_* settings (so a developer's shell cannot change a test)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CALDASA_", "PYTEST_", "GITHUB_")) and key != "FAKE_FAIL"
    }
    # One worker, as these tests were written for: the stand-in suites have a handful of tests, which xdist's
    # start-up would only slow down. A test of the worker count passes --workers, which wins.
    env["CALDASA_WORKERS"] = "1"
    env.update(extra)
    return env


def invoke(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    report_dir: Path | None = None,
    timeout: float = 240,
) -> CliResult:
    """Run `caldasa-conformance ARGS` in a subprocess; `run` writes to `report_dir` (default cwd/reports)."""
    reports = report_dir or cwd / "reports"
    command = [sys.executable, "-m", "caldasa_conformance.cli", *args]
    if args and args[0] == "run" and "--report-dir" not in args:
        command += ["--report-dir", str(reports)]
    completed = subprocess.run(
        command,
        capture_output=True,
        stdin=subprocess.DEVNULL,  # never a terminal: a command that would ask must refuse instead
        text=True,
        timeout=timeout,
        env=env if env is not None else clean_env(),
        cwd=cwd,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr, reports)


@pytest.fixture
def run_cli(tmp_path: Path):
    def run(*args: str, **kwargs: object) -> CliResult:
        return invoke(*args, cwd=tmp_path, **kwargs)  # type: ignore[arg-type]

    return run


class _TenantHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        accepted = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        body = json.dumps({"id": "t", "name": "Fake"} if accepted else {"status": 401}).encode()
        self.send_response(200 if accepted else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fake_target() -> Iterator[str]:
    """A loopback server whose GET /tenant accepts only TOKEN."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TenantHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def hanging_target() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _MisbehavingHandler(BaseHTTPRequestHandler):
    """GET /tenant works (so the probe passes); every other request hangs, resets or gets broken JSON."""

    mode = "hang"
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        if self.command == "GET" and self.path == "/tenant":
            self._send(200, b'{"id": "t", "name": "Fake"}')
        elif self.mode == "hang":
            self.server.release.wait(120)  # type: ignore[attr-defined]
        elif self.mode == "reset":
            # SO_LINGER 0: closing sends a TCP RST instead of a FIN.
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.connection.close()
        else:
            self._send(200, b'{"items": [{"id": ')

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def misbehaving_target(request: pytest.FixtureRequest) -> Iterator[str]:
    """A loopback target misbehaving as `request.param` says: hang, reset or malformed-json."""
    handler = type("Handler", (_MisbehavingHandler,), {"mode": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.release = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.release.set()  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()

"""The session's cleanup runs with open clients, whichever fixture a run happened to set up first.

pytest tears session fixtures down in the reverse order of their set-up. When the first test asks for
`cleanup` before `api` (the link-driven test does, and with `-k link` it is the only test), `api` used to be
closed before the cleanup stack ran its undo actions on it: the last test failed in teardown with
"Cannot send a request, as the client has been closed" and the run's entities were left behind.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

pytest_plugins = ["pytester"]

TOKEN = "session-teardown-token"
SUITE = """
import httpx
import pytest

from caldasa_conformance.fixtures.data import track_created

@pytest.mark.http
@pytest.mark.req("T8")
def test_asks_for_cleanup_before_api(cleanup, api):
    track_created(cleanup, api, httpx.Response(201, headers={"Location": "/locations/l1"}))
"""


class _Target(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_DELETE(self) -> None:
        self.seen.append(f"DELETE {self.path}")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def target() -> Iterator[tuple[str, list[str]]]:
    seen: ClassVar[list[str]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Target", (_Target,), {"seen": seen}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_cleanup_removes_what_a_test_made_even_when_it_was_set_up_before_the_client(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, target: tuple[str, list[str]]
) -> None:
    base_url, seen = target
    for name in ("CALDASA_BASE_URL", "CALDASA_TOKEN_SECONDARY", "HYPOTHESIS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CALDASA_TOKEN", TOKEN)
    pytester.makeconftest('pytest_plugins = ["caldasa_conformance.plugin"]')
    pytester.makepyfile(test_made=SUITE)
    result = pytester.runpytest_subprocess(f"--caldasa-base-url={base_url}", "--caldasa-report-dir=out")
    result.assert_outcomes(passed=1)
    assert seen == ["DELETE /locations/l1"]

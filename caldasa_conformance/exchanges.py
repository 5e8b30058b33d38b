"""The HTTP exchanges of the running test, kept in memory until the test ends (`RunSession.exchanges`).

Every suite client hands each exchange here (its response hook, `client._attach_exchange`); the attachments
plugin (`reporting.attachments`) opens a recording when a test starts and, after the test's teardown, takes
it to attach what the test keeps. Nothing is redacted here: what is attached is redacted then.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import httpx


@dataclass(frozen=True)
class Exchange:
    """One request and its response, unredacted: it is redacted when (if ever) it is attached."""

    request: httpx.Request
    status: int
    headers: dict[str, str]
    text: str

    @property
    def line(self) -> str:
        """`METHOD path?query -> status`."""
        target = self.request.url.raw_path.decode("ascii", "replace")
        return f"{self.request.method} {target} -> {self.status}"

    @property
    def label(self) -> str:
        """The name part of the full attachments (path without query, as before)."""
        return f"{self.request.method} {self.request.url.path} -> {self.status}"


def exchange_of(response: httpx.Response) -> Exchange:
    """Capture `response` (read) and its request."""
    response.read()
    return Exchange(response.request, response.status_code, dict(response.headers), response.text)


@dataclass
class Recording:
    """The exchanges of one test, and whether one of its phases failed."""

    nodeid: str
    full_always: bool = False  # `--caldasa-attach all`
    exchanges: list[Exchange] = field(default_factory=list)
    failed: bool = False


class TestExchanges:
    """The recording of the running test (at most one per process); thread-safe, as race tests send from
    several threads."""

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Recording | None = None

    def begin(self, nodeid: str, *, full_always: bool) -> None:
        """A test starts: record its exchanges from now on (what an earlier test left is dropped)."""
        with self._lock:
            self._current = Recording(nodeid, full_always)

    def record(self, exchange: Exchange) -> bool:
        """Keep `exchange` for the running test; False when no test is running (the caller attaches it)."""
        with self._lock:
            if self._current is None:
                return False
            self._current.exchanges.append(exchange)
        return True

    def note_phase(self, nodeid: str, *, failed: bool, last: bool) -> Recording | None:
        """A phase of test `nodeid` ended: note a failure; after its `last` phase, end and return its
        recording (None for a test this process is not recording)."""
        with self._lock:
            recording = self._current if self._current and self._current.nodeid == nodeid else None
            if recording is None:
                return None
            recording.failed = recording.failed or failed
            if not last:
                return None
            self._current = None
        return recording

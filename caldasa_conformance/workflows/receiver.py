"""The webhook receiver the webhooks machine and tests start for their deliveries.

By default it listens on 127.0.0.1 on a free port, which only a target on this machine can reach. For a
staging elsewhere, `--webhook-receiver-url URL` names the receiver's public URL (a tunnel or a CI service
that forwards to it), and `--webhook-receiver-host`/`--webhook-receiver-port` where it listens (`configure`,
called by the plugin). It records every POST (path, headers, raw body) and answers with the status encoded
in the path (`.../status/500/...` → 500; anything else → 200), wherever a tunnel's path prefix puts it.
Signatures are verified later, by the machine, with the subscription's current secret (`verify`), using the
`standardwebhooks` package.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

_STATUS_IN_PATH = re.compile(r"/status/(\d{3})/")


@dataclass(frozen=True)
class ReceiverSettings:
    """Where the receiver listens, and the URL the target is given (None: its own loopback address)."""

    host: str = "127.0.0.1"
    port: int = 0
    public_url: str | None = None


@dataclass(frozen=True)
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float


def verify(delivery: Delivery, secret: str) -> bool:
    """Whether `delivery` carries a valid Standard Webhooks signature made with `secret`."""
    try:
        Webhook(secret).verify(delivery.body, delivery.headers)
    except (WebhookVerificationError, ValueError):
        return False
    return True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server.owner.record(Delivery(self.path, headers, body, time.monotonic()))
        match = _STATUS_IN_PATH.search(self.path)
        self.send_response(int(match.group(1)) if match else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The target sends a burst of deliveries at once (one per subscription per event) while the suite's
    # own thread holds the GIL; with socketserver's backlog of 5 the overflow waits for SYN retries (1 s,
    # 3 s, ...) and a test event can miss its 5 s deadline.
    request_queue_size = 128
    owner: Receiver


class Receiver:
    """A running receiver; use as a context manager or call `start`/`stop`."""

    def __init__(self, settings: ReceiverSettings | None = None) -> None:
        self.settings = settings or ReceiverSettings()
        self._deliveries: list[Delivery] = []
        self._lock = threading.Condition()
        self._server: _Server | None = None

    @property
    def base_url(self) -> str:
        """The URL subscriptions are given: the public one when configured, else where it listens."""
        assert self._server is not None, "receiver not started"
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, name: str, *, status: int = 200) -> str:
        return f"{self.base_url}/status/{status}/{name}"

    def start(self) -> Receiver:
        self._server = _Server((self.settings.host, self.settings.port), _Handler)
        self._server.owner = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries.append(delivery)
            self._lock.notify_all()

    def received(self, path_part: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self._deliveries if path_part in d.path]

    def wait_for(self, path_part: str, count: int, timeout: float = 5.0) -> list[Delivery]:
        """Wait until `count` deliveries whose path contains `path_part` arrived (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [d for d in self._deliveries if path_part in d.path]
                remaining = deadline - time.monotonic()
                if len(found) >= count or remaining <= 0:
                    return found
                self._lock.wait(remaining)


class LazyReceiver:
    """The run session's receiver: started on first use (most runs deliver nothing), stopped by `close`."""

    def __init__(self, settings: ReceiverSettings | None = None) -> None:
        self.settings = settings or ReceiverSettings()
        self._running: Receiver | None = None
        self._lock = threading.Lock()

    def get(self) -> Receiver:
        with self._lock:
            if self._running is None:
                self._running = Receiver(self.settings).start()
            return self._running

    def close(self) -> None:
        with self._lock:
            if self._running is not None:
                self._running.stop()
                self._running = None

"""The reference server with a bench-only ASGI wrapper: counts requests and times each one server-side.

Usage: ``python bench/instrumented_server.py [--fault NAME ...] [--enable-testing-api]
[--allow-insecure-webhooks]``
(tokens from env ``CALDASA_REFERENCE_TOKENS``, as for ``caldasa-reference serve``).
The first stdout line is the same as the real server's: ``Caldasa reference server on http://127.0.0.1:PORT``.

What the wrapper adds (nothing inside ``caldasa_reference`` changes):
- every response carries ``Server-Timing: app;dur=<ms>``: the time from the request reaching the app to the
  response head leaving it (routing, auth, validation, the handler, rendering);
- ``GET /_bench/stats`` answers ``{"requests": N}`` (requests the app saw, the stats calls excluded) and
  ``POST /_bench/reset`` sets N back to zero. Schemathesis never calls these paths: they are not in the
  contract.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caldasa_reference.app import create_app
from caldasa_reference.faults import validate_fault_names
from caldasa_reference.services import DEMO_TOKENS, RateLimit, ServerConfig

STATS_PATH = "/_bench/stats"
RESET_PATH = "/_bench/reset"


class CountingTimer:
    """ASGI wrapper: request counter plus a ``Server-Timing`` header on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in (STATS_PATH, RESET_PATH):
            await self.answer_stats(scope, send)
            return
        self.requests += 1
        began = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - began) * 1000
                headers = [
                    *message.get("headers", []),
                    (b"server-timing", f"app;dur={elapsed_ms:.3f}".encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed_send)

    async def answer_stats(self, scope: Scope, send: Send) -> None:
        if scope["path"] == RESET_PATH:
            self.requests = 0
        body = json.dumps({"requests": self.requests}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def bind(host: str, port: int) -> socket.socket:
    """A listening socket like the real server's (TCP_NODELAY: no Nagle/delayed-ACK stalls on keep-alive)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def parse_tokens(value: str) -> dict[str, str]:
    pairs = (pair.partition("=") for pair in value.split(",") if pair.strip())
    return {token.strip(): tenant.strip() for token, _, tenant in pairs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fault", action="append", default=[])
    parser.add_argument("--enable-testing-api", action="store_true")
    parser.add_argument("--allow-insecure-webhooks", action="store_true")
    parser.add_argument("--rate-limit", type=RateLimit.parse, help="per-token limit such as 20/s")
    parser.add_argument(
        "--latency", type=int, default=0, help="delay every answer by MS ms (a remote target)"
    )
    args = parser.parse_args(argv)
    tokens = parse_tokens(os.environ.get("CALDASA_REFERENCE_TOKENS", "")) or dict(DEMO_TOKENS)
    config = ServerConfig(
        tokens=tokens,
        enable_testing_api=args.enable_testing_api,
        allow_insecure_webhooks=args.allow_insecure_webhooks,
        faults=validate_fault_names(args.fault),
        rate_limit=args.rate_limit,
        latency_ms=args.latency,
    )
    app: Any = CountingTimer(create_app(config))
    sock = bind(args.host, args.port)
    print(f"Caldasa reference server on http://{args.host}:{sock.getsockname()[1]}", flush=True)
    # lifespan="on": the reference app's webhook dispatcher starts in the lifespan, as under the real server.
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the app under uvicorn on a (possibly OS-chosen) port and announce where it listens."""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from caldasa_reference.app import create_app
from caldasa_reference.services import ServerConfig


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit TCP_NODELAY on Linux; without it a response's header and body writes meet
    # Nagle + delayed ACK and each keep-alive request stalls ~40 ms on loopback.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(config: ServerConfig, *, host: str, port: int, log_level: str = "warning") -> int:
    """Serve until interrupted. The first stdout line is the URL; then one line per tenant name."""
    try:
        sock = _bind(host, port)
    except (OSError, OverflowError) as error:  # a port in use, an unknown host, a port out of range
        reason = getattr(error, "strerror", None) or str(error)
        print(f"caldasa-reference: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 2
    app = create_app(config)
    actual_port = sock.getsockname()[1]
    lines = [f"Caldasa reference server on http://{host}:{actual_port}"]
    tenants = app.state.services.tenants
    lines += [f"tenant: {tenant.name}" for tenant in tenants]
    if config.faults:
        lines.append("faults: " + ", ".join(sorted(config.faults)))
    if config.variants:
        lines.append("variants: " + ", ".join(sorted(config.variants)))
    print("\n".join(lines), flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=False))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


@contextmanager
def serve_in_thread(config: ServerConfig | None = None, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Run the server on a free port in a background thread; yields its base URL (for tests)."""
    app = create_app(config or ServerConfig())
    sock = _bind(host, 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])), daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("reference server failed to start")
            threading.Event().wait(0.01)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        if thread.is_alive():
            print("reference server thread did not stop", file=sys.stderr)

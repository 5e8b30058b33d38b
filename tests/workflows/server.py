"""Start the reference server as a subprocess on a free loopback port (tokens via env, never argv)."""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

BANNER = "Caldasa reference server on "


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    token: str
    token_secondary: str


@contextlib.contextmanager
def reference_server(*faults: str, timeout: float = 30.0) -> Iterator[RunningServer]:
    """Run `python -m caldasa_reference serve` with the testing API and http loopback webhooks enabled."""
    token, secondary = secrets.token_hex(16), secrets.token_hex(16)
    env = {key: value for key, value in os.environ.items() if not key.startswith("CALDASA_")}
    env["CALDASA_REFERENCE_TOKENS"] = f"{token}=Workflow Tenant A,{secondary}=Workflow Tenant B"
    command = [
        sys.executable,
        "-m",
        "caldasa_reference",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--enable-testing-api",
        "--allow-insecure-webhooks",
    ]
    for fault in faults:
        command += ["--fault", fault]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        url = _wait_for_banner(process, timeout)
        tail: deque[str] = deque(maxlen=200)
        threading.Thread(target=lambda: tail.extend(process.stdout or []), daemon=True).start()
        yield RunningServer(url, token, secondary)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_banner(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith(BANNER):
            return line[len(BANNER) :].strip()
        seen.append(line)
    process.kill()
    rest, _ = process.communicate(timeout=5)
    raise RuntimeError("reference server did not start:\n" + "".join(seen)[-3000:] + (rest or "")[-3000:])

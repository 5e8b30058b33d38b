"""Start the reference server as a subprocess on a free loopback port (tokens via env, never argv)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

TOKEN_A = "harness-token-a-0123456789"
TOKEN_B = "harness-token-b-0123456789"
_URL_LINE = re.compile(r"^Caldasa reference server on (http://127\.0\.0\.1:\d+)\s*$")


@dataclass(frozen=True)
class RunningServer:
    url: str
    env: dict[str, str]


@contextmanager
def reference_server(*faults: str, extra_args: tuple[str, ...] = ()) -> Iterator[RunningServer]:
    """Run `python -m caldasa_reference serve --port 0 [--fault NAME ...]` ; yield URL and env."""
    argv = [sys.executable, "-m", "caldasa_reference", "serve", "--port", "0", *extra_args]
    for fault in faults:
        argv += ["--fault", fault]
    env = {**os.environ, "CALDASA_REFERENCE_TOKENS": f"{TOKEN_A}=Harness A,{TOKEN_B}=Harness B"}
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert process.stdout is not None
        url = _read_url(process)
        threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe drained
        client_env = {"CALDASA_BASE_URL": url, "CALDASA_TOKEN": TOKEN_A, "CALDASA_TOKEN_SECONDARY": TOKEN_B}
        yield RunningServer(url, client_env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _read_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    seen: list[str] = []
    for _ in range(50):
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = _URL_LINE.match(line)
        if match:
            return match.group(1)
    raise RuntimeError(f"reference server did not print its URL line; output: {''.join(seen)[:500]}")

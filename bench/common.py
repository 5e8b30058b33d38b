"""Shared helpers of the benchmarks: starting servers, machine facts, small statistics."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
INSTRUMENTED_SERVER = Path(__file__).with_name("instrumented_server.py")
SERVER_BANNER = "Caldasa reference server on "


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen[str]

    def requests_seen(self) -> int:
        """Requests the app has answered so far (counted by the bench wrapper, server-side)."""
        return int(httpx.get(f"{self.url}/_bench/stats", timeout=10).json()["requests"])

    def reset_count(self) -> None:
        httpx.post(f"{self.url}/_bench/reset", timeout=10)


@contextmanager
def instrumented_server(
    tokens: dict[str, str],
    faults: tuple[str, ...] = (),
    *,
    testing_api: bool = False,
    log_path: Path | None = None,
    extra_args: tuple[str, ...] = (),
) -> Iterator[RunningServer]:
    """Start ``bench/instrumented_server.py`` on a free loopback port; tokens travel in the environment."""
    args = [sys.executable, str(INSTRUMENTED_SERVER), *extra_args]
    for fault in faults:
        args += ["--fault", fault]
    if testing_api:
        args += ["--enable-testing-api", "--allow-insecure-webhooks"]
    env = {**os.environ, "CALDASA_REFERENCE_TOKENS": ",".join(f"{t}={n}" for t, n in tokens.items())}
    log = open(log_path, "w", encoding="utf-8") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline().strip()
        if not first_line.startswith(SERVER_BANNER):
            raise RuntimeError(f"instrumented server did not start: {first_line!r}")
        yield RunningServer(first_line.removeprefix(SERVER_BANNER), process)
    finally:
        stop(process)
        if log_path:
            log.close()  # type: ignore[union-attr]


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare figures across machines."""
    cpu_model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def median_ms(samples_s: list[float]) -> float:
    return round(statistics.median(samples_s) * 1000, 3)


def percentile_ms(samples_s: list[float], fraction: float) -> float:
    ordered = sorted(samples_s)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000, 3)


class Stopwatch:
    def __init__(self) -> None:
        self.began = time.perf_counter()

    def seconds(self) -> float:
        return round(time.perf_counter() - self.began, 3)

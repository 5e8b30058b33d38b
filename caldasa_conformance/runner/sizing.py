"""`--workers auto`: the pytest-xdist worker count, from the target's round-trip time and the cores.

Against a slow target a worker spends most of each request waiting: a request costs the harness about
`CPU_PER_REQUEST_S` of CPU and the worker then idles one round trip. To keep `cores` cores busy, a run needs
about `cores * (rtt + cpu) / cpu` workers in flight. That count is capped: every worker is a whole
interpreter that imports and collects the suite (seconds of CPU and ~150 MB each), builds its own session
fixtures through the API, and the longest single test bounds the wall time whatever the worker count, so
past the cap the measured gain is gone (docs/benchmarks.md, the remote part). On loopback (the embedded
server, or a target on this machine) the CPU is the bottleneck and auto stays at one worker per core.
"""

from __future__ import annotations

import math
import statistics
import time

import httpx

# Harness CPU per request, in seconds: a default run on loopback spends ~34 CPU-s on ~6,300 requests, of which
# the harness (generation, validation, oracles) is the larger part.
CPU_PER_REQUEST_S = 0.005
# Below this the target is as near as loopback: the CPU, not the network, sets the pace.
LOCAL_RTT_S = 0.005
# Workers per core at most, and in all: measured at 40 ms, 8 workers on 2 cores gave the last real gain.
MAX_WORKERS_PER_CORE = 4
MAX_WORKERS = 8
RTT_SAMPLES = 3


def auto_workers(rtt_s: float | None, cores: int, *, cpu_per_request_s: float = CPU_PER_REQUEST_S) -> int:
    """The worker count for a target `rtt_s` seconds away (None: not measured) on `cores` cores.

    One per core when the target is local or unmeasured; otherwise enough to cover each round trip with
    other workers' CPU work, at least one per core and at most `min(MAX_WORKERS, MAX_WORKERS_PER_CORE *
    cores)`.
    """
    cores = max(1, cores)
    if rtt_s is None or rtt_s < LOCAL_RTT_S or cpu_per_request_s <= 0:
        return cores
    wanted = math.ceil(cores * (rtt_s + cpu_per_request_s) / cpu_per_request_s)
    return max(cores, min(wanted, MAX_WORKERS, MAX_WORKERS_PER_CORE * cores))


def measure_rtt(
    client: httpx.Client, base_url: str, token: str, *, samples: int = RTT_SAMPLES
) -> float | None:
    """The median time of `GET /tenant` on `client`'s kept-alive connection, in seconds (None: no answer).

    The connection is warmed by one untimed request first (TCP, and TLS on HTTPS): the suite's clients keep
    their connections, so what each of their requests waits is one round trip plus the server's time.
    """
    url = base_url.rstrip("/") + "/tenant"
    headers = {"Authorization": f"Bearer {token}"}
    times: list[float] = []
    try:
        client.get(url, headers=headers)
        for _ in range(samples):
            began = time.perf_counter()
            client.get(url, headers=headers)
            times.append(time.perf_counter() - began)
    except httpx.HTTPError:
        return None
    return statistics.median(times)

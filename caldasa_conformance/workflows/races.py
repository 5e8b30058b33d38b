"""Race probes (class `concurrency`): fire N identical requests at once and judge the outcomes.

N is bounded (default 8, at most 16) so a probe is safe on a shared staging target. A barrier releases all
threads together so the requests overlap on the server.
"""

from __future__ import annotations

import contextvars
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from caldasa_conformance.workflows.checks import problem_code, require

DEFAULT_PARALLEL = 8
MAX_PARALLEL = 16


def fire_together(send: Callable[[], httpx.Response], n: int = DEFAULT_PARALLEL) -> list[httpx.Response]:
    """Call `send` from `n` threads released at the same instant; return every response."""
    if not 2 <= n <= MAX_PARALLEL:
        raise ValueError(f"parallelism must be within 2..{MAX_PARALLEL}, got {n}")
    barrier = threading.Barrier(n)

    def one() -> httpx.Response:
        barrier.wait(timeout=30)
        return send()

    with ThreadPoolExecutor(max_workers=n) as pool:
        # each thread runs in a copy of the test's context, so whatever it judges is the test's evidence
        futures = [pool.submit(contextvars.copy_context().run, one) for _ in range(n)]
        return [future.result() for future in futures]


def outcome_counts(responses: list[httpx.Response]) -> Counter[str]:
    """`{"201": 1, "409 slot_unavailable": 7}`-style tally of the answers."""
    return Counter(
        f"{r.status_code} {problem_code(r)}"
        if r.status_code >= 400 and problem_code(r)
        else str(r.status_code)
        for r in responses
    )


def require_single_winner(
    responses: list[httpx.Response], *, success: int, loser_code: str, requirement: str, operation_id: str
) -> httpx.Response:
    """Exactly one `success`, every other answer `409 loser_code`; return the winner."""
    counts = outcome_counts(responses)
    wanted = Counter({str(success): 1, f"409 {loser_code}": len(responses) - 1})
    require(
        counts == wanted,
        requirement,
        f"{len(responses)} parallel identical requests did not have one winner",
        dict(counts),
        dict(wanted),
        operation_id,
    )
    return next(r for r in responses if r.status_code == success)

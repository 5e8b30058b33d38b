"""Independent reads sent at once: an invariant's GETs wait on the network, not on each other.

After every step a machine reads back each entity, list and availability day it models. Against a target
40 ms away those reads, one after another, were most of a run's wall time. They change nothing on the server
and none depends on another's answer, so they go out together on the session's (thread-safe, kept-alive)
client; the answers come back in the order the calls were given, and the caller judges them in that order,
on its own thread, as before. What a machine draws never depends on them, so replay is unchanged.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Answer = TypeVar("Answer")
MAX_IN_FLIGHT = 8  # per test, and `--max-rps` still paces every request of the client


def read_all(calls: Sequence[Callable[[], Answer]]) -> list[Answer]:
    """Run `calls` at once (at most MAX_IN_FLIGHT in flight) and return their answers in the given order.

    Each runs in a copy of the caller's context, so the client's per-test records (the journal, the
    exchanges, the health of the target) see the running test. The first exception, in call order, is
    raised once every call has ended.
    """
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=min(MAX_IN_FLIGHT, len(calls))) as pool:
        futures = [pool.submit(contextvars.copy_context().run, call) for call in calls]
    return [future.result() for future in futures]


def read_groups(*groups: Sequence[Callable[[], Answer]]) -> list[list[Answer]]:
    """Run every call of every group at once; the answers come back grouped as the calls were."""
    answers = iter(read_all([call for group in groups for call in group]))
    return [[next(answers) for _ in group] for group in groups]

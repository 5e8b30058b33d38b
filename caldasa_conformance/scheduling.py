"""The order a run's tests go in, and with several xdist workers how they fall to the workers.

Classes run cheap and wide first (`RUN_ORDER`), so a broken target fails within seconds. With several workers
each worker's share begins with a state machine (`run_order`), so the long call chains run side by side.
Hypothesis seeds each test apart from its place in the run, so no order changes a verdict.
"""

from __future__ import annotations

import itertools

import pytest

from caldasa_conformance.kinds import is_state_machine
from caldasa_conformance.requirements import CLASSES


def conformance_class(item: pytest.Item) -> str | None:
    """The class marker of a suite test, or None for a project test."""
    return next((mark.name for mark in item.iter_markers() if mark.name in CLASSES), None)


# The order classes run in: the cheap checks that cover every operation first (a broken target fails within
# seconds, with `-x` or while the rest still runs), the long stateful machines last.
RUN_ORDER = (
    *("schema", "http", "errors", "auth", "tenancy", "pagination"),
    *("customers", "catalog", "events", "webhooks", "concurrency", "bookings"),
)


def _cheap_and_wide_first(item: pytest.Item) -> int:
    klass = conformance_class(item)
    return RUN_ORDER.index(klass) if klass in RUN_ORDER else len(RUN_ORDER)


def run_order(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """The items in the order they run: classes in `RUN_ORDER`; with several workers, each worker's share
    begins with state machines.

    A state machine is one long chain of calls (a minute and more against a distant target) that no worker
    can share. Left in class order they all fall into the last workers' shares and run one after another
    while the other workers idle. pytest-xdist's `worksteal` gives worker i the next `remaining // (workers
    - i)` items of this list as its share, so the list is laid out share by share, the machines dealt out
    first (longest-running classes first), one to each share in turn.
    """
    ordered = sorted(items, key=_cheap_and_wide_first)
    if workers <= 1:
        return ordered
    machines = sorted((i for i in ordered if is_state_machine(i)), key=_cheap_and_wide_first, reverse=True)
    rest = iter(i for i in ordered if not is_state_machine(i))
    shares: list[list[pytest.Item]] = [machines[worker::workers] for worker in range(workers)]
    laid_out: list[pytest.Item] = []
    for worker, share in enumerate(shares):
        size = (len(ordered) - len(laid_out)) // (workers - worker)
        laid_out += share + list(itertools.islice(rest, max(0, size - len(share))))
    return laid_out + list(rest)

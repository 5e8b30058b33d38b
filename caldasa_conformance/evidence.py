"""Evidence that a check ran and held, per test: what makes a requirement *verified*.

A test that returns early, or passes without its rule ever being evaluated, proves nothing; the summary must
not count it. Every judge records here the requirement it has just seen hold (`held`): the workflow checks
(`require`, `check_answer`), each oracle at the point where it really evaluates, and the Schemathesis tests
once their checks pass. The plugin opens a ledger when a test starts and writes what it holds into the test's
JUnit properties (`caldasa_evaluated`); the summary derives verified / failed / unverified from those.

Tests may judge from several threads (races, webhook receivers), so the ledger is locked. Outside a test
(self-tests, the reference's probes) nothing is recorded.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_ledger: set[str] | None = None


def open_ledger() -> None:
    """Start recording for a new test (what an earlier test left is dropped)."""
    global _ledger
    with _lock:
        _ledger = set()


def close_ledger() -> tuple[str, ...]:
    """Stop recording; return the requirements that held during the test, sorted."""
    global _ledger
    with _lock:
        held_ids, _ledger = sorted(_ledger or ()), None
    return tuple(held_ids)


def held(*requirements: str) -> None:
    """Record that a check of each of `requirements` ran and held."""
    with _lock:
        if _ledger is not None:
            _ledger.update(requirements)

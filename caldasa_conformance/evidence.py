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
_notes: set[str] | None = None
_retracted: set[str] = set()


def open_ledger() -> None:
    """Start recording for a new test (what an earlier test left is dropped)."""
    global _ledger, _notes
    with _lock:
        _ledger, _notes = set(), set()
        _retracted.clear()


def close_ledger() -> tuple[str, ...]:
    """Stop recording; return the requirements that held during the test, sorted."""
    global _ledger
    with _lock:
        held_ids, _ledger = sorted(set(_ledger or ()) - _retracted), None
    return tuple(held_ids)


def retract(requirement: str) -> None:
    """This test is no evidence for `requirement`, whatever else held (a policy seen not followed)."""
    with _lock:
        if _ledger is not None:
            _retracted.add(requirement)


def note(text: str) -> None:
    """Record a note of the running test (a reference policy the target does not follow, see `policy`)."""
    with _lock:
        if _notes is not None:
            _notes.add(text)


def take_notes() -> tuple[str, ...]:
    """The notes recorded since the test began, sorted; recording stops."""
    global _notes
    with _lock:
        notes, _notes = sorted(_notes or ()), None
    return tuple(notes)


def held(*requirements: str) -> None:
    """Record that a check of each of `requirements` ran and held."""
    with _lock:
        if _ledger is not None:
            _ledger.update(requirements)

"""Evidence that a check ran and held, per test: what makes a requirement *verified*.

A test that returns early, or passes without its rule ever being evaluated, proves nothing; the summary must
not count it. Every judge records here the requirement it has just seen hold (`held`): the workflow checks
(`require`, `check_answer`), each oracle at the point where it really evaluates, and the Schemathesis tests
once their checks pass. The plugin gives each test a `Ledger` (kept in the item's stash) and binds it as the
running test's ledger when the test starts; when the call ends it writes what the ledger holds into the
test's JUnit properties (`caldasa_evaluated`), and the summary derives verified / failed / unverified from
those.

The running ledger is found through a context variable, not handed down: about 300 judges record into it,
deep inside oracles and machines that have no test at hand. A context variable is the execution context's
own slot (as `decimal.localcontext` is), so nothing is shared between processes, and a thread sees the
ledger only when it runs in a copy of the test's context (`workflows.races` does). The ledger itself is
locked because such threads may record at once. Outside a test (self-tests, the reference's probes) no
ledger is bound and nothing is recorded.

The ledger also carries whether the run holds the target to the reference server's own choices
(`enforce_policies`, see `policy`), which the plugin sets from the profile.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar, Token
from dataclasses import dataclass, field


@dataclass
class Ledger:
    """What one test saw hold, what it is no evidence for, and its notes.

    Attributes:
        enforce_policies: check reference policies as rules (the reference profile, and outside a run), or
            only note that the target chose differently.
    """

    enforce_policies: bool = True
    _held: set[str] = field(default_factory=set, init=False)
    _retracted: set[str] = field(default_factory=set, init=False)
    _notes: set[str] = field(default_factory=set, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def hold(self, requirements: tuple[str, ...]) -> None:
        with self._lock:
            self._held.update(requirements)

    def retract(self, requirement: str) -> None:
        with self._lock:
            self._retracted.add(requirement)

    def note(self, text: str) -> None:
        with self._lock:
            self._notes.add(text)

    def evaluated(self) -> tuple[str, ...]:
        """The requirements that held and were not retracted, sorted."""
        with self._lock:
            return tuple(sorted(self._held - self._retracted))

    def notes(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(sorted(self._notes))


_running: ContextVar[Ledger | None] = ContextVar("caldasa_running_ledger", default=None)


def bind(ledger: Ledger) -> Token[Ledger | None]:
    """Make `ledger` the running test's ledger; `unbind` with the token returned ends it."""
    return _running.set(ledger)


def unbind(token: Token[Ledger | None]) -> None:
    _running.reset(token)


@contextlib.contextmanager
def recording(ledger: Ledger | None = None) -> Iterator[Ledger]:
    """Record into `ledger` (a new one by default) for the duration of the block."""
    ledger = ledger if ledger is not None else Ledger()
    token = bind(ledger)
    try:
        yield ledger
    finally:
        unbind(token)


def held(*requirements: str) -> None:
    """Record that a check of each of `requirements` ran and held."""
    ledger = _running.get()
    if ledger is not None:
        ledger.hold(requirements)


def retract(requirement: str) -> None:
    """This test is no evidence for `requirement`, whatever else held (a policy seen not followed)."""
    ledger = _running.get()
    if ledger is not None:
        ledger.retract(requirement)


def note(text: str) -> None:
    """Record a note of the running test (a reference policy the target does not follow, see `policy`)."""
    ledger = _running.get()
    if ledger is not None:
        ledger.note(text)


def enforces_policies() -> bool:
    """Whether the running test holds the target to the reference's choices (True outside a test)."""
    ledger = _running.get()
    return ledger is None or ledger.enforce_policies

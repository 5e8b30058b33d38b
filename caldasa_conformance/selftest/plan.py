"""Which faults to run and, for each, which conformance classes can detect it.

A fault breaks one requirement; the classes to run are the requirement's `class` in requirements.yaml plus
the few extra classes named in `EXTRA_CLASSES` (where the requirement is also checked elsewhere and that
check is the one that catches the fault on the reference server).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caldasa_conformance.requirements import CLASSES, STATEFUL_CLASSES, Requirement
from caldasa_conformance.selftest.faults import Fault

# Fault name → classes to run in addition to its requirement's own class.
EXTRA_CLASSES: dict[str, tuple[str, ...]] = {
    # The booking state machine meets a double-booked staff member as wrong derived fields (B9) and turns
    # flaky on replay; the concurrency class books one slot twice in parallel and names B1.
    "double-booking-staff": ("concurrency",),
    # The events state machine redeems a ticket twice only on some seeds; parallel redeems always do.
    "redeem-twice": ("concurrency",),
}

# Fault name → extra reference-server arguments its detection needs (a 429 needs a rate limit to exceed).
SERVER_ARGS: dict[str, tuple[str, ...]] = {"missing-retry-after": ("--rate-limit=20/s",)}

# The representative CI subset: one fault per conformance class that has faults (catalog and concurrency
# have none), preferring the fault whose detection is fastest. The full matrix runs in `tox -e selftest`.
CI_SUBSET: tuple[str, ...] = (
    "booking-missing-public-id",  # schema  (S1)
    "accepts-invalid-input",  # errors  (V1)
    "auth-bypass",  # auth    (T2)
    "tenant-leak",  # tenancy (T1)
    "pagination-overlap",  # pagination (T3)
    "delete-not-effective",  # http    (T7)
    "patch-null-clears",  # customers (K1)
    "webhook-secret-leak",  # webhooks (W1)
    "double-booking-staff",  # bookings (B1)
    "redeem-twice",  # events  (R1)
)
SUBSETS: dict[str, tuple[str, ...]] = {"ci": CI_SUBSET}


BUDGET_ORDER = ("smoke", "default", "deep")
# The stateful classes are Hypothesis state machines: with the smoke budget (2 examples) they rarely reach the
# step that meets a fault, so their fault runs use at least the default budget.
STATEFUL_MIN_BUDGET = "default"
# Faults the state machines reach only with more examples (measured on this 2-core machine: B2 is caught at
# the deep budget in ~3.5 min, E3 in ~35 s; at the default budget both are missed on some seeds).
FAULT_MIN_BUDGET: dict[str, str] = {"double-allocation-resource": "deep", "ticket-oversell": "deep"}


class PlanError(ValueError):
    """An unknown fault or subset name; the message says which."""


def classes_for(fault: Fault, requirements: Mapping[str, Requirement]) -> tuple[str, ...]:
    """The classes whose tests can detect `fault`, in the canonical class order."""
    wanted = set(EXTRA_CLASSES.get(fault.name, ()))
    requirement = requirements.get(fault.requirement)
    if requirement is not None:
        wanted.add(requirement.conformance_class)
    if not wanted:
        return CLASSES  # a requirement we do not know: only the whole suite can tell
    return tuple(name for name in CLASSES if name in wanted)


def select_faults(
    faults: Iterable[Fault], names: Iterable[str] | None = None, subset: str | None = None
) -> list[Fault]:
    """The faults to run: all, the named ones, or a named subset (in registry order).

    Raises:
        PlanError: a name that is not a fault, or an unknown subset.
    """
    available = list(faults)
    if subset is not None:
        if subset not in SUBSETS:
            raise PlanError(f"--subset: unknown subset {subset!r}; choose from {', '.join(SUBSETS)}")
        names = SUBSETS[subset]
    if names is None:
        return available
    chosen = set(names)
    unknown = sorted(chosen - {fault.name for fault in available})
    if unknown:
        raise PlanError(f"unknown fault {unknown[0]!r}; see caldasa-reference faults")
    return [fault for fault in available if fault.name in chosen]


def budget_for(fault: str, classes: Iterable[str], budget: str) -> str:
    """The budget of a fault run: `budget`, raised to `STATEFUL_MIN_BUDGET` when a stateful class runs and to
    the fault's entry in `FAULT_MIN_BUDGET`."""
    minimum = FAULT_MIN_BUDGET.get(fault, "smoke")
    if any(name in STATEFUL_CLASSES for name in classes):
        minimum = max(minimum, STATEFUL_MIN_BUDGET, key=BUDGET_ORDER.index)
    return max(budget, minimum, key=BUDGET_ORDER.index)

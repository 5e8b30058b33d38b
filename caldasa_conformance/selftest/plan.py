"""Which faults to run and, for each, which conformance classes can detect it.

A fault breaks one requirement; the class to run is the requirement's `class` in requirements.yaml. Every
fault is caught there by a fixed scenario test (suites/*/test_*_rules.py) at any budget, so a fault run uses
the budget it is given: the state machines' own detection is proved in tests/workflows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from caldasa_conformance.failures import GatewayErrorPage, NoAnswerInTime, UnparsableBody
from caldasa_conformance.requirements import CLASSES, Requirement
from caldasa_conformance.selftest.faults import Fault

# Fault name → extra reference-server arguments its detection needs (a 429 needs a rate limit to exceed).
SERVER_ARGS: dict[str, tuple[str, ...]] = {"missing-retry-after": ("--rate-limit=20/s",)}

# Fault name → the classes that detect it, where that is not its requirement's class: the catalog machine
# (suites/catalog) judges T7, T8 and K1 on catalog entities, and only parallel requests (suites/concurrency)
# see a check-then-write without its lock. No fixed scenario is aimed at these faults.
DETECTING_CLASSES: dict[str, tuple[str, ...]] = {
    "location-lost-update": ("catalog",),
    "location-delete-no-cascade": ("catalog",),
    "location-in-use-deletable": ("catalog",),
    "booking-lock-removed": ("concurrency",),
    "redeem-lock-removed": ("concurrency",),
    # Every 7th availability query hangs: the errors class alone may send fewer than 7 at the smoke budget.
    "hang-every-n": ("errors", "bookings"),
    # A cut body and a gateway page also meet what Schemathesis sends itself: the link-driven test (http).
    "truncate-every-n": ("schema", "http"),
    "gateway-page-every-n": ("schema", "http"),
}
# Fault name → the least budget its run gets: the catalog machine needs the default budget's examples to meet
# these situations by chance (a race probe meets its race at any budget).
MIN_BUDGETS: dict[str, str] = {
    "location-lost-update": "default",
    "location-delete-no-cascade": "default",
    "location-in-use-deletable": "default",
}
BUDGET_ORDER = ("smoke", "default", "deep")
# A sick transport (the reference's unwell faults) must be reported as such: each failure of its run gives the
# transport's cause, never a business rule the test was about to check (that rule stays unverified).
UNWELL_CAUSES: dict[str, str] = {
    "hang-every-n": NoAnswerInTime.title,
    "truncate-every-n": UnparsableBody.title,
    "gateway-page-every-n": GatewayErrorPage.title,
}

# The representative CI subset: one fault per conformance class that has faults, preferring the fault whose
# detection is fastest. The full matrix runs in `tox -e selftest`.
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
    "location-in-use-deletable",  # catalog (T7)
    "booking-lock-removed",  # concurrency (B1)
)
# The CI subset's variants: cheap runs that each exercise a different freedom of the contract (the wire,
# the problem body, the ids, the order of unnamed ties). The full matrix runs them all.
CI_VARIANTS: tuple[str, ...] = ("json-charset", "problem-extensions", "uuid-v7", "ties-reversed")
# `none`: the clean runs alone (`--seeds 10 --budget default --subset none`: does anything flake?).
SUBSETS: dict[str, tuple[str, ...]] = {"ci": CI_SUBSET, "none": ()}
VARIANT_SUBSETS: dict[str, tuple[str, ...]] = {"ci": CI_VARIANTS, "none": ()}


class PlanError(ValueError):
    """An unknown fault or subset name; the message says which."""


def classes_for(fault: Fault, requirements: Mapping[str, Requirement]) -> tuple[str, ...]:
    """The classes whose tests can detect `fault`, in the canonical class order."""
    if fault.name in DETECTING_CLASSES:
        return DETECTING_CLASSES[fault.name]
    requirement = requirements.get(fault.requirement)
    if requirement is None:
        return CLASSES  # a requirement we do not know: only the whole suite can tell
    return (requirement.conformance_class,)


def budget_for(fault: Fault, budget: str) -> str:
    """The budget of `fault`'s run: `budget`, raised to the fault's least budget (`MIN_BUDGETS`)."""
    least = MIN_BUDGETS.get(fault.name, budget)
    if budget in BUDGET_ORDER and BUDGET_ORDER.index(least) > BUDGET_ORDER.index(budget):
        return least
    return budget


def select_faults(
    faults: Iterable[Fault], names: Iterable[str] | None = None, subset: str | None = None
) -> list[Fault]:
    """The faults to run: all, the named ones, or a named subset (in registry order).

    Raises:
        PlanError: a name that is not a fault, or an unknown subset.
    """
    available = list(faults)
    chosen = _choose([fault.name for fault in available], names, subset, SUBSETS, "fault")
    return [fault for fault in available if fault.name in chosen]


def select_variants(
    available: Iterable[str], names: Iterable[str] | None = None, subset: str | None = None
) -> list[str]:
    """The variants to run: all, the named ones, or those of a named subset (in registry order).

    Raises:
        PlanError: a name that is not a variant, or an unknown subset.
    """
    return _choose(list(available), names, subset, VARIANT_SUBSETS, "variant")


def _choose(
    known: list[str],
    names: Iterable[str] | None,
    subset: str | None,
    subsets: Mapping[str, tuple[str, ...]],
    kind: str,
) -> list[str]:
    """`known` in its order: all of it, the `names` (which win over a subset), or those of `subset`."""
    if names is None and subset is not None:
        if subset not in subsets:
            raise PlanError(f"--subset: unknown subset {subset!r}; choose from {', '.join(subsets)}")
        names = subsets[subset]
    if names is None:
        return known
    chosen = set(names)
    unknown = sorted(chosen - set(known))
    if unknown:
        raise PlanError(f"unknown {kind} {unknown[0]!r}; see caldasa-reference {kind}s")
    return [name for name in known if name in chosen]

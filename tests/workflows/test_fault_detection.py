"""Every invariant of the stateful classes is caught by the reference fault that breaks it."""

from __future__ import annotations

import pytest
from hypothesis.stateful import RuleBasedStateMachine

from caldasa_conformance.workflows.bookings import BookingEngine
from caldasa_conformance.workflows.catalog import CatalogLifecycle
from caldasa_conformance.workflows.customers import CustomerTimeline
from caldasa_conformance.workflows.events import EventsAndTickets
from caldasa_conformance.workflows.webhooks import WebhookSubscriptions
from tests.harness.reference_server import reference_server
from tests.workflows.conftest import make_target
from tests.workflows.runner import run_machine

FAULT_CASES: list[tuple[str, type[RuleBasedStateMachine], str]] = [
    ("double-booking-staff", BookingEngine, "B1"),
    ("double-allocation-resource", BookingEngine, "B2"),
    ("availability-ignores-bookings", BookingEngine, "A2"),
    ("availability-ignores-blocks", BookingEngine, "B5"),
    ("cancel-not-sticky", BookingEngine, "C1"),
    ("cancel-twice-allowed", BookingEngine, "C2"),
    ("event-republish", EventsAndTickets, "E1"),
    ("ticket-oversell", EventsAndTickets, "E3"),
    ("redeem-twice", EventsAndTickets, "R1"),
    ("patch-null-clears", CustomerTimeline, "K1"),
    ("webhook-secret-leak", WebhookSubscriptions, "W1"),
    ("webhook-bad-signature", WebhookSubscriptions, "W3"),
    ("location-lost-update", CatalogLifecycle, "K1"),
    ("location-delete-no-cascade", CatalogLifecycle, "T7"),
    ("location-in-use-deletable", CatalogLifecycle, "T7"),
    ("duplicate-names-accepted", CatalogLifecycle, "T11"),
]


@pytest.mark.parametrize(
    ("fault", "machine", "requirement"), FAULT_CASES, ids=[case[0] for case in FAULT_CASES]
)
def test_machine_catches_fault(fault: str, machine: type[RuleBasedStateMachine], requirement: str) -> None:
    with reference_server(fault) as server:
        target = make_target(server, budget="default")
        failure = None
        for seed in (1, 2, 3):  # each hunt stops at the first failure; a further seed only runs on a miss
            failure = run_machine(machine, target, seed=seed, hunt=True)
            if failure is not None:
                break
        target.client.close()
    assert failure is not None, f"{machine.__name__} passed against --fault {fault}"
    assert failure.requirement_id == requirement, str(failure)
    assert f"Requirement: {requirement}" in str(failure)

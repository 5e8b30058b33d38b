"""Every machine passes on the clean reference server, over five seeds (no false positives)."""

from __future__ import annotations

import pytest
from hypothesis.stateful import RuleBasedStateMachine

from caldasa_conformance.workflows.bookings import BookingEngine
from caldasa_conformance.workflows.catalog import CatalogLifecycle
from caldasa_conformance.workflows.customers import CustomerTimeline
from caldasa_conformance.workflows.events import EventsAndTickets
from caldasa_conformance.workflows.target import Target
from caldasa_conformance.workflows.webhooks import WebhookSubscriptions
from tests.workflows.runner import run_machine

MACHINES: list[type[RuleBasedStateMachine]] = [
    BookingEngine,
    EventsAndTickets,
    WebhookSubscriptions,
    CustomerTimeline,
    CatalogLifecycle,
]


@pytest.mark.parametrize("seed", [11, 22, 33, 44, 55])
@pytest.mark.parametrize("machine", MACHINES, ids=[m.__name__ for m in MACHINES])
def test_machine_passes_on_clean_server_no_false_positive(
    machine: type[RuleBasedStateMachine], seed: int, clean_target: Target
) -> None:
    failure = run_machine(machine, clean_target, seed=seed)
    assert failure is None, str(failure)

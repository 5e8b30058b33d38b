"""Machines replay exactly: what a machine draws never depends on the answers of the target.

Hypothesis replays a failing example (and every shrink) by feeding the same choices again; when a precondition
reads server state, another answer enables other rules and the replay draws differently
(`FlakyStrategyDefinition`). Two servers that make different legal choices (design §8 #30, #31) must
therefore see the very same steps for the same seed, and the model must pass on both by adopting their choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest

from caldasa_conformance.workflows.bookings import BookingEngine
from caldasa_conformance.workflows.catalog import CatalogLifecycle
from tests.harness.reference_server import reference_server
from tests.workflows.conftest import make_target
from tests.workflows.runner import run_machine

# each names a free choice the contract leaves to the server
CHOICE_VARIANTS = ["staff-highest-id", "staff-random", "unit-random"]


class RecordingEngine(BookingEngine):
    """The booking machine, keeping the names of every example's steps."""

    scripts: ClassVar[list[list[str]]] = []

    def teardown(self) -> None:
        RecordingEngine.scripts.append([step.name for step in self.journal.steps])
        super().teardown()


def _scripts(*variants: str, seed: int) -> Iterator[list[str]]:
    RecordingEngine.scripts = []
    with reference_server(variants=variants) as server:
        target = make_target(server, budget="default")
        failure = run_machine(RecordingEngine, target, seed=seed)
        target.client.close()
    assert failure is None, str(failure)
    yield from RecordingEngine.scripts


@pytest.mark.parametrize("variant", CHOICE_VARIANTS)
def test_booking_machine_draws_the_same_steps_whatever_the_server_chose(variant: str) -> None:
    """Same seed, another legal choice of staff or unit: the same steps, and no failure (the model adopts)."""
    assert list(_scripts(variant, seed=7)) == list(_scripts(seed=7))


class RecordingCatalog(CatalogLifecycle):
    """The catalog machine (with its duplicates of names and emails), keeping every example's steps."""

    scripts: ClassVar[list[list[str]]] = []

    def teardown(self) -> None:
        RecordingCatalog.scripts.append(
            [f"{step.name}{sorted(step.arguments.items())}" for step in self.journal.steps]
        )
        super().teardown()


def _catalog_scripts(*variants: str, seed: int) -> list[list[str]]:
    RecordingCatalog.scripts = []
    with reference_server(variants=variants) as server:
        target = make_target(server, budget="smoke")
        failure = run_machine(RecordingCatalog, target, seed=seed)
        target.client.close()
    assert failure is None, str(failure)
    return RecordingCatalog.scripts


def test_catalog_machine_draws_the_same_steps_whatever_ids_the_server_made() -> None:
    """Same seed, other ids (UUIDv7): the same steps, duplicates included, and no failure."""
    scripts = _catalog_scripts("uuid-v7", seed=7)
    assert any(step.startswith("send_duplicate") for script in scripts for step in script)
    assert scripts == _catalog_scripts(seed=7)

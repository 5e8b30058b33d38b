"""A failing machine shrinks to a minimal sequence, printed as a numbered script with curl commands."""

from __future__ import annotations

import re

from caldasa_conformance.workflows.bookings import BookingEngine
from tests.harness.reference_server import reference_server
from tests.workflows.conftest import make_target
from tests.workflows.runner import run_machine


def test_failure_shows_a_minimal_numbered_curl_script() -> None:
    with reference_server("cancel-twice-allowed") as server:
        target = make_target(server, budget="smoke")
        failure = None
        for seed in (
            1,
            4,
            6,
            7,
            8,
        ):  # short runs (8 steps) shrink fast; not every seed reaches a double cancel
            failure = run_machine(BookingEngine, target, seed=seed, hunt=True, shrink=True, steps=8)
            if failure is not None:
                break
        target.client.close()
    assert failure is not None
    text = str(failure)
    assert "Requirement: C2" in text
    assert "Minimal failing sequence" in text
    steps = re.findall(r"^\s+(\d+)\. (\w+)\(", text, flags=re.MULTILINE)
    names = [name for _, name in steps]
    assert names[0] == "build_world", names
    assert names.count("cancel") >= 2, names
    assert [int(number) for number, _ in steps] == list(range(1, len(steps) + 1))
    assert len(steps) <= 8, names  # shrunk (time-bounded): world, a booking, two cancels, little else
    assert "curl -sS -X POST" in text
    assert "Authorization: Bearer $CALDASA_TOKEN" in text  # the reader sets it; never the token itself
    assert server.token not in text

"""T9: a createBooking retried with its Idempotency-Key replays the original answer (class `bookings`).

Idempotency is optional (design §8 #36): a target that ignores the key is skipped with the reason said. A
target that honours the key must do it wholly: replay the original 201 for an equal body, refuse a different
body with 409 `idempotency_key_reused`, and never store a second booking.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from caldasa_conformance.builders.scenario import Scenario
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, answer_matches, check_answer, require

KEY_REUSED = Expect(409, "T9", "idempotency_key_reused", why="the key was used with a different body")
# What a target that ignores the key answers: the retry meets the original's slot taken, the other body books.
IGNORED_RETRY = Expect(409, "B1", "slot_unavailable", why="a target without idempotency: the slot is taken")
IGNORED_CHANGE = Expect(201, "T9", why="a target without idempotency: a new booking at 11:00")


def ignores_the_key(retry: httpx.Response, changed: httpx.Response) -> bool:
    """Only the exact answers of a target without the optional feature skip the test; any other answer
    (a 500 on the replay included) is judged as T9."""
    return answer_matches(retry, IGNORED_RETRY) and answer_matches(changed, IGNORED_CHANGE)


@pytest.fixture(scope="module")
def scenario(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> Scenario:
    return Scenario(api, cleanup, run_tag)


def _send(scenario: Scenario, body: dict[str, Any], key: str, original_id: str | None) -> httpx.Response:
    """createBooking with `key`; a booking other than the original is cancelled at session end."""
    response = ops.create_booking(scenario.client, body=body, headers={"Idempotency-Key": key})
    if response.status_code == 201 and response.json().get("id") != original_id:
        scenario.forget_later(response)
    return response


@pytest.mark.bookings
@pytest.mark.req("T9")
@pytest.mark.operation("createBooking", "listBookings")
def test_a_repeated_idempotency_key_replays_the_original_booking(scenario: Scenario) -> None:
    """Test Purpose: the same Idempotency-Key with an equal body replays the original 201 (status, body,
    Location) without a second booking; the same key with a different body answers 409
    idempotency_key_reused.

    Test Method: book 10:00 with a fresh key (201); send the same request again; send the key with an 11:00
    item instead. A target that ignores the key answers 409 slot_unavailable, then 201: skipped, the feature
    is optional. Any other mix fails, as does a replay that differs from the original or a second booking
    listed at the location.
    """
    world = scenario.basic()
    key = f"{scenario.run_tag}-{uuid.uuid4()}"
    body = scenario.booking_body(world, [world.item(world.at(10))])
    first = _send(scenario, body, key, None)
    original = check_answer(first, Expect(201, "T9", why="an open slot, a new key"), "createBooking")
    retry = _send(scenario, body, key, original["id"])
    changed = _send(scenario, scenario.booking_body(world, [world.item(world.at(11))]), key, original["id"])
    if ignores_the_key(retry, changed):
        pytest.skip("the target ignores Idempotency-Key (optional, design §8 #36): T9 does not apply")
    replay = Expect(201, "T9", why="same key, equal body: the original 201 replayed")
    require(
        check_answer(retry, replay, "createBooking") == original,
        "T9",
        "The replay differs from the original 201",
        retry.json(),
        original,
        "createBooking",
    )
    replayed_at, created_at = retry.headers.get("location"), first.headers.get("location")
    require(replayed_at == created_at, "T9", "The replay has another Location", replayed_at, created_at)
    check_answer(changed, KEY_REUSED, "createBooking")
    kept = [b["id"] for b in scenario.bookings_at(world.location_id, "T9") if b.get("status") != "Cancelled"]
    require(kept == [original["id"]], "T9", "A retry stored a second booking", kept, [original["id"]])

"""T9 is optional, but only a target that truly ignores the key is skipped: a server error on the replay is
judged (a mutant of the reference that crashed on replays was skipped as 'ignores the key')."""

from __future__ import annotations

import httpx

from suites.bookings.test_idempotency import ignores_the_key

PROBLEM = "application/problem+json"


def _answer(status: int, code: str | None = None) -> httpx.Response:
    body = {"status": status, "title": "t", **({"code": code} if code else {})}
    return httpx.Response(status, json=body, headers={"content-type": PROBLEM})


def test_a_target_without_idempotency_is_recognised() -> None:
    assert ignores_the_key(_answer(409, "slot_unavailable"), _answer(201))


def test_a_server_error_on_the_replay_is_not_taken_for_a_missing_feature() -> None:
    assert not ignores_the_key(_answer(500), _answer(500))
    assert not ignores_the_key(_answer(409, "slot_unavailable"), _answer(409, "idempotency_key_reused"))

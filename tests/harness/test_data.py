"""Cleanup bookkeeping of the data fixtures, on a MockTransport."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance import plugin
from caldasa_conformance.fixtures.data import Cleanup, track_created


@pytest.fixture
def leftovers(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    recorded: list[dict[str, str]] = []
    monkeypatch.setattr(plugin, "LEFTOVERS", recorded)
    return recorded


def client(answers: dict[tuple[str, str], int], seen: list[str]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(answers.get((request.method, request.url.path), 204))

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://api.test")


def created(location: str) -> httpx.Response:
    return httpx.Response(201, headers={"Location": location}, json={})


def test_created_entities_are_removed_newest_first(leftovers: list[dict[str, str]]) -> None:
    seen: list[str] = []
    api = client({}, seen)
    cleanup = Cleanup()
    track_created(cleanup, api, created("/locations/l1"))
    track_created(cleanup, api, created("/customers/c1/notes/n1"))
    track_created(cleanup, api, created("/bookings/b1"))
    cleanup.run()
    assert seen == ["POST /bookings/b1/cancel", "DELETE /customers/c1/notes/n1", "DELETE /locations/l1"]
    assert leftovers == []


def test_undeletable_and_refused_entities_become_leftovers(leftovers: list[dict[str, str]]) -> None:
    seen: list[str] = []
    api = client({("DELETE", "/locations/l1"): 409}, seen)
    cleanup = Cleanup()
    track_created(cleanup, api, created("/customers/c1"))
    track_created(cleanup, api, created("/locations/l1"))
    cleanup.run()
    assert leftovers == [
        {"kind": "customers", "id": "c1", "reason": "the API has no operation to delete it"},
        {"kind": "locations", "id": "l1", "reason": "cleanup answered 409"},
    ]


def test_responses_other_than_201_are_not_tracked(leftovers: list[dict[str, str]]) -> None:
    cleanup = Cleanup()
    track_created(cleanup, client({}, []), httpx.Response(200, headers={"Location": "/customers/c1"}))
    assert cleanup.actions == []
    assert leftovers == []

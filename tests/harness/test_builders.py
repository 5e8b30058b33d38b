"""The one builder factory (`builders.entities`): each builder judges and tracks what it makes its own way."""

from __future__ import annotations

import itertools
import json

import httpx
import pytest

from caldasa_conformance.builders.booking_world import BookingWorldBuilder
from caldasa_conformance.builders.factory import DataFactory
from caldasa_conformance.fixtures.data import Cleanup, SetupFailed
from caldasa_conformance.workflows.api import Api
from caldasa_conformance.workflows.journal import Journal


def target(seen: list[str], refuse: str = "") -> httpx.Client:
    """Answers every create 201 with a new id and a Location, every other request 200 (or 204 for DELETE);
    a POST to `refuse` answers 409."""
    ids = itertools.count(1)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "POST" and request.url.path == refuse:
            return httpx.Response(409, json={"status": 409, "code": "conflict"})
        if request.method == "POST":
            entity_id = f"id{next(ids)}"
            body = json.loads(request.content or b"{}")
            location = f"{request.url.path}/{entity_id}"
            return httpx.Response(201, headers={"Location": location}, json={**body, "id": entity_id})
        return httpx.Response(204 if request.method == "DELETE" else 200, json={"items": [{"id": "v1"}]})

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://api.test")


class RecordingCleanup(Cleanup):
    """The session's stack, keeping its leftovers to itself."""

    def __init__(self) -> None:
        super().__init__()
        self.left: list[tuple[str, str, str]] = []

    def leftover(self, kind: str, entity_id: str, reason: str) -> None:
        self.left.append((kind, entity_id, reason))


def test_the_data_factory_tracks_on_the_cleanup_stack() -> None:
    seen: list[str] = []
    cleanup = RecordingCleanup()
    factory = DataFactory(target(seen), "cc-test1234", cleanup)
    location = factory.location()
    factory.customer()
    assert seen == ["POST /locations", "PUT /locations/id1/business-hours", "POST /customers"]
    assert [(kind, entity_id) for kind, entity_id, _ in cleanup.actions] == [("location", location["id"])]
    assert cleanup.left == [("customers", "id2", "the API has no operation to delete it")]
    cleanup.run()
    assert seen[-1] == "DELETE /locations/id1"


def test_the_data_factory_raises_setup_failed_on_a_refusal() -> None:
    factory = DataFactory(target([], refuse="/locations"), "cc-test1234", Cleanup())
    with pytest.raises(SetupFailed, match="createLocation: expected 201, got 409"):
        factory.location()


def test_the_booking_world_journals_its_set_up_and_tears_down_all_but_shifts() -> None:
    seen: list[str] = []
    journal = Journal()
    teardown: list[object] = []
    builder = BookingWorldBuilder(Api(target(seen), journal), str, teardown.append, "cc-test1234")
    builder.build("UTC", 2, split_hours=False, units=1, durations=(30, 60))
    creates = [line for line in seen if line.startswith("POST")]
    assert [r.brief().split(" -> ")[0] for r in journal.steps[0].requests] == seen
    assert len(teardown) == len(creates) - 2, "everything created but the two shifts is torn down"

"""`caldasa-conformance cleanup --run-tag T` leaves nothing of the run on the reference server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from caldasa_conformance.runner.cleanup import list_all
from caldasa_conformance.runner.embedded import EmbeddedServer
from tests.cli.conftest import clean_env

TAG = "cc-cleanup1"
_KINDS = (
    ("/locations", True),
    ("/staff", True),
    ("/reservables", True),
    ("/resources", True),
    ("/resource-types", False),
    ("/webhooks", False),
)


@pytest.fixture
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as running:
        yield running


def _client(server: EmbeddedServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"}, timeout=10)


def _seed_tagged_graph(client: httpx.Client) -> None:
    """A deposit booking (location, staff, reservable renamed with the tag) plus tagged catalog entities."""
    ids = client.post("/_testing/states", json={"state": "deposit-booking", "params": {}}).json()["ids"]
    assert (
        client.patch(f"/locations/{ids['businessLocationId']}", json={"name": f"Loc {TAG}"}).status_code
        == 200
    )
    assert client.patch(f"/staff/{ids['staffMemberId']}", json={"name": f"Staff {TAG}"}).status_code == 200
    assert client.patch(f"/reservables/{ids['reservableId']}", json={"name": f"Svc {TAG}"}).status_code == 200
    type_id = client.post("/resource-types", json={"name": f"Type {TAG}"}).json()["id"]
    unit = {"name": f"Unit {TAG}", "resourceTypeId": type_id, "businessLocationId": ids["businessLocationId"]}
    assert client.post("/resources", json=unit).status_code == 201
    hook = {
        "url": "https://127.0.0.1:9/hook",
        "eventTypes": ["review.moderated"],
        "description": TAG,
        "isActive": False,
    }
    assert client.post("/webhooks", json=hook).status_code == 201
    event = {"name": f"Event {TAG}", "startsAt": "2031-01-01T10:00:00Z", "endsAt": "2031-01-01T12:00:00Z"}
    assert client.post("/events", json=event).status_code == 201
    assert client.post("/locations", json={"name": "Not ours", "timeZone": "UTC"}).status_code == 201


def _tagged(client: httpx.Client) -> dict[str, int]:
    counts = {
        path: sum(TAG in str(item) for item in list_all(client, path, paginated=paginated))
        for path, paginated in _KINDS
    }
    counts["live bookings"] = sum(
        b["status"] != "Cancelled" for b in list_all(client, "/bookings", paginated=True)
    )
    counts["live events"] = sum(
        TAG in e["name"] and e["status"] != "Cancelled" for e in list_all(client, "/events", paginated=True)
    )
    return counts


def test_cleanup_removes_everything_of_the_run(run_cli, server: EmbeddedServer) -> None:
    with _client(server) as client:
        _seed_tagged_graph(client)
        before = _tagged(client)
        assert all(before.values()), before
        result = run_cli(
            "cleanup", "--run-tag", TAG, "--base-url", server.url, env=clean_env(CALDASA_TOKEN=server.token)
        )
        assert result.code == 0, result.stdout + result.stderr
        assert "0 could not be removed" in result.stdout
        assert dict.fromkeys(before, 0) == _tagged(client)
        names = [location["name"] for location in list_all(client, "/locations", paginated=True)]
        assert "Not ours" in names


def test_cleanup_with_a_rejected_token_exits_3(run_cli, server: EmbeddedServer) -> None:
    result = run_cli(
        "cleanup", "--run-tag", TAG, "--base-url", server.url, env=clean_env(CALDASA_TOKEN="nope")
    )
    assert result.code == 3


def test_cleanup_without_target_exits_2(run_cli) -> None:
    result = run_cli("cleanup", "--run-tag", TAG, env=clean_env(CALDASA_TOKEN="x"))
    assert result.code == 2
    assert "--base-url" in result.stderr

"""`caldasa-conformance cleanup --run-tag T` leaves nothing of the run on the reference server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from caldasa_conformance.naming import carries_tag
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
        path: sum(carries_tag(item, TAG) for item in list_all(client, path, paginated=paginated))
        for path, paginated in _KINDS
    }
    counts["live bookings"] = sum(
        b["status"] != "Cancelled" for b in list_all(client, "/bookings", paginated=True)
    )
    events = list_all(client, "/events", paginated=True)
    counts["live events"] = sum(carries_tag(e, TAG) and e["status"] != "Cancelled" for e in events)
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


# Entities a careless cleanup would take for the run's: the tag inside a word, another run's tag that starts
# with this one, a name with the tag's prefix, and a hand-made name containing a short tag's letters.
LOOK_ALIKES = (
    f"x{TAG} Studio",
    f"{TAG}5 Location",
    f"{TAG}-old Location",
    f"{TAG[:-1]} Location",
    "Xylophone Studio",
)


def _seed_look_alikes(client: httpx.Client) -> set[str]:
    ids = set()
    for name in LOOK_ALIKES:
        response = client.post("/locations", json={"name": name, "timeZone": "UTC"})
        assert response.status_code == 201, response.text
        ids.add(response.json()["id"])
    hook = {"url": "https://127.0.0.1:9/hook", "eventTypes": ["review.moderated"], "description": f"{TAG}x"}
    ids.add(client.post("/webhooks", json={**hook, "isActive": False}).json()["id"])
    return ids


def _alive(client: httpx.Client) -> set[str]:
    return {e["id"] for path in ("/locations", "/webhooks") for e in list_all(client, path, paginated=False)}


def test_look_alikes_survive_a_cleanup_by_tag(run_cli, server: EmbeddedServer) -> None:
    with _client(server) as client:
        look_alikes = _seed_look_alikes(client)
        _seed_tagged_graph(client)
        result = run_cli(
            "cleanup", "--run-tag", TAG, "--base-url", server.url, env=clean_env(CALDASA_TOKEN=server.token)
        )
        assert result.code == 0, result.stdout + result.stderr
        assert look_alikes <= _alive(client)
        assert not any(_tagged(client)[path] for path, _ in _KINDS)


@pytest.mark.parametrize("tag", ["y", "cc-", "CC-ABCDEF12", "cc-ab cd", "cleanup1"])
def test_a_tag_not_of_the_run_format_exits_2_with_one_line(run_cli, tag: str) -> None:
    env = clean_env(CALDASA_TOKEN="x")
    result = run_cli("cleanup", "--run-tag", tag, "--base-url", "http://127.0.0.1:9", env=env)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "--run-tag" in result.stderr
    assert "cc-" in result.stderr


def test_dry_run_lists_and_changes_nothing(run_cli, server: EmbeddedServer) -> None:
    with _client(server) as client:
        _seed_tagged_graph(client)
        before = _tagged(client)
        result = run_cli(
            "cleanup", "--run-tag", TAG, "--dry-run", "--base-url", server.url,
            env=clean_env(CALDASA_TOKEN=server.token),
        )  # fmt: skip
        assert result.code == 0, result.stderr
        assert "would remove" in result.stdout
        assert "dry run" in result.stdout
        assert _tagged(client) == before


def test_more_than_the_threshold_needs_yes(run_cli, server: EmbeddedServer) -> None:
    env = clean_env(CALDASA_TOKEN=server.token)
    with _client(server) as client:
        for index in range(4):
            assert client.post("/resource-types", json={"name": f"{TAG} type {index}"}).status_code == 201
        args = ("cleanup", "--run-tag", TAG, "--base-url", server.url, "--max-removals", "3")
        refused = run_cli(*args, env=env)
        assert refused.code == 2
        assert "4 entities" in refused.stderr
        assert "--yes" in refused.stderr
        assert _tagged(client)["/resource-types"] == 4
        assert run_cli(*args, "--yes", env=env).code == 0
        assert _tagged(client)["/resource-types"] == 0


def test_from_report_removes_exactly_the_recorded_ids_still_tagged(
    run_cli, server: EmbeddedServer, tmp_path
) -> None:
    """The record is the run's word: unrecorded tagged entities stay, a recorded one renamed since stays."""
    with _client(server) as client:
        made = [_make_type(client, f"{TAG} type {i}") for i in range(3)]
        unrecorded = _make_type(client, f"{TAG} type 9")
        assert client.patch(f"/resource-types/{made[2]}", json={"name": "Renamed by hand"}).status_code == 200
        created = [{"tenant": "primary", "path": f"/resource-types/{type_id}"} for type_id in made]
        report = tmp_path / "report"
        report.mkdir()
        (report / "summary.json").write_text(json.dumps({"run_tag": TAG, "created": created}))
        result = run_cli(
            "cleanup", "--from-report", str(report), "--base-url", server.url,
            env=clean_env(CALDASA_TOKEN=server.token),
        )  # fmt: skip
        assert result.code == 0, result.stdout + result.stderr
        alive = {t["id"] for t in list_all(client, "/resource-types", paginated=False)}
        assert alive & set(made) == {made[2]}
        assert unrecorded in alive
        assert "no longer carries the run tag" in result.stdout


def _make_type(client: httpx.Client, name: str) -> str:
    response = client.post("/resource-types", json={"name": name})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])

"""A whole run against a live target removes what it created, and lists by id whatever it could not remove.

The reference server plays staging: the suite runs against it as a remote target (profile staging, every
class, smoke budget), and the test takes a census of both tenants before and after. Bookings and events
cannot be deleted through the API, so only the live ones (not cancelled or otherwise ended) count; customers
cannot be deleted at all. Every entity the run leaves must be listed, by id, in the summary's leftovers, and
only customers and the catalog behind a completed booking (design §8 #44: still `in_use`) may be left.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from caldasa_conformance.naming import carries_tag
from caldasa_conformance.runner.cleanup import DELETE_ORDER, list_all
from caldasa_conformance.runner.embedded import EmbeddedServer
from tests.cli.conftest import clean_env

# Every top-level kind the suite creates: the deletable ones, then those the API can only cancel or keep.
_KINDS = (
    *((path, paginated) for _, path, paginated in DELETE_ORDER),
    ("/customers", True),
    ("/bookings", True),
    ("/events", True),
)
_ENDED = {"Cancelled", "Completed", "NoShow"}
# What a run may leave on a target with a testing API: customers (no delete operation) and the salon of a
# booking that a provider state completed or marked no-show (a future booking that is still live).
_MAY_STAY = {"/customers", "/locations", "/staff", "/reservables"}
_NESTED_KINDS = {"shift", "shifts", "block", "blocks"}


@pytest.fixture
def server() -> Iterator[EmbeddedServer]:
    with EmbeddedServer() as running:
        yield running


def _census(base_url: str, token: str) -> dict[str, set[str]]:
    """The ids of each kind's entities (bookings and events: the live ones)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        return {
            path: {
                item["id"]
                for item in list_all(client, path, paginated=paginated)
                if item.get("status") not in _ENDED
            }
            for path, paginated in _KINDS
        }


TAG = "cc-leftovers"
# Hand-made entities of the staging tenant that look like the run's: they must outlive the run and cleanup.
LOOK_ALIKES = (f"x{TAG} Studio", f"{TAG}2 Location", f"{TAG}-old Location", "Xylophone Studio")


def _seed_look_alikes(base_url: str, token: str) -> set[str]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        made = [client.post("/locations", json={"name": name, "timeZone": "UTC"}) for name in LOOK_ALIKES]
        made.append(client.post("/customers", json={"name": f"{TAG}2 Customer", "email": "a@example.com"}))
    assert all(response.status_code == 201 for response in made)
    return {response.json()["id"] for response in made}


def test_a_run_leaves_only_what_it_lists(run_cli, server: EmbeddedServer) -> None:
    tokens = (server.token, server.secondary_token)
    look_alikes = _seed_look_alikes(server.url, server.token)
    before = [_census(server.url, token) for token in tokens]
    env = clean_env(CALDASA_TOKEN=server.token, CALDASA_TOKEN_SECONDARY=server.secondary_token)
    args = ("--base-url", server.url, "--budget", "smoke", "--run-tag", TAG, "--seed", "1")
    result = run_cli("run", *args, env=env, timeout=600)
    assert result.code == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = result.summary()
    assert summary["profile"] == "staging"
    assert not summary["embedded"]
    assert sum(summary["counts"].values()) > 300  # the whole suite ran, not a handful of tests
    after = [_census(server.url, token) for token in tokens]
    left = {
        path: set().union(*(a[path] - b[path] for b, a in zip(before, after, strict=True)))
        for path, _ in _KINDS
    }
    assert left["/customers"]  # bookings create customers: the listing below has something to match
    assert {path for path, ids in left.items() if ids} <= _MAY_STAY, left
    listed = {entry["id"] for entry in summary["leftovers"]}
    unlisted = {path: ids - listed for path, ids in left.items() if ids - listed}
    assert not unlisted, unlisted
    # The census counts top-level kinds; a shift lives under its staff member, which is then left too.
    top_level = {e["id"] for e in summary["leftovers"] if e["kind"] not in _NESTED_KINDS}
    assert top_level <= set().union(*left.values())
    # the target's provider states name their own data; whatever the suite itself made must carry the tag
    by_states = {e["id"] for e in summary["leftovers"] if e["reason"].startswith("provider state")}
    _assert_customers_carry_the_tag(server, left["/customers"] - by_states)
    assert summary["created"]  # the run's own record, for `cleanup --from-report`
    for how in (("--from-report", str(result.report_dir)), ("--run-tag", TAG)):
        cleaned = run_cli("cleanup", *how, "--yes", "--base-url", server.url, env=env)
        assert cleaned.code in (0, 1), cleaned.stderr  # 1: the catalog of a completed booking stays in_use
    assert look_alikes <= set().union(*_census(server.url, server.token).values())


def _assert_customers_carry_the_tag(server: EmbeddedServer, customer_ids: set[str]) -> None:
    """Every customer the run made is attributable (one made from a spec example once was not)."""
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        customers = [client.get(f"/customers/{customer_id}").json() for customer_id in customer_ids]
    untagged = [c["name"] for c in customers if c.get("id") and not carries_tag(c, TAG)]
    assert not untagged, untagged

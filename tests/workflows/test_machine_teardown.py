"""A machine's teardown reports what it could not remove to the session, as the cleanup stack does."""

from __future__ import annotations

import httpx
from hypothesis.stateful import rule

from caldasa_conformance.states import NoStates
from caldasa_conformance.workflows.machine import WorkflowMachine
from caldasa_conformance.workflows.target import Target


class _Builds(WorkflowMachine):
    """Registers three removals; the target refuses one as in use and has already lost another."""

    @rule()
    def nothing(self) -> None:
        """Hypothesis wants a rule; this test calls teardown directly."""


def _target(leftovers: list[dict[str, str]]) -> Target:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/locations/l1":
            return httpx.Response(409, json={"status": 409, "code": "in_use"})
        return httpx.Response(404 if request.url.path == "/staff/s1" else 204)

    client = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://api.test")
    return Target(client=client, states=NoStates("none"), record_leftover=leftovers.append)


def test_what_teardown_cannot_remove_reaches_the_session_s_leftovers() -> None:
    leftovers: list[dict[str, str]] = []
    machine = _Builds.against(_target(leftovers))()
    client = machine.target.client
    for path in ("/locations/l1", "/staff/s1", "/reservables/r1"):
        machine.on_teardown(lambda path=path: client.delete(path))
    machine.teardown()
    assert leftovers == [{"kind": "locations", "id": "l1", "reason": "cleanup answered 409 in_use"}]

"""Cleanup bookkeeping of the data fixtures, on a MockTransport."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance.client import make_client
from caldasa_conformance.config import Secret, SuiteConfig
from caldasa_conformance.fixtures.data import Cleanup, track_created, track_state
from caldasa_conformance.health import TargetHealth
from caldasa_conformance.removal import UndoJudge


@pytest.fixture
def leftovers() -> list[dict[str, str]]:
    """The session's list of leftovers, as the `cleanup` fixture hands it to its stack."""
    return []


def client(
    answers: dict[tuple[str, str], int], seen: list[str], statuses: dict[str, str] | None = None
) -> httpx.Client:
    """A target that answers 204 (GET: 200 with the `status` of `statuses`, default Confirmed); a 409 carries
    the code `in_use`, a list of ticket orders one order of customer `buyer-1`."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        path = request.url.path
        if request.method == "GET" and path.endswith("/ticket-orders"):
            return httpx.Response(200, json={"items": [{"id": "o1", "customerId": "buyer-1"}]})
        if request.method == "GET":
            return httpx.Response(200, json={"id": path, "status": (statuses or {}).get(path, "Confirmed")})
        status = answers.get((request.method, path), 204)
        return httpx.Response(status, json={"status": status, "code": "in_use"} if status == 409 else None)

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://api.test")


def created(location: str) -> httpx.Response:
    return httpx.Response(201, headers={"Location": location}, json={})


def test_created_entities_are_removed_newest_first(leftovers: list[dict[str, str]]) -> None:
    seen: list[str] = []
    api = client({}, seen)
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/locations/l1"))
    track_created(cleanup, api, created("/customers/c1/notes/n1"))
    track_created(cleanup, api, created("/bookings/b1"))
    cleanup.run()
    assert seen == [
        "GET /bookings/b1",
        "POST /bookings/b1/cancel",
        "DELETE /customers/c1/notes/n1",
        "DELETE /locations/l1",
    ]
    assert leftovers == []


def test_undeletable_and_refused_entities_become_leftovers(leftovers: list[dict[str, str]]) -> None:
    seen: list[str] = []
    api = client({("DELETE", "/locations/l1"): 409}, seen)
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/customers/c1"))
    track_created(cleanup, api, created("/locations/l1"))
    cleanup.run()
    assert leftovers == [
        {"kind": "customers", "id": "c1", "reason": "the API has no operation to delete it"},
        {"kind": "locations", "id": "l1", "reason": "cleanup answered 409 in_use"},
    ]


def test_responses_other_than_201_are_not_tracked(leftovers: list[dict[str, str]]) -> None:
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, client({}, []), httpx.Response(200, headers={"Location": "/customers/c1"}))
    assert cleanup.actions == []
    assert leftovers == []


def test_bookings_and_events_that_already_ended_are_not_cancelled_again(
    leftovers: list[dict[str, str]],
) -> None:
    seen: list[str] = []
    api = client({}, seen, statuses={"/bookings/b1": "Completed", "/events/e1": "Cancelled"})
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/bookings/b1"))
    track_created(cleanup, api, created("/events/e1"))
    cleanup.run()
    assert seen == ["GET /events/e1", "GET /bookings/b1"]
    assert leftovers == []


def test_what_a_provider_state_created_is_removed_but_not_what_the_test_passed_in(
    leftovers: list[dict[str, str]],
) -> None:
    seen: list[str] = []
    api = client({}, seen)
    cleanup = Cleanup(leftovers=leftovers)
    ids = {"businessLocationId": "l1", "staffMemberId": "s1", "reservableId": "r1", "bookingId": "b1"}
    track_state(cleanup, api, "deposit-booking", {**ids, "customerId": "c1"}, {"depositCents": 1000})
    track_state(cleanup, api, "booking-completed", {"bookingId": "b9"}, {"bookingId": "b9"})
    track_state(cleanup, api, "signed-form", {"bookingId": "b1", "customerId": "c1"}, {"bookingId": "b1"})
    cleanup.run()
    assert seen == [
        "GET /bookings/b1",
        "POST /bookings/b1/cancel",
        "DELETE /reservables/r1",
        "DELETE /staff/s1",
        "DELETE /locations/l1",
    ]
    reason = "provider state deposit-booking: the API has no operation to delete it"
    assert leftovers == [{"kind": "customers", "id": "c1", "reason": reason}]


def test_the_buyers_of_a_state_s_ticket_orders_are_listed(leftovers: list[dict[str, str]]) -> None:
    seen: list[str] = []
    cleanup = Cleanup(leftovers=leftovers)
    ids = {"eventId": "e1", "ticketTypeId": "t1", "ticketOrderId": "o1", "tickets": []}
    track_state(cleanup, client({}, seen), "event-with-paid-ticket-order", ids, {"quantity": 1})
    cleanup.run()
    assert seen == ["GET /events/e1/ticket-orders", "GET /events/e1", "POST /events/e1/cancel"]
    assert leftovers == [
        {"kind": "customers", "id": "buyer-1", "reason": "provider state: the buyer of a ticket order"}
    ]


def test_a_cancel_refused_as_already_cancelled_leaves_nothing(leftovers: list[dict[str, str]]) -> None:
    """Another cancel came between the cleanup's read and its cancel: the goal is reached, nothing is left."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"id": "e1", "status": "Published"})
        return httpx.Response(409, json={"status": 409, "code": "already_cancelled"})

    api = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://api.test")
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/events/e1"))
    cleanup.run()
    assert leftovers == []


def _booking_ending(status: str, ends_at: str, seen: list[str]) -> httpx.Client:
    """A target whose booking b1 is `status` and ends at `ends_at`; its location l1 answers 409 in_use."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "GET":
            return httpx.Response(200, json={"id": "b1", "status": status, "endsAt": ends_at})
        return httpx.Response(409, json={"status": 409, "code": "in_use"})

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://api.test")


@pytest.mark.parametrize("status", ["Completed", "NoShow"])
def test_an_in_use_leftover_names_the_ended_booking_that_holds_it_and_when_it_can_go(
    leftovers: list[dict[str, str]], status: str
) -> None:
    """A test moved a future booking to an end the API will not cancel (§8 #27, #44): what it uses stays in
    use until the booking ends, and the leftover says so, with the hour the cleanup command can remove it."""
    seen: list[str] = []
    api = _booking_ending(status, "2999-01-02T10:30:00Z", seen)
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/locations/l1"))
    track_created(cleanup, api, created("/bookings/b1"))
    cleanup.run()
    assert seen == ["GET /bookings/b1", "DELETE /locations/l1"]
    [leftover] = leftovers
    assert leftover["reason"].startswith("cleanup answered 409 in_use: a Completed or NoShow booking")
    assert "until 2999-01-02T10:30:00Z" in leftover["reason"]


def test_an_in_use_leftover_blames_no_booking_that_has_already_ended(leftovers: list[dict[str, str]]) -> None:
    api = _booking_ending("Completed", "2000-01-02T10:30:00Z", [])
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/locations/l1"))
    track_created(cleanup, api, created("/bookings/b1"))
    cleanup.run()
    assert leftovers == [{"kind": "locations", "id": "l1", "reason": "cleanup answered 409 in_use"}]


def test_an_unwell_answer_during_cleanup_leaves_a_leftover_not_an_error(
    leftovers: list[dict[str, str]],
) -> None:
    """The session's cleanup runs in the last test's teardown: a gateway page or a timeout met there is the
    target's health (counted), and what it could not remove a leftover, never a failure of that test."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/locations/l1":
            return httpx.Response(502, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"})
        raise httpx.ReadTimeout("timed out", request=request)

    health = TargetHealth()
    config = SuiteConfig(base_url="http://api.test", token=Secret("t0k3n"), timeout=10.0)
    api = make_client(config, transport=httpx.MockTransport(handler), health=health)
    cleanup = Cleanup(leftovers=leftovers)
    track_created(cleanup, api, created("/locations/l1"))
    track_created(cleanup, api, created("/resource-types/r1"))
    cleanup.run()
    assert leftovers == [
        {
            "kind": "resource-types",
            "id": "r1",
            "reason": "NoAnswerInTime during cleanup: DELETE /resource-types/r1 did not answer within 10 s",
        },
        {
            "kind": "locations",
            "id": "l1",
            "reason": "GatewayErrorPage during cleanup: DELETE /locations/l1 answered 502 text/html",
        },
    ]
    assert health.counts == {"timeouts": 1, "unparsable_bodies": 0, "error_pages": 1}


def test_an_undo_answered_with_a_list_or_a_bare_value_is_judged_without_error() -> None:
    """A target that answers a booking's GET with something other than an object: no crash, no blame."""
    judge = UndoJudge()
    for body in ([1, 2], "text", None):
        request = httpx.Request("GET", "http://api.test/bookings/b1")
        assert judge.leftover_reason(httpx.Response(200, json=body, request=request)) is None
    assert judge.live_until is None

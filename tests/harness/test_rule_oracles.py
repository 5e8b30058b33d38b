"""The business-rule judges of oracles/{events,tickets,customers,webhooks,catalog}.py on hand-made answers:
each records its requirement when the rule holds and raises a DomainViolation naming it when it does not."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from standardwebhooks import Webhook

from caldasa_conformance import evidence
from caldasa_conformance.failures import DomainViolation
from caldasa_conformance.oracles import catalog, customers, events, tickets, webhooks
from caldasa_conformance.workflows.receiver import Delivery


@pytest.fixture
def ledger() -> Iterator[Callable[[], tuple[str, ...]]]:
    """A running evidence ledger; calling the fixture's value returns what it has recorded."""
    with evidence.recording() as recorded:
        yield recorded.evaluated


def _broken(requirement: str, judge: Callable[[], None]) -> None:
    with pytest.raises(DomainViolation) as raised:
        judge()
    assert raised.value.requirement_id == requirement
    assert f"Requirement: {requirement}" in str(raised.value)


def test_event_lifecycle_records_e1_when_it_holds(ledger: Callable[[], tuple[str, ...]]) -> None:
    event = {"status": "Published", "publishedAt": "2026-12-05T10:00:00Z", "cancelledAt": None}
    events.event_lifecycle(event, "getEvent", status="Published", published=True, cancelled=False)
    assert ledger() == ("E1",)


def test_event_lifecycle_names_e1_for_a_refused_publish_that_changed_the_event() -> None:
    before = {"status": "Cancelled", "publishedAt": None, "cancelledAt": "2026-12-05T10:00:00Z"}
    after = {**before, "status": "Published"}
    _broken("E1", lambda: events.event_lifecycle(after, "getEvent", unchanged_from=before))


def test_order_cancellation_names_e6_for_a_missing_order_and_unfreed_capacity() -> None:
    _broken("E6", lambda: events.order_cancellation(None, "listTicketOrders", order_id="o1"))
    order = {"status": "Cancelled", "tickets": [{"id": "t1", "status": "Cancelled"}]}
    sold = ({"tier": 2, "event": 2}, {"tier": 2, "event": 1})
    _broken("E6", lambda: events.order_cancellation(order, "x", cancelled_tickets={"t1"}, sold=sold))


def test_attendees_name_e8_for_a_duplicate_entry() -> None:
    attendees = [{"ticketId": "t1", "status": "Valid"}, {"ticketId": "t1", "status": "Valid"}]
    _broken("E8", lambda: events.attendees_are_live_tickets(attendees, live={"t1"}))


def test_parallel_redemptions_need_one_winner() -> None:
    won = httpx.Response(200, json={"status": "Redeemed"})
    lost = httpx.Response(409, json={"code": "already_redeemed"})
    tickets.ticket_redeems_once(parallel=[won, lost, lost])
    _broken("R1", lambda: tickets.ticket_redeems_once(parallel=[won, won, lost]))


def test_redemption_views_name_r3_when_the_order_detail_lags() -> None:
    detail = {"tickets": [{"id": "t1", "status": "Valid", "redeemedAt": None}]}
    shown = [{"id": "t1", "status": "Redeemed"}]
    _broken(
        "R3",
        lambda: tickets.redemption_shows_everywhere(
            order_tickets=shown,
            order_detail=detail,
            attendees=[{"ticketId": "t1", "status": "Redeemed"}],
            redeemed_ticket="t1",
            redeemed_at="2026-12-05T10:00:00Z",
        ),
    )


def test_patch_and_message_judges(ledger: Callable[[], tuple[str, ...]]) -> None:
    customers.patch_keeps_unsent_fields({"name": "Ada", "phone": "+49"}, {"phone": "+49"}, "getCustomer")
    # Sent is the contract's too; Queued rather than Sent is a reference policy (test_reference_policies)
    customers.message_needs_address_and_consent(
        result={"status": "Queued", "recipient": "a@x"}, recipient="a@x"
    )
    assert ledger() == ("K1", "K4")
    sent = {"status": "Sent", "recipient": "a@x"}
    only_queued = ("Queued",)
    _broken(
        "K4",
        lambda: customers.message_needs_address_and_consent(
            result=sent, recipient="a@x", statuses=only_queued
        ),
    )
    _broken("K1", lambda: customers.patch_keeps_unsent_fields({"phone": None}, {"phone": "+49"}, "x"))


def _signed(secret: str, body: bytes = b'{"type":"webhook.test"}') -> Delivery:
    """A delivery signed per Standard Webhooks with `secret`."""
    sent_at = datetime.now(UTC).replace(microsecond=0)
    signature = Webhook(secret).sign("msg_1", sent_at, body.decode())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signature,
    }
    return Delivery("hook", headers, body, time.monotonic())


def test_a_delivery_signed_with_a_rotated_away_secret_breaks_w2_else_w3() -> None:
    old, new = (f"whsec_{base64.b64encode(key).decode()}" for key in (b"o" * 24, b"n" * 24))
    webhooks.delivery_is_signed(_signed(new), new, previous_secrets=[old])
    _broken("W2", lambda: webhooks.delivery_is_signed(_signed(old), new, previous_secrets=[old]))
    _broken("W3", lambda: webhooks.delivery_is_signed(_signed(old), new))


def test_secret_leak_and_location_judges() -> None:
    _broken("W1", lambda: webhooks.secret_only_from_create_and_rotate({"secret": "s"}, "listWebhooks"))
    _broken(
        "T8", lambda: catalog.created_entity_reads_back("createLocation", entity_id="42", location="/x/41")
    )
    _broken("T7", lambda: catalog.unassignments_and_deletes_stick({"businessLocationIds": ["l1"]}, [], "x"))


def test_a_duplicate_is_refused_with_its_code_and_leaves_the_value_to_its_owner(
    ledger: Callable[[], tuple[str, ...]],
) -> None:
    problem = {"status": 409, "code": "duplicate_name", "title": "Conflict"}
    refused = httpx.Response(409, json=problem, headers={"Content-Type": "application/problem+json"})
    catalog.duplicate_is_refused("createLocation", answer=refused, code="duplicate_name")
    catalog.duplicate_is_refused("listLocations", holders=("Salon", ["l1"], "l1", "Salon"))
    catalog.duplicate_is_refused("listLocations", holders=("Salon", [], "l1", "Salon"))  # a walk skipped it
    assert set(ledger()) == {"T11"}
    accepted = httpx.Response(201, json={"id": "l2", "name": "Salon"})
    _broken("T11", lambda: catalog.duplicate_is_refused("createLocation", answer=accepted))
    wrong_code = httpx.Response(409, json=problem, headers={"Content-Type": "application/problem+json"})
    _broken(
        "T11",
        lambda: catalog.duplicate_is_refused("createStaffMember", answer=wrong_code, code="duplicate_email"),
    )
    _broken(
        "T11",
        lambda: catalog.duplicate_is_refused("listLocations", holders=("Salon", ["l1", "l2"], "l1", "Salon")),
    )
    _broken(  # the duplicate took the value over
        "T11",
        lambda: catalog.duplicate_is_refused("listLocations", holders=("Salon", ["l2"], "l1", "Salon 2")),
    )


_TEST_DELIVERY = {
    "id": "d-test",
    "isTest": True,
    "attemptCount": 1,
    "status": "Succeeded",
    "createdAt": "2026-12-06T10:00:00.000Z",
}


def _delivery(delivery_id: str, created_at: str) -> dict[str, object]:
    return {"id": delivery_id, "isTest": False, "createdAt": created_at}


@pytest.mark.parametrize(
    "listed",
    [
        [_TEST_DELIVERY, _delivery("d-old", "2026-12-06T09:59:59.000Z")],
        # another worker's (or user's) event delivered between the test event and the listing: newer, so first
        [_delivery("d-new", "2026-12-06T10:00:00.400Z"), _TEST_DELIVERY],
        # a page full of newer deliveries: the test delivery is on a later page, nothing to judge
        [_delivery("d-new", "2026-12-06T10:00:01.000Z")],
    ],
    ids=["first", "after-newer", "on-a-later-page"],
)
def test_w4_accepts_the_test_delivery_first_or_after_newer_ones(listed: list[dict[str, object]]) -> None:
    webhooks.sent_test_event_is_one_attempt(_TEST_DELIVERY, status="Succeeded", listed=listed)


@pytest.mark.parametrize(
    "listed",
    [
        [],
        [_delivery("d-old", "2026-12-06T09:59:00.000Z"), _TEST_DELIVERY],
        [{**_TEST_DELIVERY, "isTest": False}],
        [_delivery("d-old", "2026-12-06T09:59:00.000Z")],
    ],
    ids=["not-listed", "after-an-older-one", "not-marked-test", "missing-among-older"],
)
def test_w4_names_a_test_delivery_not_listed_first(listed: list[dict[str, object]]) -> None:
    judge = webhooks.sent_test_event_is_one_attempt
    _broken("W4", lambda: judge(_TEST_DELIVERY, status="Succeeded", listed=listed))


def test_w4_names_a_test_delivery_missing_from_a_whole_list_of_newer_ones() -> None:
    """All the webhook's deliveries are on the page (totalCount), all newer: the test delivery is missing."""
    listed = [_delivery("d-new", "2026-12-06T10:00:01.000Z")]
    judge = webhooks.sent_test_event_is_one_attempt
    _broken("W4", lambda: judge(_TEST_DELIVERY, status="Succeeded", listed=listed, listed_total=1))

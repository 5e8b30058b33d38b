"""Ticket orders, orders and redemption over HTTP (design §4.4 E6–E8, §4.5 R1–R3, §8 #41, #48, #51)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.reference.domain.conftest import make_client
from tests.reference.domain.events_support import buy, new_event, new_tier, published_event, state
from tests.reference.domain.salon import ok


def code(response: httpx.Response) -> tuple[int, Any]:
    return response.status_code, response.json().get("code")


def redeem(client: httpx.Client, ticket_code: str, **extra: Any) -> httpx.Response:
    return client.post("/tickets/redeem", json={"code": ticket_code, **extra})


def test_event_with_paid_ticket_order_state(api: httpx.Client) -> None:
    ids = ok(state(api, "event-with-paid-ticket-order", quantity=3, priceCents=1200))["ids"]
    order = ok(api.get(f"/orders/{ids['ticketOrderId']}"))
    assert order["status"] == "Paid"
    assert order["source"] == "TicketPurchase"
    assert order["totalCents"] == 3600
    assert {t["code"] for t in order["tickets"]} == {t["code"] for t in ids["tickets"]}
    listed = ok(api.get(f"/events/{ids['eventId']}/ticket-orders"))
    assert listed["eventId"] == ids["eventId"]
    assert listed["items"][0]["ticketCount"] == 3


def test_redeem_once_then_already_redeemed_with_original_time(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    ticket = buy(api, event_id, tier_id)["tickets"][0]
    first = ok(redeem(api, ticket["code"], eventId=event_id))
    assert first["status"] == "Redeemed"
    assert first["ticketId"] == ticket["ticketId"]
    again = redeem(api, ticket["code"])
    assert code(again) == (409, "already_redeemed")
    assert again.json()["redeemedAt"] == first["redeemedAt"]
    detail = ok(api.get(f"/events/{event_id}"))
    assert detail["attendees"][0]["status"] == "Redeemed"
    assert detail["bookingSummary"]["ticketsRedeemed"] == 1


def test_redeem_refusals(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    other_event, _ = published_event(api)
    tickets = buy(api, event_id, tier_id, 2)["tickets"]
    assert code(redeem(api, "no-such-code")) == (404, "not_found")
    assert code(redeem(api, tickets[0]["code"], eventId=other_event)) == (409, "wrong_event")
    ok(api.post(f"/events/{event_id}/cancel"))
    assert code(redeem(api, tickets[0]["code"])) == (409, "event_not_active")


def test_cancelled_ticket_cannot_be_redeemed(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    order = buy(api, event_id, tier_id)
    ok(api.post(f"/events/{event_id}/ticket-orders/{order['ticketOrderId']}/cancel", json={"refund": False}))
    assert code(redeem(api, order["tickets"][0]["code"])) == (409, "ticket_cancelled")


def test_other_tenant_code_is_404(api: httpx.Client, other_tenant: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    assert code(redeem(other_tenant, buy(api, event_id, tier_id)["tickets"][0]["code"])) == (404, "not_found")


def test_parallel_redeems_give_exactly_one_200(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    ticket_code = buy(api, event_id, tier_id)["tickets"][0]["code"]

    def attempt(_: int) -> int:
        with make_client(str(api.base_url)) as client:
            return redeem(client, ticket_code).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(attempt, range(8))) == [200] + [409] * 7


def test_cancel_ticket_order_refund_frees_capacity(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api, capacity=2)
    order = buy(api, event_id, tier_id, 2)
    path = f"/events/{event_id}/ticket-orders/{order['ticketOrderId']}"
    cancelled = ok(api.post(f"{path}/cancel", json={}))
    assert cancelled["status"] == "Refunded"
    assert cancelled["cancelledAt"]
    assert {t["status"] for t in cancelled["tickets"]} == {"Cancelled"}
    commerce = ok(api.get(f"/orders/{order['ticketOrderId']}"))
    assert commerce["status"] == "Refunded"
    assert commerce["refundedCents"] == commerce["paidCents"] == 5000
    assert code(api.post(f"{path}/cancel", json={})) == (409, "already_cancelled")
    assert code(api.post(f"{path}/resend-tickets")) == (409, "order_cancelled")
    assert ok(api.get(f"/events/{event_id}"))["bookingSummary"]["ticketsRemaining"] == 2


def test_order_with_a_redeemed_ticket_cannot_be_cancelled(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    order = buy(api, event_id, tier_id, 2)
    ok(redeem(api, order["tickets"][0]["code"]))
    path = f"/events/{event_id}/ticket-orders/{order['ticketOrderId']}/cancel"
    assert code(api.post(path, json={})) == (409, "ticket_redeemed")


def test_resend_is_202_and_queues_a_message(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    order = buy(api, event_id, tier_id, buyerEmail="buyer@example.com")
    response = api.post(f"/events/{event_id}/ticket-orders/{order['ticketOrderId']}/resend-tickets")
    assert response.status_code == 202
    outbox = ok(api.get("/_testing/outbox", params={"ticketOrderId": order["ticketOrderId"]}))["items"]
    assert [entry["template"] for entry in outbox] == ["TicketResend"]


def test_ticket_order_state_rules(api: httpx.Client) -> None:
    draft = new_event(api)
    tier = new_tier(api, draft["id"], maxPerOrder=2)
    lines = [{"ticketTypeId": tier["id"], "quantity": 3}]
    assert code(state(api, "ticket-order", eventId=draft["id"], lines=lines)) == (409, "not_on_sale")
    ok(api.post(f"/events/{draft['id']}/publish"))
    assert code(state(api, "ticket-order", eventId=draft["id"], lines=lines)) == (
        409,
        "max_per_order_exceeded",
    )
    assert state(api, "ticket-order", eventId="nope", lines=lines).status_code == 400


def test_orders_list_and_filters(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    order = buy(api, event_id, tier_id)
    listed = ok(api.get("/orders", params={"eventId": event_id}))["items"]
    assert [o["id"] for o in listed] == [order["ticketOrderId"]]
    assert "lineItems" not in listed[0]
    assert (
        ok(api.get("/orders", params={"customerId": order["customerId"], "status": "Refunded"}))["items"]
        == []
    )
    assert code(api.get("/orders/00000000-0000-4000-8000-000000000000")) == (404, "not_found")


def test_cancelling_an_event_notifies_buyers_but_keeps_orders(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    order = buy(api, event_id, tier_id, buyerEmail="fan@example.com")
    ok(api.post(f"/events/{event_id}/cancel"))
    outbox = ok(api.get("/_testing/outbox", params={"ticketOrderId": order["ticketOrderId"]}))["items"]
    assert [entry["template"] for entry in outbox] == ["EventCancellation"]
    assert ok(api.get(f"/orders/{order['ticketOrderId']}"))["status"] == "Paid"


def test_ticket_order_state_caps_quantities(api: httpx.Client) -> None:
    event_id, tier_id = published_event(api)
    huge = state(api, "ticket-order", eventId=event_id, lines=[{"ticketTypeId": tier_id, "quantity": 10**9}])
    assert huge.status_code == 400
    assert "params.lines[0].quantity" in huge.json()["errors"]

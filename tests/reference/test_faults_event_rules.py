"""Each event/ticket-rule fault (E2, E4–E8, R2, R3) changes behaviour as its registry entry says; the clean
server does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from caldasa_reference.faults import FAULTS
from tests.reference.conftest import TOKEN_A, ServerFactory, client_for
from tests.reference.domain.events_support import buy, new_event, published_event, state
from tests.reference.domain.salon import ok

Probe = Callable[[httpx.Client], bool]  # True = the faulty behaviour is observed


def _paid_order(c: httpx.Client, quantity: int = 2) -> dict[str, Any]:
    return dict(ok(state(c, "event-with-paid-ticket-order", quantity=quantity))["ids"])


def _cancel(c: httpx.Client, ids: dict[str, Any], refund: bool = False) -> httpx.Response:
    url = f"/events/{ids['eventId']}/ticket-orders/{ids['ticketOrderId']}/cancel"
    return c.post(url, json={"refund": refund, "notifyCustomer": False})


def _publish_without_ticket_types(c: httpx.Client) -> bool:
    event = new_event(c)
    return c.post(f"/events/{event['id']}/publish").status_code == 200


def _price_unlocked(c: httpx.Client) -> bool:
    ids = _paid_order(c)
    url = f"/events/{ids['eventId']}/ticket-types/{ids['ticketTypeId']}"
    return c.patch(url, json={"priceCents": 3000}).status_code == 200


def _net_minus_refunds(c: httpx.Client) -> bool:
    event_id, tier_id = published_event(c)
    buy(c, event_id, tier_id, 2)
    refunded = buy(c, event_id, tier_id, 1)
    ok(_cancel(c, {"eventId": event_id, **refunded}, refund=True))
    report = ok(c.get(f"/events/{event_id}/ticket-sales-report"))
    return bool(report["netCents"] != report["grossCents"])


def _cancel_keeps_tickets(c: httpx.Client) -> bool:
    ids = _paid_order(c)
    ok(_cancel(c, ids))
    return bool(ok(c.get(f"/events/{ids['eventId']}"))["ticketsSold"] == 2)


def _resend_cancelled(c: httpx.Client) -> bool:
    ids = _paid_order(c)
    ok(_cancel(c, ids))
    url = f"/events/{ids['eventId']}/ticket-orders/{ids['ticketOrderId']}/resend-tickets"
    return c.post(url).status_code == 202


def _attendees_per_order(c: httpx.Client) -> bool:
    ids = _paid_order(c, quantity=3)
    return len(ok(c.get(f"/events/{ids['eventId']}"))["attendees"]) == 1


def _redeem_cancelled(c: httpx.Client) -> bool:
    ids = _paid_order(c)
    ok(_cancel(c, ids))
    body = {"code": ids["tickets"][0]["code"], "eventId": ids["eventId"]}
    return c.post("/tickets/redeem", json=body).status_code == 200


def _order_tickets_not_redeemed(c: httpx.Client) -> bool:
    ids = _paid_order(c)
    ok(c.post("/tickets/redeem", json={"code": ids["tickets"][0]["code"]}))
    tickets = ok(c.get(f"/orders/{ids['ticketOrderId']}"))["tickets"]
    return not any(ticket["status"] == "Redeemed" for ticket in tickets)


PROBES: dict[str, Probe] = {
    "publish-without-ticket-types": _publish_without_ticket_types,
    "ticket-price-unlocked": _price_unlocked,
    "report-net-minus-refunds": _net_minus_refunds,
    "order-cancel-keeps-tickets": _cancel_keeps_tickets,
    "resend-cancelled-order": _resend_cancelled,
    "attendees-one-per-order": _attendees_per_order,
    "redeem-cancelled-ticket": _redeem_cancelled,
    "order-tickets-not-redeemed": _order_tickets_not_redeemed,
}


def test_each_probed_fault_is_registered_for_its_requirement() -> None:
    requirements = {fault.name: fault.requirement for fault in FAULTS}
    assert {name: requirements.get(name) for name in PROBES} == {
        "publish-without-ticket-types": "E2",
        "ticket-price-unlocked": "E4",
        "report-net-minus-refunds": "E5",
        "order-cancel-keeps-tickets": "E6",
        "resend-cancelled-order": "E7",
        "attendees-one-per-order": "E8",
        "redeem-cancelled-ticket": "R2",
        "order-tickets-not-redeemed": "R3",
    }


def test_faulty_servers_still_answer_within_the_contract(core_server: ServerFactory) -> None:
    """A fault breaks its one rule, not the schema: every probe's answers validate on the faulty server."""
    for name, probe in PROBES.items():
        with client_for(core_server(name), TOKEN_A) as faulty:
            assert probe(faulty), name

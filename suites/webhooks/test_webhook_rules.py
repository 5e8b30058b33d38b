"""Webhook rules as short fixed scenarios (class `webhooks`: W2–W6).

The webhooks state machine explores these rules at random; these tests meet each rule on every run. They
point subscriptions at the suite's receiver when the target can reach it (a target on this machine, or the
receiver's public `--webhook-receiver-url`), else at `https://hooks.invalid/...` (deliveries then fail,
which W4 and W5 do not mind; W2 and W3 need the receiver and skip without it, before any of their checks, so
they stay unverified). Every subscription is deleted at session end.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from caldasa_conformance.fixtures.data import Cleanup, track_created
from caldasa_conformance.naming import unique_email, unique_name
from caldasa_conformance.oracles import webhooks as oracles
from caldasa_conformance.redaction import register_secret
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.receiver import Delivery, LazyReceiver
from caldasa_conformance.workflows.target import reaches_receiver
from caldasa_conformance.workflows.webhooks import unreachable_reason

DELIVERY_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Hook:
    id: str
    path: str
    secret: str
    reachable: bool  # whether deliveries go to the loopback receiver
    receiver: LazyReceiver  # the run's

    @property
    def unreachable(self) -> str:
        """Why the receiver gets no deliveries (for a skip)."""
        return unreachable_reason(self.reachable) or str(unreachable_reason(True, 400))


def _subscribe(
    api: httpx.Client,
    cleanup: Cleanup,
    receiver: LazyReceiver,
    run_tag: str,
    requirement: str,
    event_types: list[str],
    *,
    active: bool = True,
    receiver_status: int = 200,
) -> Hook:
    """Create a subscription (receiver URL when reachable) and register its deletion."""
    path = f"{requirement.lower()}-{uuid.uuid4().hex[:12]}"
    body: dict[str, Any] = {
        "eventTypes": event_types,
        "isActive": active,
        "description": unique_name(run_tag, f"{requirement} webhook"),
    }
    response = None
    if unreachable_reason(reaches_receiver(api, receiver.settings)) is None:
        response = ops.create_webhook(
            api, body={**body, "url": receiver.get().url(path, status=receiver_status)}
        )
    reachable = response is not None and unreachable_reason(True, response.status_code) is None
    if not reachable:
        response = ops.create_webhook(api, body={**body, "url": f"https://hooks.invalid/{path}"})
    assert response is not None
    # Set-up, not the rule under test: a skip for want of the receiver must leave W2/W3 unverified.
    dto = check_answer(response, Expect(201, "T8", why="a valid subscription"), "createWebhook")
    register_secret(str(dto.get("secret")))
    cleanup.push("webhook", dto["id"], lambda: ops.delete_webhook(api, dto["id"]))
    return Hook(dto["id"], path, str(dto.get("secret")), reachable, receiver)


def _deliveries(api: httpx.Client, hook: Hook, requirement: str) -> list[dict[str, Any]]:
    listed = check_answer(
        ops.list_webhook_deliveries(api, hook.id, params={"pageSize": 100}),
        Expect(200, requirement),
        "listWebhookDeliveries",
    )
    return list(listed.get("items", []))


def _wait_for_delivery(hook: Hook, event_id: str) -> Delivery | None:
    received = hook.receiver.get()
    deadline = time.monotonic() + DELIVERY_WAIT_SECONDS
    while time.monotonic() < deadline:
        found = [d for d in received.received(hook.path) if d.headers.get("webhook-id") == event_id]
        if found:
            return found[-1]
        received.wait_for(hook.path, len(received.received(hook.path)) + 1, timeout=0.25)
    return None


@pytest.mark.webhooks
@pytest.mark.req("W2")
@pytest.mark.operation("createWebhook", "rotateWebhookSecret", "sendTestEvent")
def test_rotated_secret_signs_later_deliveries(
    api: httpx.Client, cleanup: Cleanup, webhook_receiver: LazyReceiver, run_tag: str
) -> None:
    """Test Purpose: rotation returns a new secret and the next delivery verifies with it (W2).

    Test Method: subscribe the loopback receiver to `webhook.test`; rotate the secret (it must differ);
    send a test event; the delivery the receiver gets must verify with the new secret (Standard Webhooks).
    """
    hook = _subscribe(api, cleanup, webhook_receiver, run_tag, "W2", ["webhook.test"])
    if not hook.reachable:
        pytest.skip(hook.unreachable)
    rotated = check_answer(ops.rotate_webhook_secret(api, hook.id), Expect(200, "W2"), "rotateWebhookSecret")
    oracles.rotation_issues_a_new_secret(hook.secret, rotated=rotated)
    secret = str(rotated["secret"])
    register_secret(secret)
    delivery = check_answer(ops.send_test_event(api, hook.id), Expect(200, "W4"), "sendTestEvent")
    received = _wait_for_delivery(hook, str(delivery.get("eventId")))
    oracles.rotation_issues_a_new_secret(hook.secret, delivery=received, secret=secret, waited=True)


@pytest.mark.webhooks
@pytest.mark.req("W3")
@pytest.mark.operation("createWebhook", "sendTestEvent")
def test_test_event_is_signed_with_the_created_secret(
    api: httpx.Client, cleanup: Cleanup, webhook_receiver: LazyReceiver, run_tag: str
) -> None:
    """Test Purpose: a delivery is signed per Standard Webhooks with the subscription's secret (W3).

    Test Method: subscribe the loopback receiver to `webhook.test`; send a test event; the one POST the
    receiver gets carries webhook-id equal to the event's eventId, an integer webhook-timestamp and a `v1,`
    webhook-signature, and verifies with the secret createWebhook returned (`standardwebhooks`).
    """
    hook = _subscribe(api, cleanup, webhook_receiver, run_tag, "W3", ["webhook.test"])
    if not hook.reachable:
        pytest.skip(hook.unreachable)
    delivery = check_answer(ops.send_test_event(api, hook.id), Expect(200, "W4"), "sendTestEvent")
    arrived = hook.receiver.get().wait_for(hook.path, 1, timeout=DELIVERY_WAIT_SECONDS)
    oracles.delivery_is_signed(
        arrived[-1] if arrived else None,
        hook.secret,
        event_id=delivery.get("eventId"),
        operation_id="sendTestEvent",
    )


@pytest.mark.webhooks
@pytest.mark.req("W4")
@pytest.mark.operation("createWebhook", "sendTestEvent", "listWebhookDeliveries")
def test_test_event_is_one_attempt_now_listed_first(
    api: httpx.Client, cleanup: Cleanup, webhook_receiver: LazyReceiver, run_tag: str
) -> None:
    """Test Purpose: a test event is attempted once, before the answer, and listed first as isTest (W4).

    Test Method: subscribe a receiver path that answers 500 (or an unreachable https URL); send a test
    event: the answer is the delivery with isTest true, attemptCount 1 and status Failed (no retries for
    tests); it is the first of the webhook's deliveries; the receiver got exactly one request.
    """
    hook = _subscribe(api, cleanup, webhook_receiver, run_tag, "W4", ["webhook.test"], receiver_status=500)
    delivery = check_answer(ops.send_test_event(api, hook.id), Expect(200, "W4"), "sendTestEvent")
    listed = _deliveries(api, hook, "W4")
    arrivals = hook.receiver.get().received(hook.path) if hook.reachable else None
    oracles.sent_test_event_is_one_attempt(
        delivery, status="Failed", listed=listed, arrivals=arrivals, exactly_once=True
    )


@pytest.mark.webhooks
@pytest.mark.req("W5")
@pytest.mark.operation("createWebhook", "updateWebhook", "listWebhookDeliveries", "createCustomer")
def test_only_active_subscribers_of_a_type_get_it(
    api: httpx.Client, cleanup: Cleanup, webhook_receiver: LazyReceiver, run_tag: str
) -> None:
    """Test Purpose: events reach active subscribers of their type only; bad eventTypes answer 400 (W5).

    Test Method: subscribe three endpoints: active to `customer.created`, inactive to `customer.created`,
    active to `customer.updated`; create a customer; once the first has its `customer.created` delivery,
    the inactive one has no delivery at all and the third none of type `customer.created`. createWebhook
    with an unknown or an empty eventTypes, and updateWebhook with an unknown one, answer 400 naming it.
    """
    subscribed = _subscribe(api, cleanup, webhook_receiver, run_tag, "W5", ["customer.created"])
    inactive = _subscribe(api, cleanup, webhook_receiver, run_tag, "W5", ["customer.created"], active=False)
    other_type = _subscribe(api, cleanup, webhook_receiver, run_tag, "W5", ["customer.updated"])
    body = {
        "name": unique_name(run_tag, "W5 customer"),
        "email": unique_email(run_tag, "w5"),
    }
    response = ops.create_customer(api, body=body)
    track_created(cleanup, api, response)
    check_answer(response, Expect(201, "W5"), "createCustomer")
    deadline = time.monotonic() + DELIVERY_WAIT_SECONDS
    while not any(d.get("eventType") == "customer.created" for d in _deliveries(api, subscribed, "W5")):
        in_time = time.monotonic() < deadline  # polled: the delivery may still come until the deadline
        oracles.events_reach_active_subscribers(
            "listWebhookDeliveries", subscriber="the active customer.created subscriber", delivered=in_time
        )
        time.sleep(0.25)
    strays = [f"inactive: {d.get('eventType')}" for d in _deliveries(api, inactive, "W5")]
    strays += [
        f"customer.updated subscriber: {d.get('eventType')}"
        for d in _deliveries(api, other_type, "W5")
        if d.get("eventType") == "customer.created"
    ]
    oracles.events_reach_active_subscribers("listWebhookDeliveries", strays=strays)
    for types in (["no.such_type"], []):
        invalid = {"url": "https://hooks.invalid/never", "eventTypes": types}
        expect = Expect(400, "W5", field="eventTypes", why=f"eventTypes {types}")
        check_answer(ops.create_webhook(api, body=invalid), expect, "createWebhook")
    expect = Expect(400, "W5", field="eventTypes", why="an unknown event type")
    response = ops.update_webhook(api, subscribed.id, body={"eventTypes": ["no.such_type"]})
    check_answer(response, expect, "updateWebhook")


@pytest.mark.webhooks
@pytest.mark.readonly
@pytest.mark.req("W6")
@pytest.mark.operation("listEventTypes", "getEventTypeSample")
def test_every_event_type_has_an_envelope_sample(api: httpx.Client) -> None:
    """Test Purpose: each listed event type has a sample delivery envelope; an unknown type is 404 (W6).

    Test Method: list the event types; fetch each sample: 200 with id, type (the same type), occurredAt and
    data; fetch the sample of `no.such_type`: 404.
    """
    listed = check_answer(ops.list_event_types(api), Expect(200, "W6"), "listEventTypes")
    types = [item.get("type") for item in listed.get("items", [])]
    oracles.event_types_have_samples(types=types)
    for event_type in types:
        sample = check_answer(
            ops.get_event_type_sample(api, event_type), Expect(200, "W6"), "getEventTypeSample"
        )
        oracles.event_types_have_samples(sample=sample, event_type=str(event_type))
    unknown = Expect(404, "W6", why="unknown event type")
    check_answer(ops.get_event_type_sample(api, "no.such_type"), unknown, "getEventTypeSample")

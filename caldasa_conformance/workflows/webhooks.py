"""Webhooks machine (class `webhooks`: W1–W6).

Subscriptions point at a loopback receiver started by the machine (one path per subscription; some answer
500). Rules create, update, rotate, test, delete and fire real events; the model keeps each subscription's
current secret. Deliveries must verify with that secret (Standard Webhooks, via the `standardwebhooks`
package), secrets appear only in create/rotate answers, and only subscribed, active endpoints get events.
When the target cannot reach the receiver (not on this machine and no `--webhook-receiver-url`, or it refuses
http URLs), delivery checks are left out and `suites/webhooks` reports the skip with its reason.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from caldasa_conformance import evidence
from caldasa_conformance.oracles import webhooks as oracles
from caldasa_conformance.redaction import register_secret
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step
from caldasa_conformance.workflows.receiver import Delivery

SUBSCRIBABLE = ["customer.created", "customer.updated", "booking.created", "webhook.test"]
DELIVERY_WAIT_SECONDS = 4.0


@dataclass
class Subscription:
    label: str
    id: str
    path: str
    secret: str
    event_types: list[str]
    active: bool
    failing: bool
    previous_secrets: tuple[str, ...] = ()


def unreachable_reason(reaches_receiver: bool, create_status: int | None = None) -> str | None:
    """Why delivery checks cannot run against this target, or None when they can (`reaches_receiver`)."""
    if not reaches_receiver:
        return (
            "the target is not on this machine and no --webhook-receiver-url is set, so it cannot reach the "
            "suite's webhook receiver"
        )
    if create_status == 400:
        return (
            "the target refuses http loopback webhook URLs (reference server: pass --allow-insecure-webhooks)"
        )
    return None


class WebhookSubscriptions(WorkflowMachine):
    """Webhook subscriptions and deliveries against the model; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.subscriptions: list[Subscription] = []
        self.event_types: list[str] = []
        self.receiver = self.target.receiver.get()
        self.reachable = self.target.reaches_receiver
        self._unless_delivered()

    def _unless_delivered(self) -> None:
        """W2 and W3 are about deliveries: where none can be received, the secrets this machine still checks
        (rotation gives a new one) are no evidence that they hold, so the run reports them unverified."""
        if not self.reachable:
            evidence.retract("W2")
            evidence.retract("W3")

    @initialize()
    @step
    def read_catalogue(self) -> None:
        listed = check_answer(self.api.call("listEventTypes"), Expect(200, "W6"), "listEventTypes")
        self.event_types = [item["type"] for item in listed.get("items", [])]

    # ---------------------------------------------------------------- rules
    @precondition(lambda self: len(self.subscriptions) < 4)
    @rule(
        types=st.lists(st.sampled_from(SUBSCRIBABLE), min_size=1, max_size=3, unique=True),
        active=st.booleans(),
        failing=st.booleans(),
    )
    @step
    def create(self, types: list[str], active: bool, failing: bool) -> None:
        """W1: the secret comes with the 201, once."""
        path = f"hook-{uuid.uuid4().hex[:12]}"
        url = (
            self.receiver.url(path, status=500 if failing else 200)
            if self.reachable
            else f"https://hooks.invalid/{path}"
        )
        body = {"url": url, "eventTypes": types, "isActive": active, "description": self.unique("webhook")}
        response = self.api.call("createWebhook", json=body)
        if self.reachable and response.status_code == 400 and unreachable_reason(True, 400):
            self.reachable = False
            self._unless_delivered()
            return self.create(types=types, active=active, failing=failing)
        dto = check_answer(response, Expect(201, "W1", why="a valid subscription"), "createWebhook")
        oracles.secret_only_from_create_and_rotate(dto, "createWebhook", created=True)
        secret = str(dto["secret"])
        register_secret(secret)
        label = f"w{len(self.subscriptions) + 1}"
        self.subscriptions.append(Subscription(label, dto["id"], path, secret, types, active, failing))
        webhook_id = dto["id"]
        self.on_teardown(lambda: self.api.call("deleteWebhook", path={"webhookId": webhook_id}))
        return None

    @rule(kind=st.sampled_from(["unknown_type", "empty_types"]))
    @step
    def create_invalid(self, kind: str) -> None:
        """W5: unknown or empty eventTypes answer 400 naming eventTypes."""
        types = ["no.such_type"] if kind == "unknown_type" else []
        body = {"url": "https://hooks.invalid/never", "eventTypes": types}
        check_answer(
            self.api.call("createWebhook", json=body),
            Expect(400, "W5", field="eventTypes", why=kind),
            "createWebhook",
        )

    @precondition(lambda self: bool(self.subscriptions))
    @rule(
        pick=st.integers(0, 20),
        toggle=st.booleans(),
        types=st.none() | st.lists(st.sampled_from(SUBSCRIBABLE), min_size=1, max_size=3, unique=True),
    )
    @step
    def update(self, pick: int, toggle: bool, types: list[str] | None) -> None:
        """W1: a PATCH answer never carries the secret."""
        sub = self._pick(pick)
        body: dict[str, Any] = {"isActive": (not sub.active) if toggle else None, "eventTypes": types}
        dto = check_answer(
            self.api.call("updateWebhook", path={"webhookId": sub.id}, json=body),
            Expect(200, "W1"),
            "updateWebhook",
        )
        oracles.secret_only_from_create_and_rotate(dto, "updateWebhook", known_secrets=self._secrets())
        sub.active = not sub.active if toggle else sub.active
        sub.event_types = types or sub.event_types

    @precondition(lambda self: bool(self.subscriptions))
    @rule(pick=st.integers(0, 20))
    @step
    def rotate(self, pick: int) -> None:
        """W2: rotation returns a new secret."""
        sub = self._pick(pick)
        dto = check_answer(
            self.api.call("rotateWebhookSecret", path={"webhookId": sub.id}),
            Expect(200, "W2"),
            "rotateWebhookSecret",
        )
        oracles.rotation_issues_a_new_secret(sub.secret, rotated=dto)
        secret = str(dto["secret"])
        register_secret(secret)
        sub.previous_secrets, sub.secret = (*sub.previous_secrets, sub.secret), secret

    @precondition(lambda self: bool(self.subscriptions))
    @rule(pick=st.integers(0, 20))
    @step
    def send_test(self, pick: int) -> None:
        """W4: one synchronous attempt, recorded first among the deliveries; W3: signed with the secret."""
        sub = self._pick(pick)
        response = self.api.call("sendTestEvent", path={"webhookId": sub.id})
        if not sub.active:
            check_answer(
                response,
                Expect(409, "W4", "webhook_inactive", why="the subscription is inactive"),
                "sendTestEvent",
            )
            return
        delivery = check_answer(response, Expect(200, "W4", why="an active subscription"), "sendTestEvent")
        listed = check_answer(
            self.api.call("listWebhookDeliveries", path={"webhookId": sub.id}),
            Expect(200, "W4"),
            "listWebhookDeliveries",
        )
        outcome = "Failed" if sub.failing or not self.reachable else "Succeeded"
        received = (
            self.receiver.wait_for(sub.path, 1, timeout=DELIVERY_WAIT_SECONDS) if self.reachable else None
        )
        oracles.sent_test_event_is_one_attempt(
            delivery,
            status=outcome,
            listed=listed.get("items") or [],
            listed_total=listed.get("totalCount"),
            arrivals=received,
        )
        if received:
            matching = [d for d in received if d.headers.get("webhook-id") == delivery.get("eventId")]
            self._require_signed(sub, matching[-1] if matching else received[-1], "sendTestEvent")

    @precondition(lambda self: bool(self.subscriptions) and self.reachable)
    @rule()
    @step
    def fire_customer_created(self) -> None:
        """W5: `customer.created` reaches exactly the active subscribers of the type; W3: signed."""
        body = {"name": self.unique("hooked customer"), "email": f"hook-{uuid.uuid4().hex[:10]}@example.test"}
        customer = check_answer(
            self.api.call("createCustomer", json=body), Expect(201, "W5"), "createCustomer"
        )
        wanted = [s for s in self.subscriptions if s.active and "customer.created" in s.event_types]
        for sub in wanted:
            found = self._wait_for_customer(sub, customer["id"])
            oracles.events_reach_active_subscribers(
                "createCustomer", subscriber=sub.label, delivered=found is not None
            )
            if found is not None:  # else the check above has failed
                self._require_signed(sub, found, "createCustomer")
        strays = [
            f"{sub.label} active={sub.active} types={sub.event_types}"
            for sub in self.subscriptions
            if sub not in wanted and self._about(sub, customer["id"])
        ]
        oracles.events_reach_active_subscribers("createCustomer", strays=strays)

    def _about(self, sub: Subscription, customer_id: str) -> list[Delivery]:
        return [
            d for d in self.receiver.received(sub.path) if customer_id in d.body.decode("utf-8", "replace")
        ]

    def _wait_for_customer(self, sub: Subscription, customer_id: str) -> Delivery | None:
        deadline = time.monotonic() + DELIVERY_WAIT_SECONDS
        while time.monotonic() < deadline:
            found = self._about(sub, customer_id)
            if found:
                return found[-1]
            self.receiver.wait_for(sub.path, len(self.receiver.received(sub.path)) + 1, timeout=0.25)
        return None

    @precondition(lambda self: bool(self.subscriptions))
    @rule(pick=st.integers(0, 20))
    @step
    def delete(self, pick: int) -> None:
        sub = self._pick(pick)
        check_answer(
            self.api.call("deleteWebhook", path={"webhookId": sub.id}), Expect(204, "T7"), "deleteWebhook"
        )
        self.subscriptions.remove(sub)

    @precondition(lambda self: bool(self.event_types))
    @rule(pick=st.integers(0, 40))
    @step
    def sample(self, pick: int) -> None:
        """W6: every listed type has an envelope sample; an unknown type answers 404."""
        event_type = self.event_types[pick % len(self.event_types)]
        body = check_answer(
            self.api.call("getEventTypeSample", path={"eventType": event_type}),
            Expect(200, "W6"),
            "getEventTypeSample",
        )
        oracles.event_types_have_samples(sample=body, event_type=event_type)
        check_answer(
            self.api.call("getEventTypeSample", path={"eventType": "no.such_type"}),
            Expect(404, "W6", why="unknown event type"),
            "getEventTypeSample",
        )

    # ---------------------------------------------------------------- checks
    def _require_signed(self, sub: Subscription, delivery: Delivery, operation_id: str) -> None:
        oracles.delivery_is_signed(
            delivery, sub.secret, previous_secrets=sub.previous_secrets, operation_id=operation_id
        )

    def _secrets(self) -> list[str]:
        """Every secret the subscriptions had, current and rotated away."""
        return [s.secret for s in self.subscriptions] + [
            p for s in self.subscriptions for p in s.previous_secrets
        ]

    @invariant()
    @checked
    def listing_matches_model(self) -> None:
        """W1: the list never shows a secret; subscriptions are as modelled."""
        if not self.event_types:
            return
        listed = check_answer(self.api.call("listWebhooks"), Expect(200, "W1"), "listWebhooks")
        by_id = {item.get("id"): item for item in listed.get("items", [])}
        for item in listed.get("items", []):
            oracles.secret_only_from_create_and_rotate(item, "listWebhooks", known_secrets=self._secrets())
        for sub in self.subscriptions:
            modelled = {"isActive": sub.active, "eventTypes": sub.event_types}
            oracles.events_reach_active_subscribers(
                "listWebhooks", listed=by_id.get(sub.id) or {}, modelled=modelled
            )

    def _pick(self, pick: int) -> Subscription:
        sub = self.subscriptions[pick % len(self.subscriptions)]
        self.journal.steps[-1].arguments["subscription"] = sub.label
        return sub


TestWebhookSubscriptions = WebhookSubscriptions.test_case()

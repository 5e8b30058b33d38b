"""Each webhook, customer and contract fault (W2, W4–W6, K2–K4, K6, S3, T4) changes behaviour as its
registry entry says; the clean server does not."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

from caldasa_reference.faults import FAULT_NAMES
from tests.reference.conftest import make_customer
from tests.reference.test_webhooks import Receiver, subscribe, verify

Probe = Callable[[httpx.Client, Receiver], bool]  # True = the faulty behaviour is observed


def _rotation_not_applied(c: httpx.Client, r: Receiver) -> bool:
    hook = subscribe(c, r.url, "webhook.test")
    rotated = c.post(f"/webhooks/{hook['id']}/rotate-secret").json()["secret"]
    assert rotated != hook["secret"]
    c.post(f"/webhooks/{hook['id']}/test")
    headers, body = r.received[-1]
    try:
        verify(rotated, headers, body)
    except Exception:  # the standardwebhooks verification error: signed with another key
        return True
    return False


def _test_event_deferred(c: httpx.Client, r: Receiver) -> bool:
    hook = subscribe(c, r.url, "webhook.test")
    delivery = c.post(f"/webhooks/{hook['id']}/test").json()
    return bool(delivery["status"] == "Pending" and delivery["attemptCount"] == 0)


def _inactive_delivered(c: httpx.Client, r: Receiver) -> bool:
    hook = subscribe(c, r.url, "customer.created", isActive=False)
    make_customer(c)
    return bool(c.get(f"/webhooks/{hook['id']}/deliveries").json()["totalCount"] > 0)


def _unknown_sample(c: httpx.Client, r: Receiver) -> bool:
    return c.get("/webhooks/event-types/no.such_type/sample").status_code == 200


def _case_sensitive_duplicate(c: httpx.Client, r: Receiver) -> bool:
    customer = make_customer(c)
    again = c.post("/customers", json={"name": "Dup", "email": customer["email"].upper()})
    return again.status_code == 201


def _note_edit_keeps_updated_at(c: httpx.Client, r: Receiver) -> bool:
    customer = make_customer(c)
    note = c.post(f"/customers/{customer['id']}/notes", json={"body": "first"}).json()
    edited = c.patch(f"/customers/{customer['id']}/notes/{note['id']}", json={"body": "second"}).json()
    return bool(edited["body"] == "second" and edited["updatedAt"] is None)


def _sms_without_consent(c: httpx.Client, r: Receiver) -> bool:
    customer = make_customer(c, phone="+4930111", optInSms=False)
    sent = c.post(f"/customers/{customer['id']}/messages", json={"channel": "Sms", "body": "Hi"})
    return sent.status_code == 202


def _moderation_without_timestamp(c: httpx.Client, r: Receiver) -> bool:
    review_id = c.post("/_testing/states", json={"state": "pending-review", "params": {}}).json()["ids"][
        "reviewId"
    ]
    moderated = c.post(f"/reviews/{review_id}/moderate", json={"status": "Approved"}).json()
    return moderated["moderatedAt"] is None


def _created_as_text_json(c: httpx.Client, r: Receiver) -> bool:
    answer = c.post("/customers", json={"name": "Typed", "phone": "+1"})
    return bool(answer.headers["content-type"].startswith("text/json"))


def _customers_oldest_first(c: httpx.Client, r: Receiver) -> bool:
    tag = uuid.uuid4().hex[:8]
    first = make_customer(c, name=f"{tag} 1")
    time.sleep(0.01)  # distinct createdAt (millisecond precision)
    second = make_customer(c, name=f"{tag} 2")
    listed = [item["id"] for item in c.get(f"/customers?search={tag}").json()["items"]]
    return listed == [first["id"], second["id"]]


PROBES: dict[str, Probe] = {
    "rotation-not-applied": _rotation_not_applied,
    "test-event-deferred": _test_event_deferred,
    "inactive-webhook-delivered": _inactive_delivered,
    "unknown-event-type-sample": _unknown_sample,
    "duplicate-email-case-sensitive": _case_sensitive_duplicate,
    "note-edit-keeps-updated-at": _note_edit_keeps_updated_at,
    "sms-without-consent": _sms_without_consent,
    "moderation-without-timestamp": _moderation_without_timestamp,
    "created-as-text-json": _created_as_text_json,
    "customers-oldest-first": _customers_oldest_first,
}


def test_probes_name_registered_faults() -> None:
    assert set(PROBES) <= FAULT_NAMES

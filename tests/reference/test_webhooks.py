"""Webhooks (W1–W6, §8 #61–#64): secrets, catalogue, samples, signed test and real deliveries, retries."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.reference.conftest import ServerFactory, assert_field_error, assert_problem, client_for, created


@dataclass
class Receiver:
    url: str
    status: int = 200
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.received) >= count, f"got {len(self.received)} deliveries, wanted {count}"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback HTTP receiver recording every POST; answers `receiver.status`."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def subscribe(client: httpx.Client, url: str, *types: str, **extra: Any) -> dict[str, Any]:
    body = {"url": url, "eventTypes": list(types or ["customer.created"]), **extra}
    return created(client.post("/webhooks", json=body))


def verify(secret: str, headers: dict[str, str], body: bytes) -> Any:
    return Webhook(secret).verify(body, headers)


def test_event_type_catalogue_and_samples(client: httpx.Client) -> None:
    types = [t["type"] for t in client.get("/webhooks/event-types").json()["items"]]
    assert len(types) == 16
    assert types == sorted(types)
    for event_type in types:
        sample = client.get(f"/webhooks/event-types/{event_type}/sample").json()
        assert set(sample) == {"id", "type", "occurredAt", "tenantId", "data"}
        assert sample["type"] == event_type
    assert client.get("/webhooks/event-types/booking.created/sample").json()["data"]["status"] == "Confirmed"
    assert_problem(client.get("/webhooks/event-types/nope.nothing/sample"), 404, "not_found")


def test_secret_only_on_create_and_rotate(client: httpx.Client, receiver: Receiver) -> None:
    hook = subscribe(client, receiver.url)
    assert hook["secret"].startswith("whsec_")
    listed = [w for w in client.get("/webhooks").json()["items"] if w["id"] == hook["id"]]
    assert listed == [{k: v for k, v in hook.items() if k != "secret"}]
    patched = client.patch(f"/webhooks/{hook['id']}", json={"description": "d"}).json()
    assert "secret" not in patched
    assert hook["secret"] not in str(patched)
    rotated = client.post(f"/webhooks/{hook['id']}/rotate-secret").json()
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != hook["secret"]


def test_https_required_unless_loopback_switch(client: httpx.Client) -> None:
    assert_field_error(
        client.post("/webhooks", json={"url": "http://example.com/h", "eventTypes": ["webhook.test"]}), "url"
    )
    assert_field_error(
        client.post("/webhooks", json={"url": "https://x.io", "eventTypes": ["nope"]}), "eventTypes[0]"
    )
    assert_field_error(client.post("/webhooks", json={"url": "https://x.io", "eventTypes": []}), "eventTypes")


def test_test_event_is_signed_synchronous_and_listed(client: httpx.Client, receiver: Receiver) -> None:
    hook = subscribe(client, receiver.url)
    rotated = client.post(f"/webhooks/{hook['id']}/rotate-secret").json()
    delivery = client.post(f"/webhooks/{hook['id']}/test?eventType=booking.created").json()
    assert (delivery["status"], delivery["isTest"], delivery["attemptCount"]) == ("Succeeded", True, 1)
    assert delivery["responseStatusCode"] == 200
    assert delivery["nextAttemptAt"] is None
    headers, body = receiver.received[-1]
    assert headers["webhook-id"] == delivery["eventId"]
    payload = verify(rotated["secret"], headers, body)  # signed with the new secret only (§8 #63)
    assert payload["type"] == "booking.created"
    with pytest.raises(WebhookVerificationError):
        verify(hook["secret"], headers, body)
    listed = client.get(f"/webhooks/{hook['id']}/deliveries").json()["items"]
    assert listed[0] == delivery


def test_test_event_failure_is_recorded(client: httpx.Client, receiver: Receiver) -> None:
    receiver.status = 500
    hook = subscribe(client, receiver.url)
    delivery = client.post(f"/webhooks/{hook['id']}/test").json()
    assert (delivery["status"], delivery["responseStatusCode"]) == ("Failed", 500)
    assert delivery["errorMessage"]


def test_inactive_subscription_test_is_409(client: httpx.Client, receiver: Receiver) -> None:
    hook = subscribe(client, receiver.url, isActive=False)
    assert_problem(client.post(f"/webhooks/{hook['id']}/test"), 409, "webhook_inactive")


def test_real_event_delivered_only_to_subscribed_active(client: httpx.Client, receiver: Receiver) -> None:
    subscribed = subscribe(client, receiver.url, "customer.created")
    subscribe(client, receiver.url, "customer.updated")
    subscribe(client, receiver.url, "customer.created", isActive=False)
    before = len(receiver.received)
    customer = created(client.post("/customers", json={"name": "Hooked", "phone": "+491"}))
    receiver.wait_for(before + 1, timeout=2.0)  # first attempt within 1 s (+ slack)
    time.sleep(0.3)
    mine = [
        verify(subscribed["secret"], h, b)
        for h, b in receiver.received[before:]
        if h["webhook-id"] and b"Hooked" in b
    ]
    assert [(p["type"], p["data"]["id"]) for p in mine] == [("customer.created", customer["id"])]
    deliveries = client.get(f"/webhooks/{subscribed['id']}/deliveries").json()["items"]
    assert [(d["eventType"], d["isTest"], d["status"]) for d in deliveries][:1] == [
        ("customer.created", False, "Succeeded")
    ]


def test_failed_real_delivery_retries_then_fails(core_server: ServerFactory, receiver: Receiver) -> None:
    receiver.status = 503
    with client_for(core_server()) as client:
        hook = subscribe(client, receiver.url, "customer.created")
        client.post("/customers", json={"name": "Retry", "phone": "+492"})
        receiver.wait_for(4, timeout=5.0)  # 1 attempt + 3 retries (test server: 0.2 s delays)
        time.sleep(0.2)
        (delivery,) = client.get(f"/webhooks/{hook['id']}/deliveries").json()["items"]
    assert (delivery["status"], delivery["attemptCount"], delivery["nextAttemptAt"]) == ("Failed", 4, None)


def test_delete_webhook_then_404(client: httpx.Client, receiver: Receiver) -> None:
    hook = subscribe(client, receiver.url)
    assert client.delete(f"/webhooks/{hook['id']}").status_code == 204
    assert_problem(client.get(f"/webhooks/{hook['id']}/deliveries"), 404)
    assert_problem(client.delete(f"/webhooks/{hook['id']}"), 404)

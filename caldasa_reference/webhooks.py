"""Outbound webhooks: delivery rows, Standard Webhooks signing and the HTTP attempts (with retries).

Handlers stay synchronous: a recorded event creates its delivery rows at once and schedules the HTTP
attempts as background tasks on the running loop (first attempt immediately, retries after 10 s, 60 s,
300 s, then ``Failed``; §8 #63). Only these attempts (and the synchronous test event) await.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import json
import random
import secrets
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import httpx
from standardwebhooks.webhooks import Webhook

from caldasa_reference.store import Record, TenantStore, iso, new_id, ordered

TEST_TIMEOUT_SECONDS = 5.0
DELIVERY_TIMEOUT_SECONDS = 10.0
# `webhook-duplicates`: each copy waits up to this long, so copies of later events may arrive first.
DUPLICATE_MAX_DELAY_SECONDS = 0.5


def new_secret() -> str:
    """``whsec_`` + base64 of 32 random bytes (Standard Webhooks format)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def new_delivery(
    tenant: TenantStore, webhook: Record, event_id: str, event_type: str, *, is_test: bool
) -> Record:
    delivery: Record = {
        "id": new_id(),
        "webhookId": webhook["id"],
        "eventId": event_id,
        "eventType": event_type,
        "status": "Pending",
        "isTest": is_test,
        "attemptCount": 0,
        "responseStatusCode": None,
        "durationMs": None,
        "errorMessage": None,
        "createdAt": tenant.now_iso(),
        "lastAttemptAt": None,
        "nextAttemptAt": None,
    }
    tenant.deliveries[delivery["id"]] = delivery
    return delivery


class Dispatcher:
    """Sends deliveries for one server; owns the HTTP client and the background tasks.

    ``fault`` and ``variant`` are the server's switches (``Services.fault``, ``Services.variant``);
    ``retry_delays``: seconds before each retry.
    """

    def __init__(
        self,
        fault: Callable[[str], bool],
        retry_delays: tuple[float, ...],
        variant: Callable[[str], bool] = lambda _name: False,
    ) -> None:
        self.fault = fault
        self.variant = variant
        self.retry_delays = retry_delays
        self._client: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        try:
            yield
        finally:
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            if self._client is not None:
                await self._client.aclose()

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            # trust_env=False: receivers are reached directly, never through an environment proxy. No pool
            # limit: deliveries to unresponsive receivers (generated subscriptions point anywhere) hold their
            # connection up to the delivery timeout, and must not starve the synchronous test event (W4).
            self._client = httpx.AsyncClient(
                follow_redirects=False, trust_env=False, limits=httpx.Limits(max_connections=None)
            )
        return self._client

    def on_event(self, tenant: TenantStore, event_id: str, event_type: str, envelope: Record) -> None:
        """Create a delivery per active subscription of ``event_type`` and start sending it."""
        payload = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
        for webhook in ordered(tenant.webhooks.values(), "createdAt"):
            active = webhook["isActive"] or self.fault("inactive-webhook-delivered")
            if active and event_type in webhook["eventTypes"]:
                delivery = new_delivery(tenant, webhook, event_id, event_type, is_test=False)
                delivery["_payload"] = payload
                self._spawn(self._deliver_with_retries(tenant, delivery))
                if self.variant("webhook-duplicates"):
                    self._spawn(self._duplicate(webhook, delivery))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (e.g. a unit test calling a handler directly): nothing is sent
            coroutine.close()
            return
        task = loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _duplicate(self, webhook: Record, delivery: Record) -> None:
        """At-least-once delivery: the same message (same webhook-id) once more, at a random moment, and
        not recorded (as a broker's redelivery would not be); the receiver deduplicates."""
        await asyncio.sleep(random.uniform(0, DUPLICATE_MAX_DELAY_SECONDS))
        payload: str = delivery["_payload"]
        headers = self.signature_headers(webhook, delivery["eventId"], payload)
        with contextlib.suppress(httpx.HTTPError):  # the recorded delivery is the one that counts
            await self.client.post(
                webhook["url"], content=payload.encode("utf-8"), headers=headers, timeout=TEST_TIMEOUT_SECONDS
            )

    async def _deliver_with_retries(self, tenant: TenantStore, delivery: Record) -> None:
        delays = self.retry_delays
        if self.variant("webhook-duplicates"):  # out of order: a later event's first copy may overtake
            await asyncio.sleep(random.uniform(0, DUPLICATE_MAX_DELAY_SECONDS))
        for attempt_index in range(len(delays) + 1):
            webhook = tenant.webhooks.get(delivery["webhookId"])
            if webhook is None:  # subscription deleted meanwhile
                return
            succeeded = await self.attempt(tenant, webhook, delivery, DELIVERY_TIMEOUT_SECONDS)
            if succeeded:
                delivery["status"], delivery["nextAttemptAt"] = "Succeeded", None
                return
            if attempt_index == len(delays):
                break
            delay = delays[attempt_index]
            delivery["nextAttemptAt"] = iso(tenant.now() + dt.timedelta(seconds=delay))
            await asyncio.sleep(delay)
        delivery["status"], delivery["nextAttemptAt"] = "Failed", None

    async def attempt(self, tenant: TenantStore, webhook: Record, delivery: Record, timeout: float) -> bool:
        """One signed POST; records the outcome on ``delivery``; True for a 2xx answer."""
        payload: str = delivery["_payload"]
        headers = self.signature_headers(webhook, delivery["eventId"], payload)
        started = time.monotonic()
        delivery["attemptCount"] += 1
        delivery["lastAttemptAt"] = tenant.now_iso()
        try:
            response = await self.client.post(
                webhook["url"], content=payload.encode("utf-8"), headers=headers, timeout=timeout
            )
        except httpx.TimeoutException:
            delivery["responseStatusCode"], delivery["errorMessage"] = None, "timeout"
            ok = False
        except httpx.HTTPError as error:
            delivery["responseStatusCode"] = None
            delivery["errorMessage"] = f"connection failed: {type(error).__name__}"
            ok = False
        else:
            delivery["responseStatusCode"] = response.status_code
            ok = 200 <= response.status_code < 300
            delivery["errorMessage"] = None if ok else f"receiver answered {response.status_code}"
        delivery["durationMs"] = int((time.monotonic() - started) * 1000)
        return ok

    def signature_headers(self, webhook: Record, message_id: str, payload: str) -> dict[str, str]:
        """Standard Webhooks headers, signed with the subscription's current secret."""
        secret: str = webhook["_secret"]
        if self.fault("webhook-bad-signature"):
            secret = new_secret()
        now = dt.datetime.now(dt.timezone.utc)
        signature = Webhook(secret).sign(message_id, now, payload)
        return {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
            "user-agent": "caldasa-reference-webhooks",
        }

    async def send_test(self, tenant: TenantStore, webhook: Record, delivery: Record) -> None:
        """The one synchronous attempt of "Send a test event" (§8 #62): no retries."""
        if self.fault("test-event-deferred"):  # the normal pipeline: answered before any attempt
            self._spawn(self._deliver_with_retries(tenant, delivery))
            return
        ok = await self.attempt(tenant, webhook, delivery, TEST_TIMEOUT_SECONDS)
        delivery["status"] = "Succeeded" if ok else "Failed"
        delivery["nextAttemptAt"] = None

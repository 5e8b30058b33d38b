"""Webhook subscriptions, event types, samples, test events and deliveries (§3.15; §8 #61–#64)."""

from __future__ import annotations

import copy
import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

from caldasa_reference.handlers._common import bad_request, require
from caldasa_reference.lists import matches, paginate, plain
from caldasa_reference.routing import (
    ProblemError,
    Reply,
    RequestContext,
    async_operation,
    conflict,
    operation,
)
from caldasa_reference.store import Record, new_id, ordered, public
from caldasa_reference.webhooks import new_delivery, new_secret

EVENT_TYPES: dict[str, str] = {
    "booking.cancelled": "A booking was cancelled.",
    "booking.completed": "A booking was marked completed.",
    "booking.created": "A booking was created.",
    "booking.no_show": "A booking was marked as a no-show.",
    "customer.created": "A customer was created.",
    "customer.message.sent": "A message to a customer was queued.",
    "customer.note.created": "A note was added to a customer.",
    "customer.updated": "A customer was updated.",
    "event.cancelled": "An event was cancelled.",
    "event.published": "An event was published.",
    "review.created": "A review was submitted.",
    "review.moderated": "A review was moderated.",
    "ticket.redeemed": "A ticket was redeemed.",
    "ticket_order.cancelled": "A ticket order was cancelled or refunded.",
    "ticket_order.created": "A ticket order was placed.",
    "webhook.test": "A synthetic test event.",
}

# Which operation's documented success example is the sample `data` of each event type, and its status.
SAMPLE_SOURCES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "booking.created": ("getBooking", "200", {"status": "Confirmed"}),
    "booking.cancelled": ("getBooking", "200", {"status": "Cancelled"}),
    "booking.completed": ("getBooking", "200", {"status": "Completed"}),
    "booking.no_show": ("getBooking", "200", {"status": "NoShow"}),
    "customer.created": ("getCustomer", "200", {}),
    "customer.updated": ("getCustomer", "200", {}),
    "customer.note.created": ("createCustomerNote", "201", {}),
    "customer.message.sent": ("sendCustomerMessage", "202", {}),
    "event.published": ("listEvents", "200", {"status": "Published"}),
    "event.cancelled": ("listEvents", "200", {"status": "Cancelled"}),
    "ticket_order.created": ("listTicketOrders", "200", {"status": "Paid"}),
    "ticket_order.cancelled": ("listTicketOrders", "200", {"status": "Cancelled"}),
    "ticket.redeemed": ("redeemTicket", "200", {}),
    "review.created": ("listReviews", "200", {"status": "Pending"}),
    "review.moderated": ("moderateReview", "200", {"status": "Approved"}),
}
LOOPBACK_NAMES = {"localhost"}


def sample_data(ctx: RequestContext, event_type: str) -> Record:
    """The sample DTO of ``event_type``, taken from the contract's own response examples."""
    source = SAMPLE_SOURCES.get(event_type)
    if source is None:
        return {}
    operation_id, status, overrides = source
    contract = ctx.services.contract
    example = contract.response_example(operation_id, status) if contract is not None else None
    if isinstance(example, dict) and isinstance(example.get("items"), list) and "id" not in example:
        example = example["items"][0] if example["items"] else {}
    data = copy.deepcopy(example) if isinstance(example, dict) else {}
    data.update(overrides)
    if event_type == "booking.completed":
        data["completedAt"] = data.get("endsAt")
    if event_type == "review.moderated":
        data.setdefault("moderatedAt", data.get("createdAt"))
    return data


def envelope(ctx: RequestContext, event_id: str, event_type: str, data: Record) -> Record:
    return {
        "id": event_id,
        "type": event_type,
        "occurredAt": ctx.tenant.now_iso(),
        "tenantId": ctx.tenant.id,
        "data": data,
    }


def webhook_dto(ctx: RequestContext, webhook: Record, *, with_secret: bool = False) -> Record:
    dto = public(webhook)
    if with_secret:
        dto["secret"] = webhook["_secret"]
    return dto


def _check_url(ctx: RequestContext, url: str) -> None:
    """Semantic URL rules (§3.15): https only; plain http to loopback with --allow-insecure-webhooks."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise bad_request("url", "The URL must not contain credentials.")
    if not parts.hostname:
        raise bad_request("url", "The URL needs a host.")
    if parts.scheme == "https":
        return
    if (
        parts.scheme == "http"
        and ctx.services.config.allow_insecure_webhooks
        and _is_loopback(parts.hostname)
    ):
        return
    raise bad_request("url", "Webhook URLs must use https.")


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@operation("listEventTypes")
def list_event_types(ctx: RequestContext) -> Reply:
    return ctx.ok({"items": [{"type": t, "description": d} for t, d in sorted(EVENT_TYPES.items())]})


@operation("getEventTypeSample")
def get_event_type_sample(ctx: RequestContext) -> Reply:
    event_type = ctx.path["eventType"]
    if event_type not in EVENT_TYPES and not ctx.fault("unknown-event-type-sample"):
        return ctx.not_found("event type")
    return ctx.ok(envelope(ctx, new_id(), event_type, sample_data(ctx, event_type)))


@operation("listWebhooks")
def list_webhooks(ctx: RequestContext) -> Reply:
    wanted = ctx.query.get("isActive")
    records = [w for w in ctx.tenant.webhooks.values() if wanted is None or w["isActive"] == wanted]
    leak = ctx.fault("webhook-secret-leak")
    return ctx.ok(plain(ordered(records, "createdAt"), lambda w: webhook_dto(ctx, w, with_secret=leak)))


@operation("createWebhook")
def create_webhook(ctx: RequestContext) -> Reply:
    body: dict[str, Any] = ctx.body
    _check_url(ctx, body["url"])
    webhook: Record = {
        "id": new_id(),
        "url": body["url"],
        "eventTypes": list(dict.fromkeys(body["eventTypes"])),
        "description": body.get("description"),
        "isActive": body.get("isActive", True) is not False,
        "createdAt": ctx.tenant.now_iso(),
        "updatedAt": None,
        "_secret": new_secret(),
    }
    ctx.tenant.webhooks[webhook["id"]] = webhook
    return ctx.created(webhook_dto(ctx, webhook, with_secret=True), f"/webhooks/{webhook['id']}")


def webhook_or_404(ctx: RequestContext) -> Record:
    return require(ctx.tenant.webhooks, ctx.path["webhookId"], "webhook")


@operation("updateWebhook")
def update_webhook(ctx: RequestContext) -> Reply:
    webhook = webhook_or_404(ctx)
    body: dict[str, Any] = ctx.body
    if body.get("url") is not None:
        _check_url(ctx, body["url"])
    changes = {name: body[name] for name in ("url", "description", "isActive") if body.get(name) is not None}
    if body.get("eventTypes") is not None:
        changes["eventTypes"] = list(dict.fromkeys(body["eventTypes"]))
    changed = False
    for name, value in changes.items():
        if webhook[name] != value:
            webhook[name] = value
            changed = True
    if changed:
        webhook["updatedAt"] = ctx.tenant.now_iso()
    return ctx.ok(webhook_dto(ctx, webhook))


@operation("deleteWebhook")
def delete_webhook(ctx: RequestContext) -> Reply:
    webhook = webhook_or_404(ctx)
    del ctx.tenant.webhooks[webhook["id"]]
    for delivery_id in [d["id"] for d in ctx.tenant.deliveries.values() if d["webhookId"] == webhook["id"]]:
        del ctx.tenant.deliveries[delivery_id]
    return ctx.no_content()


@operation("rotateWebhookSecret")
def rotate_webhook_secret(ctx: RequestContext) -> Reply:
    webhook = webhook_or_404(ctx)
    secret = new_secret()
    if not ctx.fault("rotation-not-applied"):
        webhook["_secret"] = secret
    webhook["updatedAt"] = ctx.tenant.now_iso()
    return ctx.ok({**webhook_dto(ctx, webhook), "secret": secret})


@async_operation("sendTestEvent")
async def send_test_event(ctx: RequestContext) -> Reply:
    # Everything up to the HTTP attempt runs before the first await, so the checks are atomic.
    webhook = webhook_or_404(ctx)
    if not webhook["isActive"]:
        raise ProblemError(conflict("webhook_inactive", "The subscription is inactive."))
    event_type = ctx.query.get("eventType", "webhook.test")
    event_id = new_id()
    delivery = new_delivery(ctx.tenant, webhook, event_id, event_type, is_test=True)
    payload = envelope(ctx, event_id, event_type, sample_data(ctx, event_type))
    delivery["_payload"] = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    dispatcher = ctx.services.dispatcher
    assert dispatcher is not None
    await dispatcher.send_test(ctx.tenant, webhook, delivery)
    return ctx.ok(public(delivery))


@operation("listWebhookDeliveries")
def list_webhook_deliveries(ctx: RequestContext) -> Reply:
    webhook = webhook_or_404(ctx)
    records = [
        d
        for d in ctx.tenant.deliveries.values()
        if d["webhookId"] == webhook["id"]
        and matches(d["status"], ctx.query.get("status"))
        and matches(d["eventType"], ctx.query.get("eventType"))
    ]
    return ctx.ok(paginate(ctx, ordered(records, "createdAt", descending=True)))

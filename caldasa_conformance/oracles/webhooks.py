"""Oracles of the class `webhooks`: one judge per rule, W1–W6.

Each function evaluates its rule on what the target answered or delivered and what the caller expects (the
webhooks machine's model or a fixed scenario), records the requirement as held when it holds
(`checks.require`) and raises a `DomainViolation` naming it when it does not. The keyword arguments are the
facets of a rule a caller has observed; a facet left out is not judged. Signatures are checked with the
`standardwebhooks` package (`receiver.verify`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from caldasa_conformance.workflows.checks import require, violation
from caldasa_conformance.workflows.receiver import Delivery, verify
from caldasa_conformance.workflows.timeutil import parse

Json = Mapping[str, Any]
ENVELOPE_KEYS = ("id", "type", "occurredAt", "data")
_SIGNATURE = "webhook-signature v1 HMAC-SHA256"


def _webhook_headers(delivery: Delivery) -> dict[str, str]:
    return {key: value for key, value in delivery.headers.items() if key.startswith("webhook-")}


def secret_only_from_create_and_rotate(
    dto: Any, operation_id: str, *, created: bool = False, known_secrets: Iterable[str] = ()
) -> None:
    """W1: createWebhook returns the secret; any other answer (update, list) shows neither a `secret`
    property nor a secret's value.

    Args:
        dto: the answer (or one listed item).
        created: `dto` is createWebhook's answer, which must carry a non-empty secret.
        known_secrets: every secret the subscriptions had, none of which may appear in `dto`.
    """
    if created:
        secret = dto.get("secret") if isinstance(dto, Mapping) else None
        has_secret = isinstance(secret, str) and bool(secret)
        require(
            has_secret,
            "W1",
            "createWebhook returned no secret",
            "no secret",
            "a non-empty secret",
            operation_id,
        )
        return
    text = json.dumps(dto)
    leaked = (isinstance(dto, Mapping) and "secret" in dto) or any(secret in text for secret in known_secrets)
    require(
        not leaked,
        "W1",
        "A webhook secret is exposed outside create/rotate",
        "a secret in the body",
        "no `secret` property and no secret value",
        operation_id,
    )


def rotation_issues_a_new_secret(
    previous: str,
    *,
    rotated: Json | None = None,
    delivery: Delivery | None = None,
    secret: str = "",
    waited: bool = False,
    operation_id: str | None = "sendTestEvent",
) -> None:
    """W2: rotation returns a secret different from `previous`, and later deliveries verify with it.

    Args:
        previous: the secret before the rotation.
        rotated: rotateWebhookSecret's answer.
        delivery: a delivery after the rotation (with `waited`, None means none arrived); it must verify with
            `secret`, the rotated one.
    """
    if rotated is not None:
        new = rotated.get("secret")
        require(
            isinstance(new, str) and bool(new) and new != previous,
            "W2",
            "Rotation did not return a new secret",
            "the same or no secret",
            "a different secret",
            "rotateWebhookSecret",
        )
    if waited:
        require(
            delivery is not None, "W2", "The test event never reached the receiver", "nothing", "one POST"
        )
    if delivery is not None and not verify(delivery, secret):
        old = " (it verifies with the previous secret)" if verify(delivery, previous) else ""
        raise violation(
            "W2",
            "A delivery after rotation does not verify with the new secret" + old,
            _webhook_headers(delivery),
            f"{_SIGNATURE} with the rotated secret",
            operation_id,
        )


def delivery_is_signed(
    delivery: Delivery | None,
    secret: str,
    *,
    event_id: Any = None,
    previous_secrets: Sequence[str] = (),
    operation_id: str | None = None,
) -> None:
    """W3: a delivery is signed per Standard Webhooks with the subscription's current secret.

    A delivery that verifies only with a previous secret breaks W2 instead (judged there).

    Args:
        delivery: what the receiver got (None: nothing arrived).
        event_id: when given, the delivery's Standard Webhooks headers are judged too: webhook-id is this
            event id, webhook-timestamp an integer, webhook-signature a `v1,` signature.
        previous_secrets: the subscription's secrets before its rotations.
    """
    if delivery is None:
        raise violation(
            "W3", "The test event never reached the receiver", "nothing", "one POST", operation_id
        )
    headers = _webhook_headers(delivery)
    if event_id is not None:
        seen = {
            "webhook-id is eventId": headers.get("webhook-id") == event_id,
            "integer webhook-timestamp": headers.get("webhook-timestamp", "").isdigit(),
            "v1 webhook-signature": headers.get("webhook-signature", "").startswith("v1,"),
        }
        require(
            all(seen.values()),
            "W3",
            "The delivery lacks the Standard Webhooks headers",
            {**headers, **seen},
            f"webhook-id={event_id}, webhook-timestamp, webhook-signature v1,...",
            operation_id,
        )
    if verify(delivery, secret):
        return
    stale = next((old for old in previous_secrets if verify(delivery, old)), None)
    if stale is not None:
        rotation_issues_a_new_secret(stale, delivery=delivery, secret=secret, operation_id=operation_id)
    raise violation(
        "W3",
        "The delivery signature does not verify with the subscription's secret",
        headers,
        f"{_SIGNATURE} over id.timestamp.body with the current secret",
        operation_id,
    )


def sent_test_event_is_one_attempt(
    delivery: Json,
    *,
    status: str,
    listed: Sequence[Json] | None = None,
    listed_total: int | None = None,
    arrivals: Sequence[Delivery] | None = None,
    exactly_once: bool = False,
) -> None:
    """W4: sending a test event makes one attempt now, returns that delivery (isTest, attemptCount 1, the
    attempt's `status`) and lists it first among the webhook's deliveries.

    Args:
        delivery: sendTestEvent's answer.
        listed: listWebhookDeliveries' items (its first page).
        listed_total: that listing's `totalCount`: whether the test delivery may be on a later page.
        arrivals: what the receiver got for the subscription: at least one request, or with `exactly_once`
            exactly one.
    """
    shape = {key: delivery.get(key) for key in ("isTest", "attemptCount", "status")}
    wanted = {"isTest": True, "attemptCount": 1, "status": status}
    require(
        shape == wanted, "W4", "The test delivery does not report one attempt", shape, wanted, "sendTestEvent"
    )
    if listed is not None:
        _test_delivery_listed_first(delivery, listed, listed_total)
    if arrivals is not None and exactly_once:
        count = len(arrivals)
        require(count == 1, "W4", "The test event was not attempted exactly once", count, 1)
    elif arrivals is not None:
        title = "The test event never reached the receiver"
        require(bool(arrivals), "W4", title, "no request", "one signed POST", "sendTestEvent")


def _test_delivery_listed_first(delivery: Json, listed: Sequence[Json], total: int | None) -> None:
    """W4's listing facet: the test delivery is listed, with isTest true, and first but for deliveries newer
    than it (the order is `createdAt desc, id desc`). Events of other tests, workers or users of a shared
    target may be delivered between the test event and the listing; they are rightly listed before it."""
    position = next((i for i, item in enumerate(listed) if item.get("id") == delivery.get("id")), None)
    more_pages = total is None or total > len(listed)
    if position is None and listed and _all_newer(listed, delivery) and more_pages:
        return  # a page of newer deliveries only: the test delivery is on a later page, nothing to judge
    listed_item = listed[position] if position is not None else {}
    earlier = [item.get("id") for item in listed[: position or 0] if not _all_newer([item], delivery)]
    require(
        listed_item.get("isTest") is True and not earlier,
        "W4",
        "The test delivery is not listed first with isTest true",
        {"position": position, "isTest": listed_item.get("isTest"), "older deliveries before it": earlier},
        {"position": "first, or after deliveries newer than it", "isTest": True},
        "listWebhookDeliveries",
    )


def _all_newer(items: Sequence[Json], delivery: Json) -> bool:
    """Whether every item was created at or after `delivery` (ties are ordered by id, either way)."""
    own = _created(delivery)
    return own is not None and all(
        (_created(item) or own) >= own and item.get("id") != delivery.get("id") for item in items
    )


def _created(item: Json) -> datetime | None:
    value = item.get("createdAt")
    try:
        return parse(value) if isinstance(value, str) else None
    except ValueError:
        return None


def events_reach_active_subscribers(
    operation_id: str,
    *,
    subscriber: str | None = None,
    delivered: bool = True,
    strays: Sequence[str] | None = None,
    listed: Json | None = None,
    modelled: Json | None = None,
) -> None:
    """W5: an event reaches the active subscribers of its type and nobody else; subscriptions keep the types
    and activity they were given.

    Args:
        subscriber / delivered: an active subscriber of the event's type, and whether it got the event (or,
            while a caller polls, may still get it in time).
        strays: descriptions of deliveries of the event to endpoints not subscribed to it or inactive.
        listed / modelled: a subscription's `isActive` and `eventTypes` as listed and as set.
    """
    if subscriber is not None:
        title = "An active subscriber of the event type got no delivery"
        require(delivered, "W5", title, f"{subscriber}: nothing", "a delivery of the event", operation_id)
    if strays is not None:
        title = "An endpoint got an event it did not subscribe to (or while inactive)"
        require(not strays, "W5", title, list(strays), "no delivery", operation_id)
    if listed is not None and modelled is not None:
        seen = {"isActive": listed.get("isActive"), "eventTypes": sorted(listed.get("eventTypes") or [])}
        wanted = {
            "isActive": modelled.get("isActive"),
            "eventTypes": sorted(modelled.get("eventTypes") or []),
        }
        require(seen == wanted, "W5", "A subscription differs from the model", seen, wanted, operation_id)


def event_types_have_samples(
    *, types: Sequence[Any] | None = None, sample: Any = None, event_type: str = ""
) -> None:
    """W6: the event-type catalogue is not empty, and each type's sample is a delivery envelope of that type.

    Args:
        types: the listed event types.
        sample: getEventTypeSample's answer for `event_type`.
    """
    if types is not None:
        require(
            bool(types),
            "W6",
            "No event types are listed",
            list(types),
            "the event-type catalogue",
            "listEventTypes",
        )
    if sample is not None:
        present = {key: key in sample for key in ENVELOPE_KEYS} if isinstance(sample, dict) else {}
        require(
            all(present.values()) and bool(present) and sample.get("type") == event_type,
            "W6",
            "The sample is not a delivery envelope of its type",
            present,
            f"id, type={event_type}, occurredAt, data",
            "getEventTypeSample",
        )

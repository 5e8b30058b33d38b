"""Per-tenant in-memory state of the reference server, plus the helpers every handler module shares.

Records are plain dicts shaped exactly like the contract's response DTOs (camelCase field names), so a
handler can usually answer with ``public(record)``. Fields only the server needs start with ``_`` and are
stripped by :func:`public`. Timestamps are stored as the emitted strings (``YYYY-MM-DDTHH:MM:SS.fffZ``),
which sort correctly as text.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


class Clock:
    """The server's notion of "now" (UTC, millisecond precision); tests may shift it."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def now(self) -> dt.datetime:
        current = dt.datetime.now(dt.timezone.utc) + self.offset
        return current.replace(microsecond=current.microsecond // 1000 * 1000)


def iso(moment: dt.datetime) -> str:
    """Format an aware datetime the way every response does: ``2026-01-01T10:00:00.000Z``."""
    utc = moment.astimezone(dt.timezone.utc)
    # Not strftime: glibc's %Y drops the zero padding of years before 1000.
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}"
        f".{utc.microsecond // 1000:03d}Z"
    )


def parse_dt(text: str) -> dt.datetime:
    """Parse an RFC 3339 date-time (already schema-validated) into an aware UTC datetime (ms precision)."""
    value = dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00").replace("t", "T"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    value = value.astimezone(dt.timezone.utc)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def normalise_dt(text: str) -> str:
    """Normalise an input date-time string to the emitted UTC form."""
    return iso(parse_dt(text))


# The UUID version of new ids. A context variable, not a global: several servers may share one process
# (the tests run them in threads), and only the one with the `uuid-v7` variant sets it for its requests.
ID_VERSION: ContextVar[int] = ContextVar("caldasa_reference_id_version", default=4)


def new_id() -> str:
    """A fresh lowercase uuid string: version 4, or 7 under the `uuid-v7` variant."""
    if ID_VERSION.get() == 7:
        return str(uuid7())
    return str(uuid.uuid4())


def uuid7() -> uuid.UUID:
    """An RFC 9562 §5.7 UUIDv7: 48-bit Unix milliseconds, version, 74 random bits (Python 3.11 has none)."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 4122/9562 variant bits 10
    return uuid.UUID(int=value)


def public(record: Record) -> Record:
    """Copy of ``record`` without internal (``_``-prefixed) fields, recursively through nested dicts/lists."""
    return {key: _public_value(value) for key, value in record.items() if not key.startswith("_")}


def _public_value(value: Any) -> Any:
    if isinstance(value, dict):
        return public(value)
    if isinstance(value, list):
        return [_public_value(item) for item in value]
    return value


def ordered(records: Iterable[Record], *keys: str, descending: bool = False) -> list[Record]:
    """Sort by ``keys`` then ``id`` (the universal tiebreaker, §8 #23), all ascending or all descending."""

    def sort_key(record: Record) -> tuple[Any, ...]:
        values = [record.get(k) for k in keys]
        # (is-null, value) pairs keep nulls together without comparing None with real values.
        return (*((v is None, "" if v is None else v) for v in values), record["id"])

    return sorted(records, key=sort_key, reverse=descending)


EventSink = Callable[["TenantStore", str, str, Record], None]


@dataclass
class TenantStore:
    """Everything one tenant owns. Collections map id -> DTO-shaped record."""

    id: str
    name: str
    clock: Clock
    slug: str | None = None
    time_zone: str = "Europe/Berlin"
    currency: str = "EUR"
    country: str | None = "DE"
    locale: str | None = "en-GB"
    created_at: str = ""
    locations: dict[str, Record] = field(default_factory=dict)
    business_hours: dict[str, list[Record]] = field(default_factory=dict)
    staff: dict[str, Record] = field(default_factory=dict)
    shifts: dict[str, Record] = field(default_factory=dict)
    blocks: dict[str, Record] = field(default_factory=dict)
    resource_types: dict[str, Record] = field(default_factory=dict)
    resources: dict[str, Record] = field(default_factory=dict)
    reservables: dict[str, Record] = field(default_factory=dict)
    customers: dict[str, Record] = field(default_factory=dict)
    notes: dict[str, Record] = field(default_factory=dict)
    activities: dict[str, Record] = field(default_factory=dict)
    messages: dict[str, Record] = field(default_factory=dict)
    bookings: dict[str, Record] = field(default_factory=dict)
    signed_forms: dict[str, Record] = field(default_factory=dict)
    form_templates: dict[str, Record] = field(default_factory=dict)
    events: dict[str, Record] = field(default_factory=dict)
    ticket_types: dict[str, Record] = field(default_factory=dict)
    ticket_orders: dict[str, Record] = field(default_factory=dict)
    orders: dict[str, Record] = field(default_factory=dict)
    reviews: dict[str, Record] = field(default_factory=dict)
    webhooks: dict[str, Record] = field(default_factory=dict)
    deliveries: dict[str, Record] = field(default_factory=dict)
    webhook_events: dict[str, Record] = field(default_factory=dict)
    idempotency: dict[str, Record] = field(default_factory=dict)
    outbox: dict[str, Record] = field(default_factory=dict)
    # Free-form scratch space for the booking domain (indexes etc.); reset empties it too.
    extra: dict[str, Any] = field(default_factory=dict)
    # Set by the webhook dispatcher: called with (tenant, event_id, event_type, envelope) per recorded event.
    event_sink: EventSink | None = None
    # Fault switches of the running server (see faults.py); handlers use ``ctx.fault(name)`` instead.
    faults: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.created_at:
            self.created_at = iso(self.clock.now())

    def now(self) -> dt.datetime:
        return self.clock.now()

    def now_iso(self) -> str:
        return iso(self.clock.now())

    def reset(self) -> None:
        """Empty every collection (``POST /_testing/reset``); tenant identity and the sink stay."""
        for name, value in vars(self).items():
            if isinstance(value, dict) and name != "extra":
                value.clear()
        self.extra.clear()

    def dto(self) -> Record:
        """The ``PublicTenantDto`` of this tenant."""
        return {
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "timeZone": self.time_zone,
            "currency": self.currency,
            "country": self.country,
            "locale": self.locale,
            "createdAt": self.created_at,
        }


# --- shared helpers other modules call ------------------------------------------------------------------


def emit_event(tenant: TenantStore, event_type: str, data: Record) -> str:
    """Record a domain event and fan it out to the tenant's webhook subscriptions; returns the event id.

    ``data`` must already be the public DTO (no ``_`` fields). Delivery rows are created synchronously
    (so they are visible as soon as the handler returns); the HTTP attempts run in the background.
    """
    event_id = new_id()
    envelope = {
        "id": event_id,
        "type": event_type,
        "occurredAt": tenant.now_iso(),
        "tenantId": tenant.id,
        "data": data,
    }
    tenant.webhook_events[event_id] = envelope
    if tenant.event_sink is not None:
        tenant.event_sink(tenant, event_id, event_type, envelope)
    return event_id


def add_activity(tenant: TenantStore, customer_id: str, kind: str, summary: str, **refs: Any) -> Record:
    """Append a customer timeline entry (§8 #58, #59). ``refs``: bookingId, noteId, messageChannel,
    ticketOrderId, messageId, reviewId (all default to null)."""
    activity: Record = {
        "id": new_id(),
        "customerId": customer_id,
        "kind": kind,
        "occurredAt": tenant.now_iso(),
        "summary": summary,
        "bookingId": refs.get("bookingId"),
        "noteId": refs.get("noteId"),
        "messageChannel": refs.get("messageChannel"),
        "ticketOrderId": refs.get("ticketOrderId"),
        "messageId": refs.get("messageId"),
        "reviewId": refs.get("reviewId"),
    }
    tenant.activities[activity["id"]] = activity
    return activity


OUTBOX_TEMPLATES = (
    "BookingConfirmation",
    "BookingCancellation",
    "EventCancellation",
    "TicketResend",
    "CustomerMessage",
)


def add_outbox(tenant: TenantStore, template: str, **refs: Any) -> Record:
    """Queue an outbound message (visible through ``GET /_testing/outbox``, §8 #67).

    ``refs``: customerId, bookingId, ticketOrderId, eventId, recipient, channel, subject, body.
    """
    if template not in OUTBOX_TEMPLATES:
        raise ValueError(f"unknown outbox template {template!r}")
    entry: Record = {
        "id": new_id(),
        "template": template,
        "customerId": refs.get("customerId"),
        "bookingId": refs.get("bookingId"),
        "ticketOrderId": refs.get("ticketOrderId"),
        "eventId": refs.get("eventId"),
        "channel": refs.get("channel"),
        "recipient": refs.get("recipient"),
        "subject": refs.get("subject"),
        "body": refs.get("body"),
        "createdAt": tenant.now_iso(),
    }
    tenant.outbox[entry["id"]] = entry
    return entry


def find_customer_by_email(tenant: TenantStore, email: str | None) -> Record | None:
    """The customer whose email equals ``email`` case-insensitively (§8 #39), if any."""
    if not email:
        return None
    wanted = email.lower()
    for customer in tenant.customers.values():
        if (customer.get("email") or "").lower() == wanted:
            return customer
    return None


def create_customer(
    tenant: TenantStore,
    *,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    opt_in_email: bool = False,
    opt_in_sms: bool = False,
) -> Record:
    """Create and store a customer record and fire ``customer.created``. Callers check duplicates first."""
    customer: Record = {
        "id": new_id(),
        "name": name,
        "email": email,
        "phone": phone,
        "optInEmail": opt_in_email,
        "optInSms": opt_in_sms,
        "createdAt": tenant.now_iso(),
        "updatedAt": None,
    }
    tenant.customers[customer["id"]] = customer
    emit_event(tenant, "customer.created", customer_dto(tenant, customer))
    return customer


def customer_dto(tenant: TenantStore, customer: Record) -> Record:
    """The public ``PublicCustomerDto`` of a stored customer (use this, not ``public``, for customers)."""
    dto = public(customer)
    if "malformed-created-at" in tenant.faults:
        dto["createdAt"] = dto["createdAt"][:19].replace("T", " ")
    return dto

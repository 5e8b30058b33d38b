"""Deterministic example values for request bodies and 2xx responses.

A small sampler walks a schema and fills in realistic values chosen by property name (and, for
names, by the owning entity), so every example validates against its schema by construction; the
tests check it anyway. The createBooking request and 201 examples are the seed's, verbatim.
"""

from __future__ import annotations

import uuid as uuidlib
from typing import Any

from .dsl import EMAIL_PATTERN, LOCAL_TIME_PATTERN, Schema

_NAMESPACE = uuidlib.UUID("6f1c2a52-1b7e-4b38-9a60-3f0c7d3e2a10")

# The seed's own examples (openapi/seed/caldasa-api-docs.txt), verbatim.
SEED_CREATE_BOOKING_REQUEST: dict[str, Any] = {
    "businessLocationId": "84527a82-7de9-4552-9101-e217e0c1ba3a",
    "customerId": "87d8e330-2878-4742-a86f-dbbb3bf522ac",
    "customerName": "string",
    "customerEmail": "string",
    "customerPhone": "string",
    "notes": "string",
    "optInEmail": True,
    "optInSms": True,
    "items": [
        {
            "reservableVariantId": "9690f75d-e491-408d-adc6-ca59c38a215c",
            "staffMemberId": "138ee295-38b9-456a-b430-39719940f4cd",
            "startsAt": "2019-08-24T14:15:22.123Z",
            "resourceSelections": [
                {
                    "resourceTypeId": "a59ee688-b5e5-4606-9891-f4a605edacd3",
                    "specificResourceId": "0c1fbbe8-4e41-4284-a7b4-093f14c005be",
                }
            ],
        }
    ],
}

SEED_CREATE_BOOKING_RESPONSE: dict[str, Any] = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "publicId": "string",
    "businessLocationId": "84527a82-7de9-4552-9101-e217e0c1ba3a",
    "customerId": "87d8e330-2878-4742-a86f-dbbb3bf522ac",
    "customerName": "string",
    "customerEmail": "string",
    "customerPhone": "string",
    "status": "string",
    "totalCents": 0,
    "startsAt": "2019-08-24T14:15:22.123Z",
    "endsAt": "2019-08-24T14:15:22.123Z",
    "completedAt": "2019-08-24T14:15:22.123Z",
    "notes": "string",
    "createdAt": "2019-08-24T14:15:22.123Z",
    "items": [
        {
            "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
            "reservableVariantId": "9690f75d-e491-408d-adc6-ca59c38a215c",
            "staffMemberId": "138ee295-38b9-456a-b430-39719940f4cd",
            "serviceName": "string",
            "startsAt": "2019-08-24T14:15:22.123Z",
            "endsAt": "2019-08-24T14:15:22.123Z",
            "priceCents": 0,
        }
    ],
}

_NAMES_BY_ENTITY = {
    "customer": "Alex Morgan",
    "businesslocation": "Downtown Studio",
    "reservable": "Haircut",
    "reservablevariant": "60 min",
    "resource": "Room 2",
    "resourcetype": "Treatment room",
    "bookableevent": "Summer Open Day",
    "bookableeventdetail": "Summer Open Day",
    "bookableeventattendee": "Jordan Lee",
    "tickettype": "General admission",
    "staffmember": "Sam Rivera",
    "reservablestaff": "Sam Rivera",
    "businesslocationstaff": "Sam Rivera",
    "tenant": "Demo Salon A",
    "formtemplate": "Liability waiver",
}

_STRINGS = {
    "publicId": "BK-8F3K2Q",
    "timeZone": "Europe/Berlin",
    "currency": "EUR",
    "country": "DE",
    "locale": "de-DE",
    "slug": "demo-salon-a",
    "phone": "+4930123456",
    "customerPhone": "+4930123456",
    "customerName": "Alex Morgan",
    "buyerName": "Alex Morgan",
    "attendeeName": "Jordan Lee",
    "staffMemberName": "Sam Rivera",
    "signerName": "Alex Morgan",
    "authorName": "API",
    "serviceName": "Haircut – 60 min",
    "ticketTypeName": "General admission",
    "resourceTypeName": "Treatment room",
    "formTemplateName": "Liability waiver",
    "eventName": "Summer Open Day",
    "title": "Senior stylist",
    "addressLine1": "Torstraße 1",
    "addressLine2": "2nd floor",
    "city": "Berlin",
    "region": "Berlin",
    "postalCode": "10119",
    "notes": "Prefers the window seat.",
    "body": "Called to confirm the appointment.",
    "subject": "Your appointment",
    "summary": "Booking BK-8F3K2Q created",
    "description": "Shown to customers.",
    "label": "Do you have any allergies?",
    "helpText": "List everything relevant.",
    "fileName": "liability-waiver.pdf",
    "contentType": "application/pdf",
    "code": "CTK-7H2Q-9XPL",
    "recipient": "alex@example.com",
    "reason": "Requested by the customer.",
    "comment": "Great service.",
    "moderationReason": "Looks genuine.",
    "errorMessage": "timeout",
    "traceId": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "eventType": "booking.created",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "url": "https://hooks.example.com/caldasa",
    "search": "alex",
    "id": "act_01J9Z8K3",
}

# Field values that depend on the owning entity: (entity, field) → value.
_BY_ENTITY_FIELD = {
    ("StaffMember", "email"): "sam@example.com",
    ("BusinessLocation", "email"): "downtown@example.com",
    ("WebhookSubscription", "description"): "Sync bookings to the CRM",
    ("WebhookSubscriptionWithSecret", "description"): "Sync bookings to the CRM",
    ("ResourceType", "description"): "Rooms with a treatment bed",
    ("Reservable", "description"): "Wash, cut and style.",
    ("TicketType", "description"): "Entry for one person.",
    ("BookableEvent", "description"): "Open day with demos and drinks.",
    ("FormTemplate", "description"): "Signed before the first visit.",
    ("OrderLineItem", "description"): "Haircut – 60 min",
}

# PATCH examples show a partial update (omitted fields stay unchanged), not every field.
UPDATE_EXAMPLES: dict[str, dict[str, Any]] = {
    "UpdatePublicCustomerRequest": {"phone": "+4930987654", "optInSms": True},
    "UpdatePublicCustomerNoteRequest": {"body": "Moved the appointment to Friday."},
    "UpdatePublicBookableEventRequest": {"capacity": 150, "description": "Now with a live band."},
    "UpdatePublicTicketTypeRequest": {"capacity": 120, "maxPerOrder": 6},
    "UpdatePublicBusinessLocationDetailsRequest": {"phone": "+4930555000", "isActive": True},
    "UpdatePublicBusinessLocationAddressRequest": {"addressLine1": "Torstraße 2", "postalCode": "10119"},
    "UpdatePublicReservableRequest": {"name": "Haircut & style", "isActive": True},
    "UpdatePublicResourceRequest": {"name": "Room 3"},
    "UpdatePublicResourceTypeRequest": {"description": "Rooms with a treatment bed and a sink"},
    "UpdatePublicStaffMemberRequest": {"title": "Lead stylist", "isBookable": False},
    "UpdatePublicWebhookSubscriptionRequest": {"eventTypes": ["booking.created", "booking.cancelled"]},
}

# Top-level fields of a response example that a specific operation's state implies.
RESPONSE_OVERRIDES: dict[str, dict[str, Any]] = {
    "createEvent": {"ticketsSold": 0, "ticketTypes": [], "attendees": []},
    "sendTestEvent": {"eventType": "webhook.test", "status": "Succeeded", "isTest": True},
    "publishEvent": {"status": "Published", "publishedAt": "2026-05-20T08:30:00.000Z"},
    "cancelEvent": {"status": "Cancelled", "cancelledAt": "2026-05-20T08:30:00.000Z"},
    "cancelBooking": {"status": "Cancelled"},
    "cancelTicketOrder": {"status": "Refunded", "cancelledAt": "2026-05-20T08:30:00.000Z"},
    "moderateReview": {"status": "Approved", "moderatedAt": "2026-05-20T08:30:00.000Z"},
}

_INTEGERS = {
    "priceCents": 4500,
    "unitPriceCents": 4500,
    "totalCents": 4500,
    "subtotalCents": 4500,
    "grossCents": 5000,
    "netCents": 5000,
    "durationMinutes": 60,
    "capacity": 100,
    "ticketsSold": 2,
    "soldCount": 2,
    "sold": 2,
    "remaining": 98,
    "ticketsRemaining": 98,
    "ticketCount": 1,
    "quantity": 1,
    "ordersCount": 1,
    "rating": 5,
    "page": 1,
    "pageSize": 25,
    "totalCount": 1,
    "dayOfWeek": 1,
    "version": 1,
    "order": 1,
    "sortOrder": 0,
    "attemptCount": 1,
    "responseStatusCode": 200,
    "durationMs": 120,
    "maxPerOrder": 10,
    "resourceCount": 1,
    "limit": 50,
    "discountCents": 0,
    "taxCents": 0,
    "paidCents": 0,
    "refundedCents": 0,
    "depositCents": 0,
    "cancelledOrdersCount": 0,
    "ticketsRedeemed": 0,
    "redeemed": 0,
}

# Entities whose id is referenced under another name elsewhere (`eventId`, `webhookId`, `ticketId`).
_ID_ALIASES = {
    "bookableevent": "event",
    "webhooksubscription": "webhook",
    "webhooksubscriptionwithsecret": "webhook",
    "ticketorderticket": "ticket",
    "orderticket": "ticket",
}

_DATE_TIMES = {
    "startsAt": "2026-06-01T09:00:00.000Z",
    "endsAt": "2026-06-01T10:00:00.000Z",
    "salesStartAt": "2026-05-01T00:00:00.000Z",
    "salesEndAt": "2026-06-01T08:00:00.000Z",
    "expiresAt": "2026-05-20T08:35:00.000Z",
}
_DEFAULT_DATE_TIME = "2026-05-20T08:30:00.000Z"

# Nullable response fields shown as null: they are set only in states the example is not in.
_NULL_BY_DEFAULT = frozenset(
    (
        "completedAt", "cancelledAt", "updatedAt", "moderatedAt", "moderationReason", "nextAttemptAt",
        "errorMessage", "messageId", "reviewId", "noteId", "ticketOrderId", "messageChannel", "redeemedAt",
        "paidAt", "publishedAt", "options", "eventId", "bookingItemId", "ticketTypeId",
    )
)  # fmt: skip
_BOOLEANS = {"optInSms": False, "isTest": False, "required": True}


def sample(schema: Schema, schemas: dict[str, Schema], name: str = "", owner: str = "") -> Any:
    """Return a value that validates against `schema` (components resolved from `schemas`)."""
    if "$ref" in schema:
        target = schema["$ref"].rsplit("/", 1)[-1]
        return sample(schemas[target], schemas, name, target)
    if "anyOf" in schema and "type" not in schema:
        return sample(schema["anyOf"][0], schemas, name, owner)
    if "enum" in schema:
        return _enum_value(schema, name)
    kind = _primary_type(schema)
    if kind == "object":
        return _sample_object(schema, schemas, owner)
    if kind == "array":
        count = max(1, schema.get("minItems", 1))
        return [sample(schema["items"], schemas, _singular(name), owner) for _ in range(count)]
    return _sample_scalar(kind, schema, name, owner)


def example_uuid(name: str) -> str:
    """A stable example uuid for `name` (the same name always gives the same id)."""
    return str(uuidlib.uuid5(_NAMESPACE, name.lower()))


def _sample_object(schema: Schema, schemas: dict[str, Schema], owner: str) -> dict[str, Any]:
    required = set(schema.get("required", ()))
    result: dict[str, Any] = {}
    for prop, prop_schema in schema.get("properties", {}).items():
        if prop in _NULL_BY_DEFAULT and _allows_null(prop_schema):
            if prop in required:
                result[prop] = None
            continue
        result[prop] = sample(prop_schema, schemas, prop, owner)
    return result


def _sample_scalar(kind: str, schema: Schema, name: str, owner: str) -> Any:
    if kind == "integer":
        value = _INTEGERS.get(name, 1)
        return min(max(value, schema.get("minimum", value)), schema.get("maximum", value))
    if kind == "boolean":
        return _BOOLEANS.get(name, True)
    if kind == "null":
        return None
    return _sample_string(schema, name, owner)


def _sample_string(schema: Schema, name: str, owner: str) -> str:
    fmt = schema.get("format")
    if fmt == "uuid":
        if name == "id":
            entity = _entity(owner).lower()
            return example_uuid(_ID_ALIASES.get(entity, entity))
        return example_uuid(name.removesuffix("Ids").removesuffix("Id"))
    if fmt == "date-time":
        return _DATE_TIMES.get(name, _DEFAULT_DATE_TIME)
    if fmt == "date":
        return "2026-06-01"
    override = _BY_ENTITY_FIELD.get((_entity(owner), name))
    if override is not None:
        return override[: schema.get("maxLength", len(override))]
    if schema.get("pattern") == EMAIL_PATTERN or name.lower().endswith("email"):
        return "alex@example.com"
    if schema.get("pattern") == LOCAL_TIME_PATTERN:
        return "17:00:00" if name == "closesAt" else "09:00:00"
    if name == "name":
        return _NAMES_BY_ENTITY.get(_entity(owner).lower(), "Example")
    if name == "type":
        return "booking.created"
    value = _STRINGS.get(name, "Example")
    return value[: schema.get("maxLength", len(value))]


def _enum_value(schema: Schema, name: str) -> Any:
    values = [v for v in schema["enum"] if v is not None]
    if name == "eventType" and "booking.created" in values:
        return "booking.created"
    return values[0]


def _entity(owner: str) -> str:
    """`PublicCustomerDto` and `CreatePublicCustomerRequest` → `Customer`."""
    name = owner.removeprefix("Create").removeprefix("Update").removeprefix("Public")
    for suffix in ("Request", "Dto", "Detail", "Details"):
        name = name.removesuffix(suffix)
    return name


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") else name


def _primary_type(schema: Schema) -> str:
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        return non_null[0] if non_null else "null"
    return str(kind)


def _allows_null(schema: Schema) -> bool:
    kind = schema.get("type")
    if isinstance(kind, list):
        return "null" in kind
    return any(option.get("type") == "null" for option in schema.get("anyOf", ()))

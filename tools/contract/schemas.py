"""The 103 component schemas of the seed, with the fields of design §3 as amended by §8.

Names are spelled exactly as in the seed's Schemas list. Response DTOs: every property required,
nullable only where the design says so. Requests: open objects, optional fields nullable (§8 #4).
"""

from __future__ import annotations

from .dsl import (
    Schema,
    array,
    boolean,
    cents,
    date,
    date_time,
    dto,
    email_input,
    enum,
    int32,
    paged,
    plain,
    ref,
    request,
    string,
    uuid,
)
from .values import (
    ACTIVITY_KINDS,
    CHANNELS,
    FORM_KINDS,
)


def any_of_branch(properties: dict[str, Schema], *names: str) -> Schema:
    """One branch of a customer rule (§8 #19): the named fields present and non-null."""
    return {"required": list(names), "properties": {name: properties[name] for name in names}}


def error_schemas() -> dict[str, Schema]:
    problem_fields: dict[str, Schema] = {
        "type": {"type": ["string", "null"], "format": "uri-reference", "description": "Problem-type URI."},
        "title": {"type": ["string", "null"], "description": "Short summary of the problem type."},
        "status": int32(100, 599, "Equals the HTTP status code of the response."),
        "detail": {
            "type": ["string", "null"],
            "description": "Explanation of this occurrence; never a stack trace.",
        },
        "instance": {"type": ["string", "null"], "format": "uri-reference"},
        "traceId": string(description="Correlation id for the server logs."),
        "code": string(description="Machine-readable snake_case reason (required on 404 and 409)."),
    }
    errors = {
        "type": "object",
        "minProperties": 1,
        "description": "Field path (camelCase JSON path, or parameter name, or `body`) → messages.",
        "additionalProperties": array(string(), 1),
    }
    return {
        "ProblemDetails": {
            "type": "object",
            "description": "RFC 9457 problem details; extension members are allowed.",
            "required": ["status"],
            "properties": problem_fields,
            "additionalProperties": True,
        },
        "ValidationProblemDetails": {
            "type": "object",
            "description": "Problem details for a 400, naming each offending field in `errors`.",
            "required": ["status", "errors"],
            "properties": {**problem_fields, "errors": errors},
            "additionalProperties": True,
        },
    }


def availability_schemas() -> dict[str, Schema]:
    return {
        "PublicAvailabilityResponse": dto(
            "Open slots of one service variant at one location on one local date.",
            {
                "reservableVariantId": uuid(),
                "businessLocationId": uuid(),
                "date": date("The local calendar date searched (location time zone)."),
                "timeZone": string(description="IANA time zone of the location."),
                "durationMinutes": int32(1),
                "slots": array(ref("PublicAvailabilitySlotDto")),
            },
        ),
        "PublicAvailabilitySlotDto": dto(
            "One bookable (start, staff member) pair; send `startsAt` verbatim as `items[].startsAt`.",
            {
                "startsAt": date_time(),
                "endsAt": date_time(),
                "staffMemberId": uuid("Null only when the reservable needs no staff."),
                "staffMemberName": string(),
            },
            "staffMemberId staffMemberName",
        ),
    }


def booking_schemas() -> dict[str, Schema]:
    """The five booking schemas: exactly the seed's fields, seed-faithful typing (§8 #10)."""
    contact = {
        "customerId": uuid(),
        "customerName": string(1, 200),
        "customerEmail": string(1, 254),
        "customerPhone": string(1, 32),
    }
    customer_rule = [
        any_of_branch(contact, "customerId"),
        any_of_branch(contact, "customerName", "customerEmail"),
        any_of_branch(contact, "customerName", "customerPhone"),
    ]
    create = request(
        "A booking of one or more services. Either `customerId`, or `customerName` plus "
        "`customerEmail` or `customerPhone`.",
        {
            "businessLocationId": uuid(),
            **contact,
            "notes": string(0, 2000),
            "optInEmail": boolean(default=False),
            "optInSms": boolean(default=False),
            "items": array(ref("CreatePublicBookingItemRequest"), 1, 10),
        },
        "businessLocationId items",
    )
    create["anyOf"] = customer_rule
    status_doc = "Lifecycle state; one of `Pending`, `Confirmed`, `Completed`, `Cancelled`, `NoShow`."
    return {
        "CreatePublicBookingRequest": create,
        "CreatePublicBookingItemRequest": request(
            "One service of a booking.",
            {
                "reservableVariantId": uuid(),
                "staffMemberId": uuid("Null ⇒ the server assigns an open staff member."),
                "startsAt": date_time("Must equal a slot start from `GET /availability`."),
                "resourceSelections": array(ref("PublicBookingResourceSelection"), 0, 10),
            },
            "reservableVariantId startsAt",
        ),
        "PublicBookingResourceSelection": request(
            "A resource choice for one booking item; omitted types are auto-allocated.",
            {
                "resourceTypeId": uuid(),
                "specificResourceId": uuid("Null ⇒ resource allocation picks a free unit."),
            },
            "resourceTypeId",
        ),
        "PublicBookingDto": dto(
            "A booking.",
            {
                "id": uuid(),
                "publicId": string(description="Short human reference shown to customers."),
                "businessLocationId": uuid(),
                "customerId": uuid(),
                "customerName": string(),
                "customerEmail": string(),
                "customerPhone": string(),
                "status": string(description=status_doc),
                "totalCents": cents(),
                "startsAt": date_time(),
                "endsAt": date_time(),
                "completedAt": date_time(),
                "notes": string(),
                "createdAt": date_time(),
                "items": array(ref("PublicBookingItemDto"), 1),
            },
            "customerId customerName customerEmail customerPhone completedAt notes",
        ),
        "PublicBookingItemDto": dto(
            "One booked service.",
            {
                "id": uuid(),
                "reservableVariantId": uuid(),
                "staffMemberId": uuid(),
                "serviceName": string(),
                "startsAt": date_time(),
                "endsAt": date_time(),
                "priceCents": cents(),
            },
            "staffMemberId",
        ),
        "PublicBookingListResponse": paged(
            "PublicBookingDto", "Bookings, newest first (`createdAt desc, id desc`)."
        ),
        "PublicSignedFormDto": dto(
            "A signed waiver or intake form attached to a booking.",
            {
                "id": uuid(),
                "bookingId": uuid(),
                "customerId": uuid(),
                "formTemplateId": uuid(),
                "formTemplateName": string(),
                "kind": enum(*FORM_KINDS),
                "signerName": string(),
                "signedAt": date_time(),
            },
            "customerId formTemplateId signerName",
        ),
        "PublicSignedFormListResponse": plain(
            "PublicSignedFormDto", "Signed forms of a booking, `signedAt desc`."
        ),
        "PublicSignedFormDownloadDto": dto(
            "A time-limited pre-signed URL for a signed form's PDF.",
            {
                "signedFormId": uuid(),
                "url": string(
                    fmt="uri", description="Absolute URL; works without Authorization until `expiresAt`."
                ),
                "expiresAt": date_time(),
                "fileName": string(),
                "contentType": string(),
            },
        ),
    }


def customer_schemas() -> dict[str, Schema]:
    contact = {"email": email_input(), "phone": string(1, 32)}
    create = request(
        "A new customer; at least one of `email` and `phone`.",
        {
            "name": string(1, 200),
            **contact,
            "optInEmail": boolean(default=False),
            "optInSms": boolean(default=False),
        },
        "name",
    )
    create["anyOf"] = [any_of_branch(contact, "email"), any_of_branch(contact, "phone")]
    return {
        "PublicCustomerDto": dto(
            "A customer.",
            {
                "id": uuid(),
                "name": string(),
                "email": string(),
                "phone": string(),
                "optInEmail": boolean(),
                "optInSms": boolean(),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "email phone updatedAt",
        ),
        "CreatePublicCustomerRequest": create,
        "UpdatePublicCustomerRequest": request(
            "Partial update; omitted or null fields are left unchanged.",
            {
                "name": string(1, 200),
                "email": email_input(),
                "phone": string(1, 32),
                "optInEmail": boolean(),
                "optInSms": boolean(),
            },
        ),
        "PublicCustomerListResponse": paged("PublicCustomerDto", "Customers, `createdAt desc, id desc`."),
        "PublicCustomerActivityDto": dto(
            "One entry of a customer's activity timeline.",
            {
                "id": string(),
                "customerId": uuid(),
                "kind": enum(*ACTIVITY_KINDS),
                "occurredAt": date_time(),
                "summary": string(),
                "bookingId": uuid(),
                "noteId": uuid(),
                "messageChannel": enum(*CHANNELS),
                "ticketOrderId": uuid(),
                "messageId": uuid("Set iff `kind` is `MessageSent`."),
                "reviewId": uuid("Set iff `kind` is `ReviewSubmitted`."),
            },
            "bookingId noteId messageChannel ticketOrderId messageId reviewId",
        ),
        "PublicCustomerActivityListResponse": plain(
            "PublicCustomerActivityDto", "Recent activities, `occurredAt desc, id desc`, at most `limit`."
        ),
        "PublicCustomerNoteDto": dto(
            "An internal note about a customer.",
            {
                "id": uuid(),
                "customerId": uuid(),
                "body": string(),
                "authorName": string(),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "authorName updatedAt",
        ),
        "CreatePublicCustomerNoteRequest": request("A new note.", {"body": string(1, 4000)}, "body"),
        "UpdatePublicCustomerNoteRequest": request(
            "The replacement note text.", {"body": string(1, 4000)}, "body"
        ),
        "PublicCustomerNoteListResponse": paged("PublicCustomerNoteDto", "Notes, `createdAt desc, id desc`."),
        "SendPublicCustomerMessageRequest": request(
            "A message to send to the customer.",
            {
                "channel": enum(*CHANNELS),
                "subject": string(1, 200, description="Email subject; ignored for `Sms`."),
                "body": string(1, 5000),
                "bookingId": uuid("Optional booking of this customer the message relates to."),
            },
            "channel body",
        ),
        "SendPublicCustomerMessageResult": dto(
            "A message accepted for asynchronous delivery.",
            {
                "messageId": uuid(),
                "customerId": uuid(),
                "channel": enum(*CHANNELS),
                "status": enum("Queued", "Sent"),
                "recipient": string(description="The exact email address or phone number used."),
                "queuedAt": date_time(),
            },
        ),
    }

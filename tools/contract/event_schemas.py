"""Component schemas of ticketed events, ticket types, sales reports and ticket orders (design §3.5)."""

from __future__ import annotations

from .dsl import (
    CURRENCY_PATTERN,
    Schema,
    array,
    boolean,
    cents,
    cents_input,
    count,
    date_time,
    dto,
    enum,
    int32,
    nullable,
    paged,
    plain,
    ref,
    request,
    string,
    uuid,
)
from .values import (
    EVENT_STATUSES,
    TICKET_ORDER_STATUSES,
    TICKET_STATUSES,
)


def _event_fields() -> dict[str, Schema]:
    return {
        "id": uuid(),
        "name": string(),
        "status": enum(*EVENT_STATUSES),
        "businessLocationId": uuid(),
        "startsAt": date_time(),
        "endsAt": date_time(),
        "capacity": int32(1, None, "Configured event-wide cap; null if none."),
        "ticketsSold": count(),
        "publishedAt": date_time(),
        "cancelledAt": date_time(),
        "createdAt": date_time(),
        "updatedAt": date_time(),
    }


_EVENT_NULLABLE = "businessLocationId capacity publishedAt cancelledAt updatedAt"


def event_schemas() -> dict[str, Schema]:
    event_input = {
        "name": string(1, 200),
        "description": string(0, 10000),
        "businessLocationId": uuid(),
        "startsAt": date_time(),
        "endsAt": date_time(),
        "capacity": int32(1, 100000),
    }
    ticket_type_input = {
        "name": string(1, 100),
        "description": string(0, 2000),
        "priceCents": cents_input(),
        "capacity": int32(1, 100000),
        "salesStartAt": date_time(),
        "salesEndAt": date_time(),
        "maxPerOrder": int32(1, 100),
    }
    detail_fields = {
        **_event_fields(),
        "description": string(),
        "ticketTypes": array(ref("PublicTicketTypeDto")),
        "bookingSummary": ref("PublicBookableEventBookingSummaryDto"),
        "attendees": array(ref("PublicBookableEventAttendeeDto")),
    }
    return {
        "PublicBookableEventDto": dto("A ticketed event (list view).", _event_fields(), _EVENT_NULLABLE),
        "PublicBookableEventDetailDto": dto(
            "A ticketed event with ticket types, counters and attendees.",
            detail_fields,
            _EVENT_NULLABLE + " description",
        ),
        "PublicBookableEventBookingSummaryDto": dto(
            "Sales and attendance counters of an event.",
            {
                "capacity": int32(0, None, "Effective capacity: min(cap, Σ ticket-type capacities)."),
                "ticketsSold": count(),
                "ticketsRemaining": count(),
                "ticketsRedeemed": count(),
                "ordersCount": count(),
                "cancelledOrdersCount": count(),
                "grossCents": cents(),
            },
        ),
        "PublicBookableEventAttendeeDto": dto(
            "One attendee = one non-cancelled ticket.",
            {
                "ticketId": uuid(),
                "ticketOrderId": uuid(),
                "ticketTypeId": uuid(),
                "ticketTypeName": string(),
                "name": string(),
                "email": string(),
                "status": enum("Valid", "Redeemed"),
                "redeemedAt": date_time(),
            },
            "email redeemedAt",
        ),
        "PublicBookableEventListResponse": paged("PublicBookableEventDto", "Events, `startsAt asc, id asc`."),
        "CreatePublicBookableEventRequest": request(
            "A new event (created as `Draft`).", event_input, "name startsAt endsAt"
        ),
        "UpdatePublicBookableEventRequest": request(
            "Partial update; omitted or null fields are left unchanged.", event_input
        ),
        "PublicTicketTypeDto": dto(
            "A ticket tier of an event.",
            {
                "id": uuid(),
                "eventId": uuid(),
                "name": string(),
                "description": string(),
                "priceCents": cents(),
                "capacity": count(),
                "soldCount": count(),
                "remaining": count(),
                "salesStartAt": date_time(),
                "salesEndAt": date_time(),
                "maxPerOrder": int32(1, 100),
                "isOnSale": boolean(),
                "createdAt": date_time(),
            },
            "description salesStartAt salesEndAt maxPerOrder",
        ),
        "CreatePublicTicketTypeRequest": request(
            "A new ticket type.", ticket_type_input, "name priceCents capacity"
        ),
        "UpdatePublicTicketTypeRequest": request(
            "Partial update; omitted or null fields are left unchanged.", ticket_type_input
        ),
        "PublicTicketTypeListResponse": plain(
            "PublicTicketTypeDto", "Ticket types, `createdAt asc, id asc`."
        ),
        **ticket_sales_schemas(),
    }


def ticket_sales_schemas() -> dict[str, Schema]:
    return {
        "PublicTicketSalesReportDto": dto(
            "Ticket sales of one event with a per-tier breakdown.",
            {
                "eventId": uuid(),
                "currency": string(pattern=CURRENCY_PATTERN),
                "generatedAt": date_time(),
                "capacity": count(),
                "ticketsSold": count(),
                "ticketsRedeemed": count(),
                "ordersCount": count(),
                "cancelledOrdersCount": count(),
                "grossCents": cents(),
                "refundedCents": cents(),
                "netCents": cents(),
                "tiers": array(ref("PublicTicketSalesReportTier")),
            },
        ),
        "PublicTicketSalesReportTier": dto(
            "Sales of one ticket type.",
            {
                "ticketTypeId": uuid(),
                "ticketTypeName": string(),
                "priceCents": cents(),
                "capacity": count(),
                "sold": count(),
                "redeemed": count(),
                "remaining": count(),
                "grossCents": cents(),
            },
        ),
        "PublicTicketOrderDto": dto(
            "A ticket order of an event (same id as its commerce Order).",
            {
                "id": uuid(),
                "publicId": string(),
                "eventId": uuid(),
                "customerId": uuid(),
                "buyerName": string(),
                "buyerEmail": string(),
                "status": enum(*TICKET_ORDER_STATUSES),
                "ticketCount": count(),
                "totalCents": cents(),
                "createdAt": date_time(),
                "cancelledAt": date_time(),
                "tickets": array(ref("PublicTicketOrderTicketDto"), 1),
            },
            "customerId buyerEmail cancelledAt",
        ),
        "PublicTicketOrderTicketDto": dto(
            "One ticket of a ticket order.",
            {
                "id": uuid(),
                "ticketTypeId": uuid(),
                "ticketTypeName": string(),
                "attendeeName": string(),
                "attendeeEmail": string(),
                "code": string(description="Opaque QR payload; send it to `POST /tickets/redeem`."),
                "status": enum(*TICKET_STATUSES),
                "redeemedAt": date_time(),
            },
            "attendeeName attendeeEmail redeemedAt",
        ),
        "PublicTicketOrdersResponse": _ticket_orders_response(),
        "CancelPublicTicketOrderRequest": request(
            "How to cancel a ticket order.",
            {
                "reason": string(0, 500),
                # Not a Create request, so its defaulted booleans are nullable too (§8 #4).
                "refund": nullable(
                    boolean("Refund the paid amount (→ `Refunded`) or void it (→ `Cancelled`).", True)
                ),
                "notifyCustomer": nullable(boolean("Email the buyer.", True)),
            },
        ),
    }


def _ticket_orders_response() -> Schema:
    """Paged wrapper plus the echoed `eventId` (a superset of the paged shape)."""
    schema = paged("PublicTicketOrderDto", "Ticket orders of an event, `createdAt desc, id desc`.")
    schema["required"] = ["eventId", *schema["required"]]
    schema["properties"] = {"eventId": uuid(), **schema["properties"]}
    return schema

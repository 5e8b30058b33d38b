"""Component schemas of resources, reviews, staff, tenant, tickets and webhooks (design §3.10–§3.15)."""

from __future__ import annotations

from .dsl import (
    COUNTRY_PATTERN,
    CURRENCY_PATTERN,
    WEBHOOK_EVENT_TYPES,
    WEBHOOK_URL_PATTERN,
    Schema,
    array,
    boolean,
    date_time,
    dto,
    email_input,
    enum,
    event_type_list,
    int32,
    paged,
    plain,
    request,
    string,
    uuid,
    uuid_list,
)
from .values import (
    DELIVERY_STATUSES,
    REVIEW_STATUSES,
)


def resource_schemas() -> dict[str, Schema]:
    return {
        "PublicResourceDto": dto(
            "A physical resource unit (room, chair, bay …).",
            {
                "id": uuid(),
                "name": string(),
                "resourceTypeId": uuid(),
                "resourceTypeName": string(),
                "businessLocationId": uuid(),
                "isActive": boolean(),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "updatedAt",
        ),
        "CreatePublicResourceRequest": request(
            "A new resource.",
            {
                "name": string(1, 200),
                "resourceTypeId": uuid(),
                "businessLocationId": uuid(),
                "isActive": boolean(default=True),
            },
            "name resourceTypeId businessLocationId",
        ),
        "UpdatePublicResourceRequest": request(
            "Partial update (the type is immutable); omitted or null fields are left unchanged.",
            {"name": string(1, 200), "isActive": boolean(), "businessLocationId": uuid()},
        ),
        "PublicResourceListResponse": paged("PublicResourceDto", "Resources, `name asc, id asc`."),
        "PublicResourceTypeDto": dto(
            "A kind of resource.",
            {
                "id": uuid(),
                "name": string(),
                "description": string(),
                "resourceCount": int32(0, None, "Active resources of this type."),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "description updatedAt",
        ),
        "CreatePublicResourceTypeRequest": request(
            "A new resource type.", {"name": string(1, 100), "description": string(0, 1000)}, "name"
        ),
        "UpdatePublicResourceTypeRequest": request(
            "Partial update; omitted or null fields are left unchanged.",
            {"name": string(1, 100), "description": string(0, 1000)},
        ),
        "PublicResourceTypeListResponse": plain(
            "PublicResourceTypeDto", "Resource types, `name asc, id asc`."
        ),
    }


def review_schemas() -> dict[str, Schema]:
    return {
        "PublicReviewDto": dto(
            "A customer review.",
            {
                "id": uuid(),
                "rating": int32(1, 5),
                "comment": string(),
                "status": enum(*REVIEW_STATUSES),
                "customerId": uuid(),
                "customerName": string(),
                "bookingId": uuid(),
                "staffMemberId": uuid(),
                "businessLocationId": uuid(),
                "moderationReason": string(),
                "moderatedAt": date_time(),
                "createdAt": date_time(),
            },
            "comment customerId customerName bookingId staffMemberId businessLocationId "
            "moderationReason moderatedAt",
        ),
        "ModeratePublicReviewRequest": request(
            "A moderation decision.",
            {"status": enum("Approved", "Rejected"), "reason": string(0, 500)},
            "status",
        ),
        "PublicReviewListResponse": paged("PublicReviewDto", "Reviews, `createdAt desc, id desc`."),
    }


def staff_schemas() -> dict[str, Schema]:
    member_input = {
        "name": string(1, 200),
        "email": email_input(),
        "phone": string(1, 32),
        "title": string(1, 100),
    }
    return {
        "PublicStaffMemberDto": dto(
            "A staff member.",
            {
                "id": uuid(),
                "name": string(),
                "email": string(),
                "phone": string(),
                "title": string(),
                "isBookable": boolean(),
                "isActive": boolean(),
                "businessLocationIds": array(uuid(), description="Locations this member is assigned to."),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "email phone title updatedAt",
        ),
        "CreatePublicStaffMemberRequest": request(
            "A new staff member.",
            {**member_input, "isBookable": boolean(default=True), "businessLocationIds": uuid_list()},
            "name",
        ),
        "UpdatePublicStaffMemberRequest": request(
            "Partial update; omitted or null fields are left unchanged.",
            {**member_input, "isBookable": boolean(), "isActive": boolean()},
        ),
        "PublicStaffMemberListResponse": paged("PublicStaffMemberDto", "Staff members, `name asc, id asc`."),
        "PublicStaffShiftDto": dto(
            "A dated working window of a staff member at a location.",
            {
                "id": uuid(),
                "staffMemberId": uuid(),
                "businessLocationId": uuid(),
                "startsAt": date_time(),
                "endsAt": date_time(),
                "notes": string(),
                "createdAt": date_time(),
            },
            "notes",
        ),
        "CreatePublicStaffShiftRequest": request(
            "A new shift (at most 24 h, at a location the member is assigned to).",
            {
                "businessLocationId": uuid(),
                "startsAt": date_time(),
                "endsAt": date_time(),
                "notes": string(0, 500),
            },
            "businessLocationId startsAt endsAt",
        ),
        "PublicStaffShiftListResponse": paged("PublicStaffShiftDto", "Shifts, `startsAt asc, id asc`."),
        "PublicStaffBlockDto": dto(
            "Time off of a staff member (any location).",
            {
                "id": uuid(),
                "staffMemberId": uuid(),
                "startsAt": date_time(),
                "endsAt": date_time(),
                "reason": string(),
                "createdAt": date_time(),
            },
            "reason",
        ),
        "CreatePublicStaffBlockRequest": request(
            "A new block (at most 366 days).",
            {"startsAt": date_time(), "endsAt": date_time(), "reason": string(0, 500)},
            "startsAt endsAt",
        ),
        "PublicStaffBlockListResponse": paged("PublicStaffBlockDto", "Blocks, `startsAt asc, id asc`."),
    }


def tenant_and_ticket_schemas() -> dict[str, Schema]:
    return {
        "PublicTenantDto": dto(
            "The tenant (business account) bound to the bearer token.",
            {
                "id": uuid(),
                "name": string(),
                "slug": string(),
                "timeZone": string(),
                "currency": string(pattern=CURRENCY_PATTERN, description="Currency of every `…Cents` field."),
                "country": string(pattern=COUNTRY_PATTERN),
                "locale": string(),
                "createdAt": date_time(),
            },
            "slug country locale",
        ),
        "RedeemPublicTicketRequest": request(
            "A scanned ticket code.",
            {
                "code": string(1, 256, description="The ticket `code` (QR payload)."),
                "eventId": uuid("The scanner's event; a mismatch answers 409 `wrong_event`."),
            },
            "code",
        ),
        "PublicTicketRedemptionResultDto": dto(
            "A successful check-in.",
            {
                "ticketId": uuid(),
                "ticketOrderId": uuid(),
                "eventId": uuid(),
                "eventName": string(),
                "ticketTypeId": uuid(),
                "ticketTypeName": string(),
                "attendeeName": string(),
                "status": enum("Redeemed"),
                "redeemedAt": date_time(),
            },
            "attendeeName",
        ),
    }


def webhook_schemas() -> dict[str, Schema]:
    subscription = {
        "id": uuid(),
        # No ^https:// pattern on the response side: test servers may hold loopback http URLs
        # (--allow-insecure-webhooks); requests carry the pattern (§8 #64).
        "url": string(fmt="uri", description="The receiver endpoint (https)."),
        "eventTypes": event_type_list(1, unique=True),
        "description": string(),
        "isActive": boolean(),
        "createdAt": date_time(),
        "updatedAt": date_time(),
    }
    url_input = string(1, 2048, pattern=WEBHOOK_URL_PATTERN, fmt="uri")
    return {
        "PublicWebhookEventDescriptorDto": dto(
            "A webhook event type.",
            {"type": enum(*WEBHOOK_EVENT_TYPES), "description": string()},
        ),
        "PublicWebhookEventTypeListResponse": plain(
            "PublicWebhookEventDescriptorDto", "The event-type catalogue, `type asc`."
        ),
        "PublicWebhookSubscriptionDto": dto(
            "A webhook subscription (never carries the secret).", subscription, "description updatedAt"
        ),
        "PublicWebhookSubscriptionWithSecretDto": dto(
            "A webhook subscription with its signing secret (only from create and rotate).",
            {
                **subscription,
                "secret": string(pattern="^whsec_", description="Standard Webhooks signing secret."),
            },
            "description updatedAt",
        ),
        "CreatePublicWebhookSubscriptionRequest": request(
            "A new webhook subscription.",
            {
                "url": url_input,
                "eventTypes": event_type_list(1),
                "description": string(0, 500),
                "isActive": boolean(default=True),
            },
            "url eventTypes",
        ),
        "UpdatePublicWebhookSubscriptionRequest": request(
            "Partial update (never the secret); omitted or null fields are left unchanged.",
            {
                "url": url_input,
                "eventTypes": event_type_list(1),
                "description": string(0, 500),
                "isActive": boolean(),
            },
        ),
        "PublicWebhookSubscriptionListResponse": plain(
            "PublicWebhookSubscriptionDto", "Webhook subscriptions, `createdAt asc, id asc`."
        ),
        "PublicWebhookDeliveryDto": dto(
            "One delivery of one event to one subscription.",
            {
                "id": uuid(),
                "webhookId": uuid(),
                "eventId": uuid("Equals the `webhook-id` header of the delivery."),
                "eventType": string(),
                "status": enum(*DELIVERY_STATUSES),
                "isTest": boolean(),
                "attemptCount": int32(0),
                "responseStatusCode": int32(100, 599),
                "durationMs": int32(0),
                "errorMessage": string(),
                "createdAt": date_time(),
                "lastAttemptAt": date_time(),
                "nextAttemptAt": date_time(),
            },
            "responseStatusCode durationMs errorMessage lastAttemptAt nextAttemptAt",
        ),
        "PublicWebhookDeliveryListResponse": paged(
            "PublicWebhookDeliveryDto", "Deliveries, `createdAt desc, id desc`."
        ),
    }

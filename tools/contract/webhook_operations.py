"""Operations of the Tenant, Tickets and Webhooks tags."""

from __future__ import annotations

from .dsl import WEBHOOK_EVENT_TYPES, enum, string
from .operations import (
    FREE_FORM,
    IS_ACTIVE,
    Op,
    Query,
    q_statuses,
)
from .values import (
    DELIVERY_STATUSES,
)


def tenant_ticket_webhook_ops() -> list[Op]:
    webhook = "/webhooks/{webhookId}"
    return [
        Op(
            "getCurrentTenant",
            "Tenant",
            "GET",
            "/tenant",
            "Get the current tenant",
            "Fetches the tenant bound to the bearer token.",
            "PublicTenantDto",
        ),
        Op(
            "redeemTicket",
            "Tickets",
            "POST",
            "/tickets/redeem",
            "Redeem a ticket",
            "Checks a ticket in by its code. Only a first valid redemption is a 2xx; an unknown code is 404.",
            "PublicTicketRedemptionResultDto",
            body="RedeemPublicTicketRequest",
            conflicts=("wrong_event", "ticket_cancelled", "already_redeemed", "event_not_active"),
        ),
        Op(
            "listEventTypes",
            "Webhooks",
            "GET",
            "/webhooks/event-types",
            "List event types",
            "Lists the webhook event-type catalogue, `type asc`.",
            "PublicWebhookEventTypeListResponse",
        ),
        Op(
            "getEventTypeSample",
            "Webhooks",
            "GET",
            "/webhooks/event-types/{eventType}/sample",
            "Get an event-type sample",
            "Returns the exact envelope a delivery of this event type would POST "
            "(`id`, `type`, `occurredAt`, `tenantId`, `data`).",
            FREE_FORM,
        ),
        Op(
            "listWebhooks",
            "Webhooks",
            "GET",
            "/webhooks",
            "List webhooks",
            "Lists webhook subscriptions, `createdAt asc, id asc`; never includes secrets.",
            "PublicWebhookSubscriptionListResponse",
            query=(IS_ACTIVE,),
        ),
        Op(
            "createWebhook",
            "Webhooks",
            "POST",
            "/webhooks",
            "Create a webhook",
            "Creates a webhook subscription. The signing secret is returned only here and by rotation.",
            "PublicWebhookSubscriptionWithSecretDto",
            201,
            "CreatePublicWebhookSubscriptionRequest",
            creates="webhookId",
        ),
        Op(
            "updateWebhook",
            "Webhooks",
            "PATCH",
            webhook,
            "Update a webhook",
            "Partially updates a subscription; never changes or returns the secret.",
            "PublicWebhookSubscriptionDto",
            body="UpdatePublicWebhookSubscriptionRequest",
        ),
        Op(
            "deleteWebhook",
            "Webhooks",
            "DELETE",
            webhook,
            "Delete a webhook",
            "Deletes a webhook subscription.",
            status=204,
        ),
        Op(
            "rotateWebhookSecret",
            "Webhooks",
            "POST",
            webhook + "/rotate-secret",
            "Rotate webhook secret",
            "Replaces the signing secret; later deliveries are signed with the new secret only.",
            "PublicWebhookSubscriptionWithSecretDto",
        ),
        Op(
            "sendTestEvent",
            "Webhooks",
            "POST",
            webhook + "/test",
            "Send a test event",
            "Performs one synchronous delivery attempt (5 s timeout) and returns the recorded delivery.",
            "PublicWebhookDeliveryDto",
            query=(
                Query(
                    "eventType",
                    {**enum(*WEBHOOK_EVENT_TYPES), "default": "webhook.test"},
                    "Event type of the synthetic payload.",
                ),
            ),
            conflicts=("webhook_inactive",),
        ),
        Op(
            "listWebhookDeliveries",
            "Webhooks",
            "GET",
            webhook + "/deliveries",
            "List webhook deliveries",
            "Lists the deliveries of a subscription, test deliveries included, `createdAt desc, id desc`.",
            "PublicWebhookDeliveryListResponse",
            paged=True,
            query=(
                q_statuses(DELIVERY_STATUSES),
                Query("eventType", string(1, 64), "Only deliveries of this event type."),
            ),
        ),
    ]

"""Operations of the Availability, Bookings and Customers tags."""

from __future__ import annotations

from .dsl import date, int32
from .operations import (
    DUPLICATE_EMAIL,
    LOCATION_FILTER,
    Op,
    Query,
    q_bool,
    q_range,
    q_search,
    q_statuses,
    q_uuid,
)
from .values import (
    ACTIVITY_KINDS,
    BOOKING_STATUSES,
)


def booking_ops() -> list[Op]:
    return [
        Op(
            "listAvailabilitySlots",
            "Availability",
            "GET",
            "/availability",
            "List availability slots",
            "Returns the open booking slots for a single service variant on a given date, at one location, "
            "optionally for one staff member. Unknown ids answer 400; unusable combinations answer an empty "
            "`slots` array.",
            "PublicAvailabilityResponse",
            query=(
                q_uuid("reservableVariantId", "The service variant to search.", True),
                Query("date", date(), "Local calendar date in the location's time zone.", True),
                q_uuid("businessLocationId", "The location whose hours, staff and resources are used.", True),
                q_uuid("staffMemberId", "Only slots of this staff member."),
            ),
        ),
        Op(
            "listBookings",
            "Bookings",
            "GET",
            "/bookings",
            "List bookings",
            "Lists bookings across the tenant, newest first (`createdAt desc, id desc`). Optional filters "
            "combine with AND.",
            "PublicBookingListResponse",
            paged=True,
            query=(
                q_statuses(BOOKING_STATUSES),
                LOCATION_FILTER,
                q_uuid("staffMemberId", "Only bookings with an item of this staff member."),
                q_uuid("customerId", "Only bookings of this customer."),
                q_uuid("resourceId", "Only bookings with an item holding this resource unit."),
                *q_range("startsAt"),
            ),
        ),
        Op(
            "createBooking",
            "Bookings",
            "POST",
            "/bookings",
            "Create a booking",
            "Creates a new reservation through the same pipeline the portal uses — resource allocation, "
            "conflict checks, deposit policies, customer linkage, and outbound confirmation messages all run "
            "as on the portal.",
            "PublicBookingDto",
            201,
            "CreatePublicBookingRequest",
            conflicts=("slot_unavailable", "resource_unavailable", "idempotency_key_reused"),
            creates="bookingId",
        ),
        Op(
            "getBooking",
            "Bookings",
            "GET",
            "/bookings/{bookingId}",
            "Get a booking",
            "Fetches a single booking by ID.",
            "PublicBookingDto",
        ),
        Op(
            "cancelBooking",
            "Bookings",
            "POST",
            "/bookings/{bookingId}/cancel",
            "Cancel a booking",
            "Cancels a booking and runs the standard portal-side cancellation flow: staff and resources are "
            "freed, a pending deposit order is cancelled and the customer is notified.",
            "PublicBookingDto",
            query=(q_bool("notifyCustomer", "Send the cancellation message to the customer.", True),),
            conflicts=("already_cancelled", "booking_not_cancellable"),
        ),
        Op(
            "listSignedForms",
            "Bookings",
            "GET",
            "/bookings/{bookingId}/signed-forms",
            "List signed forms",
            "Lists the signed waivers and intake forms attached to a booking, `signedAt desc`. Each entry "
            "carries no URL; mint one with the download-url operation.",
            "PublicSignedFormListResponse",
        ),
        Op(
            "getSignedFormDownloadUrl",
            "Bookings",
            "GET",
            "/bookings/{bookingId}/signed-forms/{signedFormId}/download-url",
            "Get a signed-form download URL",
            "Returns a time-limited signed URL for a single signed form's PDF. The URL works without a "
            "bearer token until `expiresAt`; request a new one rather than storing it.",
            "PublicSignedFormDownloadDto",
        ),
    ]


def customer_ops() -> list[Op]:
    return [
        Op(
            "listCustomers",
            "Customers",
            "GET",
            "/customers",
            "List customers",
            "Lists customers in the current tenant, `createdAt desc, id desc`. Optional search over name, "
            "email and phone.",
            "PublicCustomerListResponse",
            paged=True,
            query=(q_search("name, email and phone"),),
        ),
        Op(
            "createCustomer",
            "Customers",
            "POST",
            "/customers",
            "Create a customer",
            "Creates a customer. Emails are unique per tenant (case-insensitive).",
            "PublicCustomerDto",
            201,
            "CreatePublicCustomerRequest",
            conflicts=DUPLICATE_EMAIL,
            creates="customerId",
        ),
        Op(
            "getCustomer",
            "Customers",
            "GET",
            "/customers/{customerId}",
            "Get a customer",
            "Fetches a single customer by ID.",
            "PublicCustomerDto",
        ),
        Op(
            "updateCustomer",
            "Customers",
            "PATCH",
            "/customers/{customerId}",
            "Update a customer",
            "Partially updates a customer. Fields omitted (or sent as `null`) are left unchanged.",
            "PublicCustomerDto",
            body="UpdatePublicCustomerRequest",
            conflicts=DUPLICATE_EMAIL,
        ),
        Op(
            "listCustomerActivities",
            "Customers",
            "GET",
            "/customers/{customerId}/activities",
            "List customer activities",
            "Recent activity timeline for a customer (booking events, notes, messages — plus signed forms, "
            "ticket orders and reviews), `occurredAt desc, id desc`, at most `limit` entries.",
            "PublicCustomerActivityListResponse",
            query=(
                Query("limit", {**int32(1, 100), "default": 50}, "Maximum number of entries."),
                q_statuses(ACTIVITY_KINDS, "kind"),
            ),
        ),
        Op(
            "listCustomerNotes",
            "Customers",
            "GET",
            "/customers/{customerId}/notes",
            "List customer notes",
            "Lists notes attached to a customer, `createdAt desc, id desc`.",
            "PublicCustomerNoteListResponse",
            paged=True,
        ),
        Op(
            "createCustomerNote",
            "Customers",
            "POST",
            "/customers/{customerId}/notes",
            "Create a customer note",
            "Adds an internal note to a customer.",
            "PublicCustomerNoteDto",
            201,
            "CreatePublicCustomerNoteRequest",
            creates="noteId",
        ),
        Op(
            "updateCustomerNote",
            "Customers",
            "PATCH",
            "/customers/{customerId}/notes/{noteId}",
            "Update a customer note",
            "Replaces the text of a note.",
            "PublicCustomerNoteDto",
            body="UpdatePublicCustomerNoteRequest",
        ),
        Op(
            "deleteCustomerNote",
            "Customers",
            "DELETE",
            "/customers/{customerId}/notes/{noteId}",
            "Delete a customer note",
            "Deletes a note; its `NoteCreated` activity stays.",
            status=204,
        ),
        Op(
            "sendCustomerMessage",
            "Customers",
            "POST",
            "/customers/{customerId}/messages",
            "Send a customer message",
            "Queues an email or SMS to the customer. Delivery is asynchronous; SMS needs the customer's "
            "`optInSms` consent.",
            "SendPublicCustomerMessageResult",
            202,
            "SendPublicCustomerMessageRequest",
            conflicts=("no_email", "no_phone", "sms_not_permitted"),
        ),
    ]

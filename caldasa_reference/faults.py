"""The one registry of fault switches. Each fault breaks exactly one requirement of the contract.

A fault is a switch checked at one point in the code (``ctx.fault("name")``), never a fork of it.
Switch faults on with ``caldasa-reference serve --fault NAME`` (repeatable).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    requirement: str
    description: str


FAULTS: tuple[Fault, ...] = (
    Fault("booking-missing-public-id", "S1", "booking DTOs omit `publicId`"),
    Fault(
        "malformed-created-at", "S1", "customer DTOs emit `createdAt` as `2026-01-01 10:00:00` (not RFC 3339)"
    ),
    Fault("undocumented-status", "S2", "createCustomer answers 200 instead of 201"),
    Fault("missing-location-header", "T8", "201 responses carry no `Location`"),
    Fault("plain-text-errors", "T6", "404 bodies are `text/plain`"),
    Fault("problem-status-mismatch", "T6", "problem `status` member differs from the HTTP status (on 409s)"),
    Fault("stack-trace-in-detail", "T6", "409 `detail` contains a Python traceback text"),
    Fault(
        "accepts-invalid-input", "V1", "createCustomer accepts a `name` longer than 200 and a missing `name`"
    ),
    Fault(
        "invalid-input-conflict",
        "V1",
        "createLocation answers a schema-invalid body with 409 duplicate_name instead of 400",
    ),
    Fault("server-error-on-edge", "S4", "listCustomers `search` containing `%` answers 500"),
    Fault("auth-bypass", "T2", "unknown bearer tokens are accepted as the first tenant"),
    Fault("tenant-leak", "T1", "getCustomer finds customers of any tenant"),
    Fault("pagination-overlap", "T3", "page N>1 starts one item early (duplicates across pages)"),
    Fault("delete-not-effective", "T7", "deleteCustomerNote answers 204 but keeps the note"),
    Fault("patch-null-clears", "K1", "updateCustomer sets fields sent as null to null"),
    Fault("webhook-secret-leak", "W1", "listWebhooks items include `secret`"),
    Fault("webhook-bad-signature", "W3", "deliveries are signed with a wrong key"),
    Fault("double-booking-staff", "B1", "createBooking skips the staff-overlap check"),
    Fault("double-allocation-resource", "B2", "createBooking skips the resource-overlap check"),
    Fault("availability-ignores-bookings", "A2", "availability does not subtract existing bookings"),
    Fault("availability-ignores-blocks", "B5", "availability and createBooking ignore staff blocks"),
    Fault(
        "cancel-not-sticky",
        "C1",
        "cancelBooking answers Cancelled but the stored booking stays Confirmed",
    ),
    Fault("cancel-twice-allowed", "C2", "cancelling a cancelled booking answers 200"),
    Fault("event-republish", "E1", "publishEvent allowed from any status"),
    Fault("ticket-oversell", "E3", "ticket-order provider state ignores capacity"),
    Fault("redeem-twice", "R1", "redeemTicket never answers already_redeemed"),
    Fault("missing-retry-after", "T5", "429 responses omit Retry-After"),
    # --- booking rules (B3, B4, B6-B11, T10)
    Fault("booking-ignores-business-hours", "B3", "createBooking accepts items outside the business hours"),
    Fault("booking-ignores-shifts", "B4", "createBooking accepts items outside the staff member's shifts"),
    Fault("booking-ignores-eligibility", "B6", "createBooking accepts staff not eligible for the service"),
    Fault("booking-off-grid-accepted", "B7", "createBooking accepts an off-grid start inside an open slot"),
    Fault(
        "booking-partial-create",
        "B8",
        "a multi-item request refused at a later item still stores the earlier items as a booking",
    ),
    Fault("booking-total-first-item", "B9", "booking `totalCents` is the first item's price, not the sum"),
    Fault("customer-linkage-case-sensitive", "B10", "booking customer linkage by email is case-sensitive"),
    Fault("booking-unknown-variant-404", "B11", "createBooking answers 404 for unknown reservableVariantId"),
    Fault(
        "idempotency-no-replay",
        "T9",
        "createBooking retried with the same Idempotency-Key and an equal body is handled as a new booking",
    ),
    Fault(
        "availability-ignores-dst",
        "T10",
        "availability converts business hours with local midnight's UTC offset (wrong on DST change days)",
    ),
    # --- availability and lifecycle rules (B12, A1, A3, A4, L1, C3, C4)
    Fault("booking-created-activity-missing", "B12", "createBooking records no `BookingCreated` activity"),
    Fault(
        "closing-slot-refused",
        "A1",
        "createBooking refuses a listed slot whose end meets the end of the free time (off by one)",
    ),
    Fault("slot-ends-after-grid-step", "A3", "availability slots end 15 minutes after `startsAt`"),
    Fault("availability-counts-cancelled", "A4", "availability still treats cancelled bookings as busy"),
    Fault("cancel-sets-completed-at", "L1", "cancelBooking sets `completedAt` on the cancelled booking"),
    Fault("cancel-activity-missing", "C3", "cancelBooking records no `BookingCancelled` activity"),
    Fault("cancelled-bookings-unlisted", "C4", "listBookings leaves out cancelled bookings"),
    # --- event and ticket rules (E2, E4-E8, R2, R3)
    Fault("publish-without-ticket-types", "E2", "publishEvent skips the no_ticket_types check"),
    Fault("ticket-price-unlocked", "E4", "updateTicketType changes the price of a ticket type with sales"),
    Fault("report-net-minus-refunds", "E5", "sales report netCents subtracts refundedCents (withdrawn rule)"),
    Fault("order-cancel-keeps-tickets", "E6", "cancelTicketOrder leaves the order's tickets Valid (sold)"),
    Fault("resend-cancelled-order", "E7", "resendTicketQrCodes answers 202 for a cancelled order"),
    Fault("attendees-one-per-order", "E8", "event attendees list one entry per ticket order, not per ticket"),
    Fault("redeem-cancelled-ticket", "R2", "redeemTicket skips the ticket_cancelled check"),
    Fault("order-tickets-not-redeemed", "R3", "getOrder shows redeemed tickets as Valid without redeemedAt"),
    # --- webhook, customer and contract rules (W2, W4-W6, K2-K4, K6, S3, T4)
    Fault("rotation-not-applied", "W2", "rotation returns a new secret but deliveries keep the old one"),
    Fault("test-event-deferred", "W4", "sendTestEvent queues the attempt and answers the Pending delivery"),
    Fault("inactive-webhook-delivered", "W5", "events are delivered to inactive subscriptions too"),
    Fault("unknown-event-type-sample", "W6", "getEventTypeSample answers 200 for unknown event types"),
    Fault("duplicate-email-case-sensitive", "K2", "the duplicate-email check is case-sensitive"),
    Fault("note-edit-keeps-updated-at", "K3", "updateCustomerNote changes the body, leaves updatedAt null"),
    Fault("sms-without-consent", "K4", "sendCustomerMessage queues SMS to customers without SMS consent"),
    Fault("moderation-without-timestamp", "K6", "moderateReview sets the status but stores moderatedAt null"),
    Fault("created-as-text-json", "S3", "201 answers declare `Content-Type: text/json`"),
    Fault("customers-oldest-first", "T4", "listCustomers orders oldest first (createdAt ascending)"),
    # --- the stateless checks' other halves (T1 bodies and lists, T3 paging, T7, T8, T12 filters)
    Fault("staff-foreign-location", "T1", "createStaffMember accepts another tenant's location ids"),
    Fault("locations-of-all-tenants", "T1", "listLocations lists the locations of every tenant"),
    Fault("page-size-clamped", "T3", "a pageSize above 100 is clamped to 100 instead of answering 400"),
    Fault("page-past-end-repeats", "T3", "a page past the end repeats the last page instead of `items: []`"),
    Fault("total-count-drifts", "T3", "`totalCount` on pages after the first counts one item more"),
    Fault("second-delete-succeeds", "T7", "deleteResourceType answers 204 for a type already deleted"),
    Fault("delete-in-use-allowed", "T7", "deleteResourceType deletes a type that resources or services use"),
    Fault("unknown-property-rejected", "T8", "createLocation answers 400 for an unknown JSON property"),
    Fault("created-body-differs", "T8", "createLocation's 201 body has `updatedAt` set; its GET has null"),
    Fault("list-filter-ignored", "T12", "listBookings ignores `customerId`: every customer's bookings show"),
    # --- catalog and races: caught by the catalog machine and the race probes (suites/catalog, concurrency)
    Fault(
        "location-lost-update",
        "K1",
        "updateLocation applies the patch to the location as created, losing earlier updates",
    ),
    Fault(
        "location-delete-no-cascade",
        "T7",
        "deleteLocation leaves the staff assignments and shifts of the deleted location in place",
    ),
    Fault(
        "location-in-use-deletable", "T7", "deleteLocation deletes a location that resources or services use"
    ),
    Fault(
        "booking-lock-removed",
        "B1",
        "createBooking awaits between its checks and its write: parallel identical bookings all answer 201",
    ),
    Fault(
        "redeem-lock-removed",
        "R1",
        "redeemTicket awaits between its check and its write: parallel redeems of one code all answer 200",
    ),
    Fault(
        "duplicate-names-accepted",
        "T11",
        "createLocation and updateLocation accept a name that a live location of the tenant has",
    ),
    # --- a sick transport (caldasa_reference/unwell.py): the suite must name the cause, not a business rule
    Fault("hang-every-n", "S4", "every 7th availability query answers after the client's timeout (3 times)"),
    Fault("truncate-every-n", "S1", "every 15th JSON answer's body is cut in half"),
    Fault("gateway-page-every-n", "S4", "every 20th answer is a gateway's HTML 502 page"),
)

FAULT_NAMES: frozenset[str] = frozenset(fault.name for fault in FAULTS)


class UnknownFaultError(ValueError):
    """A fault name that is not in the registry."""


def validate_fault_names(names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Return ``names`` as a frozenset, or raise :class:`UnknownFaultError` naming the valid faults."""
    unknown = sorted(set(names) - FAULT_NAMES)
    if unknown:
        valid = ", ".join(fault.name for fault in FAULTS)
        raise UnknownFaultError(f"unknown fault {', '.join(unknown)}; valid faults: {valid}")
    return frozenset(names)

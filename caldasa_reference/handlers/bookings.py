"""Bookings over HTTP: list, create, get and cancel (design §4.1, §4.3, §8 #28–#37)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from caldasa_reference.domain import occupancy
from caldasa_reference.domain.booking_create import PlacedItem, ResolvedItem, place, resolve
from caldasa_reference.domain.codes import public_reference
from caldasa_reference.domain.derived import booking_summary, service_name, sort_items
from caldasa_reference.domain.timeline import format_instant, parse_instant
from caldasa_reference.lists import as_list, paginate
from caldasa_reference.routing import ProblemError, Reply, RequestContext, Write, locked_operation, operation
from caldasa_reference.store import (
    Record,
    TenantStore,
    add_activity,
    add_outbox,
    create_customer,
    emit_event,
    find_customer_by_email,
    new_id,
    ordered,
    public,
)

IDEMPOTENCY_TTL = timedelta(hours=24)


def booking_dto(booking: Record) -> Record:
    return public(booking)


# --- customer linkage (§8 #34) --------------------------------------------------------------------------


def link_customer(ctx: RequestContext, body: dict[str, Any]) -> Record:
    """The customer the booking belongs to: given, matched by lower-cased email, or created."""
    tenant = ctx.tenant
    customer_id = body.get("customerId")
    customer = tenant.customers[str(customer_id).lower()] if customer_id else None
    if customer is None and ctx.fault("customer-linkage-case-sensitive"):  # B10: exact email match
        email = body.get("customerEmail")
        customer = next((c for c in tenant.customers.values() if email and c.get("email") == email), None)
    elif customer is None:
        customer = find_customer_by_email(tenant, body.get("customerEmail"))
    if customer is None:
        return create_customer(
            tenant,
            name=body["customerName"],
            email=body.get("customerEmail"),
            phone=body.get("customerPhone"),
            opt_in_email=bool(body.get("optInEmail")),
            opt_in_sms=bool(body.get("optInSms")),
        )
    _or_consents(tenant, customer, body)
    return customer


def _or_consents(tenant: TenantStore, customer: Record, body: dict[str, Any]) -> None:
    changed = False
    for field in ("optInEmail", "optInSms"):
        if body.get(field) and not customer.get(field):
            customer[field] = True
            changed = True
    if changed:
        customer["updatedAt"] = tenant.now_iso()


# --- persistence ----------------------------------------------------------------------------------------


def build_booking(
    ctx: RequestContext,
    body: dict[str, Any],
    location: Record,
    placed: Sequence[PlacedItem],
    customer: Record,
) -> Record:
    items = sort_items([_item_record(entry) for entry in placed])
    deposit = sum(int(entry.resolved.offer.variant.get("depositCents") or 0) for entry in placed)
    booking: Record = {
        "id": new_id(),
        "publicId": public_reference(ctx.tenant, "BK"),
        "businessLocationId": location["id"],
        "customerId": customer["id"],
        "customerName": _snapshot(body, "customerName", customer, "name"),
        "customerEmail": _snapshot(body, "customerEmail", customer, "email"),
        "customerPhone": _snapshot(body, "customerPhone", customer, "phone"),
        "status": "Pending" if deposit > 0 else "Confirmed",
        **booking_summary(items),
        "completedAt": None,
        "notes": body.get("notes"),
        "createdAt": ctx.tenant.now_iso(),
        "items": list(items),
        "_orderId": None,
    }
    if ctx.fault("booking-total-first-item"):  # B9
        booking["totalCents"] = items[0]["priceCents"]
    return booking


def _snapshot(body: dict[str, Any], field: str, customer: Record, customer_field: str) -> Any:
    value = body.get(field)
    return value if value is not None else customer.get(customer_field)


def _item_record(entry: PlacedItem) -> Record:
    offer, interval = entry.resolved.offer, entry.resolved.interval
    return {
        "id": new_id(),
        "reservableVariantId": offer.variant["id"],
        "staffMemberId": entry.staff_id,
        "serviceName": service_name(offer.reservable["name"], offer.variant["name"]),
        "startsAt": format_instant(interval.start),
        "endsAt": format_instant(interval.end),
        "priceCents": int(offer.variant["priceCents"]),
        "_resourceIds": list(entry.resource_ids),
        "_depositCents": int(offer.variant.get("depositCents") or 0),
    }


def deposit_order(tenant: TenantStore, booking: Record) -> Record:
    """The `Pending` Order of a deposit booking: one `Deposit` line per item (§8 #33)."""
    lines = [
        {
            "id": new_id(),
            "kind": "Deposit",
            "description": f"{item['serviceName']} (deposit)",
            "quantity": 1,
            "unitPriceCents": item["_depositCents"],
            "totalCents": item["_depositCents"],
            "bookingItemId": item["id"],
            "ticketTypeId": None,
        }
        for item in booking["items"]
    ]
    total = sum(int(line["totalCents"]) for line in lines)
    order: Record = {
        "id": new_id(),
        "publicId": public_reference(tenant, "OR"),
        "status": "Pending",
        "source": "Booking",
        "customerId": booking["customerId"],
        "customerName": booking["customerName"],
        "customerEmail": booking["customerEmail"],
        "bookingId": booking["id"],
        "eventId": None,
        "subtotalCents": total,
        "discountCents": 0,
        "taxCents": 0,
        "totalCents": total,
        "paidCents": 0,
        "refundedCents": 0,
        "currency": tenant.currency,
        "createdAt": tenant.now_iso(),
        "paidAt": None,
        "lineItems": lines,
        "tickets": [],
    }
    tenant.orders[order["id"]] = order
    return order


def store_booking(ctx: RequestContext, booking: Record) -> None:
    """Persist, index, and run the portal side effects: order, activity, confirmation, webhook."""
    tenant = ctx.tenant
    tenant.bookings[booking["id"]] = booking
    occupancy.index(tenant).add(booking)
    if booking["status"] == "Pending":
        booking["_orderId"] = deposit_order(tenant, booking)["id"]
    summary = f"Booking {booking['publicId']} created"
    if not ctx.fault("booking-created-activity-missing"):
        add_activity(tenant, booking["customerId"], "BookingCreated", summary, bookingId=booking["id"])
    add_outbox(tenant, "BookingConfirmation", **_recipient(booking))
    emit_event(tenant, "booking.created", booking_dto(booking))


def _recipient(booking: Record) -> dict[str, Any]:
    email, phone = booking.get("customerEmail"), booking.get("customerPhone")
    return {
        "customerId": booking["customerId"],
        "bookingId": booking["id"],
        "channel": "Email" if email else "Sms",
        "recipient": email or phone,
    }


# --- idempotency (§8 #36) -------------------------------------------------------------------------------


def _idempotency_key(ctx: RequestContext) -> str | None:
    return ctx.headers.get("idempotency-key")


def _stored_attempt(ctx: RequestContext, key: str) -> Record | None:
    stored = ctx.tenant.idempotency.get(key)
    if stored is None or parse_instant(stored["storedAt"]) + IDEMPOTENCY_TTL <= ctx.tenant.now():
        return None
    return stored


# --- handlers -------------------------------------------------------------------------------------------


def _store_accepted_prefix(
    ctx: RequestContext,
    body: dict[str, Any],
    location: Record,
    resolved: Sequence[ResolvedItem],
    reply: Reply,
) -> None:
    """Store the items before the refused one as a booking (only the `booking-partial-create` fault)."""
    refused_at = reply.body.get("itemIndex") if isinstance(reply.body, dict) else None
    if not refused_at:
        return
    placed = place(ctx, resolved[:refused_at])
    store_booking(ctx, build_booking(ctx, body, location, placed, link_customer(ctx, body)))


@locked_operation("createBooking", lock_fault="booking-lock-removed")
def create_booking(ctx: RequestContext) -> Reply | Write:
    body: dict[str, Any] = ctx.body
    key = _idempotency_key(ctx)
    stored = _stored_attempt(ctx, key) if key else None
    # The fault (T9) handles a retry as a new booking: it then meets its own slot taken.
    if stored is not None and stored["body"] == body and not ctx.fault("idempotency-no-replay"):
        return ctx.created(stored["reply"], stored["location"])
    location, resolved = resolve(ctx, body)
    try:
        placed = place(ctx, resolved)
    except ProblemError as refused:
        if ctx.fault("booking-partial-create"):  # B8: items committed one by one, no rollback
            _store_accepted_prefix(ctx, body, location, resolved, refused.reply)
        raise
    if stored is not None:
        return ctx.conflict("idempotency_key_reused", "This Idempotency-Key was used with a different body.")
    return Write(lambda: _store_new_booking(ctx, body, location, placed, key))


def _store_new_booking(
    ctx: RequestContext, body: dict[str, Any], location: Record, placed: Sequence[PlacedItem], key: str | None
) -> Reply:
    """The write half of createBooking: everything `place` checked is still true (the handler's lock)."""
    customer = link_customer(ctx, body)
    booking = build_booking(ctx, body, location, placed, customer)
    store_booking(ctx, booking)
    dto, where = booking_dto(booking), f"/bookings/{booking['id']}"
    if key:
        ctx.tenant.idempotency[key] = {
            "body": body,
            "reply": dto,
            "location": where,
            "storedAt": booking["createdAt"],
        }
    return ctx.created(dto, where)


@operation("getBooking")
def get_booking(ctx: RequestContext) -> Reply:
    booking = ctx.tenant.bookings.get(ctx.path["bookingId"])
    if booking is None:
        return ctx.not_found("booking")
    return ctx.ok(booking_dto(booking))


def _matches_filters(ctx: RequestContext, booking: Record) -> bool:
    query = ctx.query
    statuses = as_list(query.get("status"))
    if statuses and booking["status"] not in statuses:
        return False
    for field in ("businessLocationId", "customerId"):
        if field == "customerId" and ctx.fault("list-filter-ignored"):  # T12: the filter is not applied
            continue
        if query.get(field) is not None and booking.get(field) != str(query[field]).lower():
            return False
    staff = query.get("staffMemberId")
    if staff is not None and all(
        item.get("staffMemberId") != str(staff).lower() for item in booking["items"]
    ):
        return False
    unit = query.get("resourceId")
    if unit is not None and all(
        str(unit).lower() not in item.get("_resourceIds", ()) for item in booking["items"]
    ):
        return False
    return _in_range(booking["startsAt"], query.get("from"), query.get("to"))


def _in_range(starts_at: str, low: Any, high: Any) -> bool:
    start = parse_instant(starts_at)
    if low is not None and start < parse_instant(str(low)):
        return False
    return high is None or start < parse_instant(str(high))


@operation("listBookings")
def list_bookings(ctx: RequestContext) -> Reply:
    found = [booking for booking in ctx.tenant.bookings.values() if _matches_filters(ctx, booking)]
    if ctx.fault("cancelled-bookings-unlisted"):
        found = [booking for booking in found if booking["status"] != "Cancelled"]
    return ctx.ok(paginate(ctx, ordered(found, "createdAt", descending=True), booking_dto))


# --- cancel (§8 #35) ------------------------------------------------------------------------------------


@operation("cancelBooking")
def cancel_booking(ctx: RequestContext) -> Reply:
    tenant = ctx.tenant
    booking = tenant.bookings.get(ctx.path["bookingId"])
    if booking is None:
        return ctx.not_found("booking")
    if booking["status"] == "Cancelled":
        if ctx.fault("cancel-twice-allowed"):
            return ctx.ok(booking_dto(booking))
        return ctx.conflict("already_cancelled", "The booking is already cancelled.")
    if booking["status"] not in ("Pending", "Confirmed"):
        return ctx.conflict("booking_not_cancellable", f"A {booking['status']} booking cannot be cancelled.")
    if ctx.fault("cancel-not-sticky"):
        return ctx.ok({**booking_dto(booking), "status": "Cancelled"})
    cancel_stored_booking(ctx, booking, notify=ctx.query.get("notifyCustomer", True) is not False)
    return ctx.ok(booking_dto(booking))


def cancel_stored_booking(ctx: RequestContext, booking: Record, *, notify: bool) -> None:
    tenant = ctx.tenant
    occupancy.index(tenant).remove(booking)
    booking["status"] = "Cancelled"
    if ctx.fault("cancel-sets-completed-at"):
        booking["completedAt"] = tenant.now_iso()
    order = tenant.orders.get(booking.get("_orderId") or "")
    if order is not None and order["status"] == "Pending":
        order["status"] = "Cancelled"
    summary = f"Booking {booking['publicId']} cancelled"
    if booking.get("customerId") and not ctx.fault("cancel-activity-missing"):
        add_activity(tenant, booking["customerId"], "BookingCancelled", summary, bookingId=booking["id"])
    if notify:
        add_outbox(tenant, "BookingCancellation", **_recipient(booking))
    emit_event(tenant, "booking.cancelled", booking_dto(booking))

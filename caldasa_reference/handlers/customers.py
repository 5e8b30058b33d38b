"""Customers, their notes, messages and activity timeline (§2 Customers; §8 #56–#59; K1–K4)."""

from __future__ import annotations

from typing import Any

from caldasa_reference.handlers._common import bad_request, contains_ci
from caldasa_reference.lists import as_list, paginate, plain
from caldasa_reference.routing import ProblemError, Reply, RequestContext, conflict, operation
from caldasa_reference.store import (
    Record,
    add_activity,
    add_outbox,
    create_customer,
    customer_dto,
    emit_event,
    find_customer_by_email,
    new_id,
    ordered,
    public,
)

CUSTOMER_FIELDS = ("name", "email", "phone", "optInEmail", "optInSms")
DEFAULT_ACTIVITY_LIMIT = 50


def customer_or_404(ctx: RequestContext) -> Record:
    customer_id = ctx.path["customerId"]
    customer = ctx.tenant.customers.get(customer_id)
    if customer is None and ctx.operation_id == "getCustomer" and ctx.fault("tenant-leak"):
        customer = next(
            (t.customers[customer_id] for t in ctx.services.tenants if customer_id in t.customers), None
        )
    if customer is None:
        raise ProblemError(ctx.not_found("customer"))
    return customer


def _check_email_free(ctx: RequestContext, email: str | None, exclude_id: str | None = None) -> None:
    existing = find_customer_by_email(ctx.tenant, email)
    if existing is not None and existing["email"] != email and ctx.fault("duplicate-email-case-sensitive"):
        existing = None
    if existing is not None and existing["id"] != exclude_id:
        raise ProblemError(conflict("duplicate_email", "A customer with this email already exists."))


@operation("listCustomers")
def list_customers(ctx: RequestContext) -> Reply:
    search = ctx.query.get("search")
    if search and "%" in search and ctx.fault("server-error-on-edge"):
        raise RuntimeError("unescaped LIKE pattern")  # becomes a 500 through the catch-all
    records = [
        c
        for c in ctx.tenant.customers.values()
        if not search or contains_ci((c["name"], c["email"], c["phone"]), search)
    ]
    newest_first = not ctx.fault("customers-oldest-first")
    ordered_records = ordered(records, "createdAt", descending=newest_first)
    return ctx.ok(paginate(ctx, ordered_records, lambda c: customer_dto(ctx.tenant, c)))


@operation("createCustomer")
def create_customer_handler(ctx: RequestContext) -> Reply:
    body: dict[str, Any] = ctx.body
    _check_email_free(ctx, body.get("email"))
    customer = create_customer(
        ctx.tenant,
        name=body.get("name") or "",
        email=body.get("email"),
        phone=body.get("phone"),
        opt_in_email=bool(body.get("optInEmail", False)),
        opt_in_sms=bool(body.get("optInSms", False)),
    )
    dto = customer_dto(ctx.tenant, customer)
    if ctx.fault("undocumented-status"):
        return ctx.ok(dto)
    return ctx.created(dto, f"/customers/{customer['id']}")


@operation("getCustomer")
def get_customer(ctx: RequestContext) -> Reply:
    return ctx.ok(customer_dto(ctx.tenant, customer_or_404(ctx)))


@operation("updateCustomer")
def update_customer(ctx: RequestContext) -> Reply:
    customer = customer_or_404(ctx)
    body: dict[str, Any] = ctx.body
    _check_email_free(ctx, body.get("email"), exclude_id=customer["id"])
    clears_nulls = ctx.fault("patch-null-clears")
    changed = False
    for name in CUSTOMER_FIELDS:
        if name not in body or (body[name] is None and not clears_nulls):
            continue
        if customer.get(name) != body[name]:
            customer[name] = body[name]
            changed = True
    if changed:
        customer["updatedAt"] = ctx.tenant.now_iso()
        emit_event(ctx.tenant, "customer.updated", customer_dto(ctx.tenant, customer))
    return ctx.ok(customer_dto(ctx.tenant, customer))


@operation("listCustomerActivities")
def list_customer_activities(ctx: RequestContext) -> Reply:
    customer = customer_or_404(ctx)
    kinds = as_list(ctx.query.get("kind"))
    limit = int(ctx.query.get("limit", DEFAULT_ACTIVITY_LIMIT))
    records = [
        a
        for a in ctx.tenant.activities.values()
        if a["customerId"] == customer["id"] and (not kinds or a["kind"] in kinds)
    ]
    return ctx.ok(plain(ordered(records, "occurredAt", descending=True)[:limit]))


def note_or_404(ctx: RequestContext, customer: Record) -> Record:
    note = ctx.tenant.notes.get(ctx.path["noteId"])
    if note is None or note["customerId"] != customer["id"]:
        raise ProblemError(ctx.not_found("note"))
    return note


@operation("listCustomerNotes")
def list_customer_notes(ctx: RequestContext) -> Reply:
    customer = customer_or_404(ctx)
    records = [n for n in ctx.tenant.notes.values() if n["customerId"] == customer["id"]]
    return ctx.ok(paginate(ctx, ordered(records, "createdAt", descending=True)))


@operation("createCustomerNote")
def create_customer_note(ctx: RequestContext) -> Reply:
    customer = customer_or_404(ctx)
    note: Record = {
        "id": new_id(),
        "customerId": customer["id"],
        "body": ctx.body["body"],
        "authorName": "API",
        "createdAt": ctx.tenant.now_iso(),
        "updatedAt": None,
    }
    ctx.tenant.notes[note["id"]] = note
    add_activity(ctx.tenant, customer["id"], "NoteCreated", "Note added", noteId=note["id"])
    emit_event(ctx.tenant, "customer.note.created", public(note))
    return ctx.created(public(note), f"/customers/{customer['id']}/notes/{note['id']}")


@operation("updateCustomerNote")
def update_customer_note(ctx: RequestContext) -> Reply:
    note = note_or_404(ctx, customer_or_404(ctx))
    if ctx.body["body"] != note["body"]:
        note["body"] = ctx.body["body"]
        if not ctx.fault("note-edit-keeps-updated-at"):
            note["updatedAt"] = ctx.tenant.now_iso()
    return ctx.ok(public(note))


@operation("deleteCustomerNote")
def delete_customer_note(ctx: RequestContext) -> Reply:
    note = note_or_404(ctx, customer_or_404(ctx))
    if not ctx.fault("delete-not-effective"):
        del ctx.tenant.notes[note["id"]]
    return ctx.no_content()


def _recipient(ctx: RequestContext, customer: Record, channel: str) -> str:
    """The address for ``channel``, or the 409 of §8 #57 (no_email; no_phone, sms_not_permitted)."""
    if channel == "Email":
        if not customer.get("email"):
            raise ProblemError(conflict("no_email", "The customer has no email address."))
        return str(customer["email"])
    if not customer.get("phone"):
        raise ProblemError(conflict("no_phone", "The customer has no phone number."))
    if not customer.get("optInSms") and not ctx.fault("sms-without-consent"):
        raise ProblemError(conflict("sms_not_permitted", "The customer has not opted in to SMS."))
    return str(customer["phone"])


@operation("sendCustomerMessage")
def send_customer_message(ctx: RequestContext) -> Reply:
    customer = customer_or_404(ctx)
    body: dict[str, Any] = ctx.body
    booking_id = body["bookingId"].lower() if body.get("bookingId") else None
    if booking_id is not None:
        booking = ctx.tenant.bookings.get(booking_id)
        if booking is None or booking.get("customerId") != customer["id"]:
            raise bad_request("bookingId", "No booking of this customer has this id.")
    channel = body["channel"]
    recipient = _recipient(ctx, customer, channel)
    subject = None
    if channel == "Email":
        subject = body.get("subject") or f"Message from {ctx.tenant.name}"
    result: Record = {
        "messageId": new_id(),
        "customerId": customer["id"],
        "channel": channel,
        "status": "Queued",
        "recipient": recipient,
        "queuedAt": ctx.tenant.now_iso(),
    }
    ctx.tenant.messages[result["messageId"]] = {**result, "id": result["messageId"], "_bookingId": booking_id}
    add_activity(
        ctx.tenant,
        customer["id"],
        "MessageSent",
        f"{channel} message sent",
        messageChannel=channel,
        messageId=result["messageId"],
    )
    add_outbox(
        ctx.tenant,
        "CustomerMessage",
        customerId=customer["id"],
        bookingId=booking_id,
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body["body"],
    )
    emit_event(ctx.tenant, "customer.message.sent", dict(result))
    return ctx.accepted(result)

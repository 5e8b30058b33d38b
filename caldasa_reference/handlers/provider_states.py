"""Provider states of the booking domain (testing API, design §8 #65–#66 and the provider-states table); the
core states live next to their handlers (forms.py, reviews.py).

States build their data through the same handlers the public API uses (`invoke`), so what they create obeys
every rule the API enforces.
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caldasa_reference.domain.ticket_sales import Buyer, Line, place_ticket_order
from caldasa_reference.domain.timeline import UTC, format_instant
from caldasa_reference.handlers.events import publish
from caldasa_reference.routing import HANDLERS, ProblemError, RequestContext, param_error, provider_state
from caldasa_reference.store import Record, add_activity, emit_event, new_id, public


def short_token() -> str:
    """A random suffix for unique names. Not a slice of a new id: a UUIDv7 (`uuid-v7` variant) starts with
    its timestamp, so two ids of one millisecond share their first characters."""
    return secrets.token_hex(4)


def invoke(
    ctx: RequestContext, operation_id: str, body: Any = None, path: dict[str, str] | None = None
) -> Any:
    """Run a registered operation handler for the caller's tenant; a non-2xx reply is raised as is."""
    inner = dataclasses.replace(
        ctx, operation_id=operation_id, path=path or {}, query={}, body=body, headers={}
    )
    try:
        reply = HANDLERS[operation_id](inner)
    except ProblemError as error:
        reply = error.reply
    if reply.status >= 300:
        raise ProblemError(reply)
    return reply.body


def _invalid_state(detail: str) -> ProblemError:
    return ProblemError(RequestContext.conflict("invalid_state", detail))


def _param_id(params: dict[str, Any], name: str, collection: dict[str, Record]) -> Record:
    value = params.get(name)
    record = collection.get(value.lower()) if isinstance(value, str) else None
    if record is None:
        raise param_error(name, "Required; must name an existing record of the caller's tenant.")
    return record


MAX_TICKETS_PER_STATE = 1000  # keeps a provider state (and the `ticket-oversell` fault) from running away


def _positive_int(
    params: dict[str, Any], name: str, default: int, *, low: int = 1, high: int = 100_000_000
) -> int:
    value = params.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise param_error(name, f"Must be an integer in {low}..{high}.")
    return value


# --- tickets and events ---------------------------------------------------------------------------------


def _lines(ctx: RequestContext, event: Record, params: dict[str, Any]) -> list[Line]:
    raw = params.get("lines")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 100:
        raise param_error("lines", "Required: 1..100 entries {ticketTypeId, quantity}.")
    lines = []
    for index, entry in enumerate(raw):
        tier_id = entry.get("ticketTypeId") if isinstance(entry, dict) else None
        tier = ctx.tenant.ticket_types.get(tier_id.lower()) if isinstance(tier_id, str) else None
        if tier is None or tier["eventId"] != event["id"]:
            raise param_error(f"lines[{index}].ticketTypeId", "Must be a ticket type of the event.")
        try:
            lines.append(Line(tier, _positive_int(entry, "quantity", 1, high=MAX_TICKETS_PER_STATE)))
        except ProblemError:
            raise param_error(
                f"lines[{index}].quantity", f"Must be an integer in 1..{MAX_TICKETS_PER_STATE}."
            ) from None
    return lines


def _buyer(ctx: RequestContext, params: dict[str, Any]) -> Buyer:
    customer_id = params.get("customerId")
    if customer_id is not None:
        customer_id = _param_id(params, "customerId", ctx.tenant.customers)["id"]
    name, email = params.get("buyerName") or "Ticket Buyer", params.get("buyerEmail")
    if not isinstance(name, str) or (email is not None and not isinstance(email, str)):
        raise param_error("buyerName", "buyerName and buyerEmail must be strings.")
    return Buyer(name, email, customer_id)


def _order_ids(order: Record) -> dict[str, Any]:
    return {
        "ticketOrderId": order["id"],
        "orderId": order["id"],
        "customerId": order["customerId"],
        "tickets": [
            {"ticketId": t["id"], "ticketTypeId": t["ticketTypeId"], "code": t["code"]}
            for t in order["tickets"]
        ],
    }


@provider_state("ticket-order")
def ticket_order_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    event = _param_id(params, "eventId", ctx.tenant.events)
    order = place_ticket_order(ctx, event, _lines(ctx, event, params), _buyer(ctx, params))
    return _order_ids(order)


def _new_event(ctx: RequestContext, starts: datetime, capacity: int, price: int) -> tuple[Record, Record]:
    tenant, short = ctx.tenant, short_token()
    event: Record = {
        "id": new_id(),
        "name": f"Provider-state event {short}",
        "description": None,
        "status": "Draft",
        "businessLocationId": None,
        "startsAt": format_instant(starts),
        "endsAt": format_instant(starts + timedelta(hours=3)),
        "capacity": None,
        "publishedAt": None,
        "cancelledAt": None,
        "createdAt": tenant.now_iso(),
        "updatedAt": None,
    }
    tier: Record = {
        "id": new_id(),
        "eventId": event["id"],
        "name": "General admission",
        "description": None,
        "priceCents": price,
        "capacity": capacity,
        "salesStartAt": None,
        "salesEndAt": None,
        "maxPerOrder": None,
        "createdAt": tenant.now_iso(),
    }
    tenant.events[event["id"]] = event
    tenant.ticket_types[tier["id"]] = tier
    return event, tier


def _midnight_in(ctx: RequestContext, days: int) -> datetime:
    return datetime.combine(ctx.tenant.now().date() + timedelta(days=days), time(0), tzinfo=UTC)


@provider_state("event-with-paid-ticket-order")
def event_with_paid_ticket_order(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    quantity = _positive_int(params, "quantity", 2, high=MAX_TICKETS_PER_STATE)
    capacity = _positive_int(params, "capacity", 10, high=100_000)
    price = _positive_int(params, "priceCents", 2500, low=0)
    event, tier = _new_event(ctx, _midnight_in(ctx, 7) + timedelta(hours=18), capacity, price)
    publish(ctx, event)
    order = place_ticket_order(ctx, event, [Line(tier, quantity)], Buyer("Ticket Buyer", None, None))
    ids = _order_ids(order)
    tickets = [{"ticketId": t["ticketId"], "code": t["code"]} for t in ids["tickets"]]
    return {
        "eventId": event["id"],
        "ticketTypeId": tier["id"],
        "ticketOrderId": order["id"],
        "tickets": tickets,
    }


@provider_state("ended-draft-event")
def ended_draft_event(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    event, tier = _new_event(ctx, _midnight_in(ctx, -2), 10, 1000)
    return {"eventId": event["id"], "ticketTypeId": tier["id"]}


# --- booking lifecycle ----------------------------------------------------------------------------------


def _finish_booking(ctx: RequestContext, params: dict[str, Any], status: str) -> dict[str, Any]:
    tenant = ctx.tenant
    booking = _param_id(params, "bookingId", tenant.bookings)
    if booking["status"] != "Confirmed":
        raise _invalid_state(f"The booking is {booking['status']}, not Confirmed.")
    booking["status"] = status
    if status == "Completed":
        booking["completedAt"] = tenant.now_iso()
    kind, event_type, verb = {
        "Completed": ("BookingCompleted", "booking.completed", "completed"),
        "NoShow": ("BookingNoShow", "booking.no_show", "marked as no-show"),
    }[status]
    if booking.get("customerId"):
        summary = f"Booking {booking['publicId']} {verb}"
        add_activity(tenant, booking["customerId"], kind, summary, bookingId=booking["id"])
    emit_event(tenant, event_type, public(booking))
    return {"bookingId": booking["id"]}


@provider_state("booking-completed")
def booking_completed(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _finish_booking(ctx, params, "Completed")


@provider_state("booking-no-show")
def booking_no_show(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    return _finish_booking(ctx, params, "NoShow")


# --- deposits -------------------------------------------------------------------------------------------

RESERVABLE_FIELDS = (
    "name",
    "description",
    "durationMinutes",
    "priceCents",
    "requiresStaff",
    "businessLocationIds",
    "staffMemberIds",
    "resourceTypeIds",
)


def reservable_with_deposit(ctx: RequestContext, params: dict[str, Any]) -> Record:
    """Create a reservable through `createReservable`, then give its default variant a deposit."""
    for name, kind in (
        ("name", str),
        ("durationMinutes", int),
        ("priceCents", int),
        ("businessLocationIds", list),
    ):
        if not isinstance(params.get(name), kind):
            raise param_error(name, f"Required ({kind.__name__}).")
    deposit = params.get("depositCents")
    if not isinstance(deposit, int) or not 1 <= deposit <= params["priceCents"]:
        raise param_error("depositCents", "Required: an integer in 1..priceCents.")
    body = {name: params[name] for name in RESERVABLE_FIELDS if name in params}
    created = invoke(ctx, "createReservable", body)
    reservable = ctx.tenant.reservables[created["id"]]
    reservable["variants"][0]["depositCents"] = deposit
    return reservable


@provider_state("reservable-with-deposit")
def reservable_with_deposit_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    reservable = reservable_with_deposit(ctx, params)
    return {"reservableId": reservable["id"], "reservableVariantId": reservable["variants"][0]["id"]}


def _salon(ctx: RequestContext) -> tuple[str, str]:
    """A fresh location open 08:00–20:00 every day with one assigned staff member; (location, staff) ids."""
    short = short_token()
    location = invoke(ctx, "createLocation", {"name": f"Deposit salon {short}", "timeZone": "Europe/Berlin"})
    entries = [{"dayOfWeek": day, "opensAt": "08:00:00", "closesAt": "20:00:00"} for day in range(7)]
    invoke(ctx, "replaceBusinessHours", {"entries": entries}, {"locationId": location["id"]})
    staff = invoke(ctx, "createStaffMember", {"name": f"Deposit stylist {short}"})
    invoke(ctx, "assignStaffToLocation", None, {"locationId": location["id"], "staffMemberId": staff["id"]})
    return location["id"], staff["id"]


@provider_state("deposit-booking")
def deposit_booking(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    deposit = _positive_int(params, "depositCents", 1000)
    location_id, staff_id = _salon(ctx)
    berlin = ZoneInfo("Europe/Berlin")
    day = ctx.tenant.now().astimezone(berlin).date() + timedelta(days=2)
    starts = datetime.combine(day, time(10), tzinfo=berlin).astimezone(UTC)
    shift = {"businessLocationId": location_id, "startsAt": format_instant(starts - timedelta(hours=2))}
    shift["endsAt"] = format_instant(starts + timedelta(hours=8))
    invoke(ctx, "createStaffShift", shift, {"staffMemberId": staff_id})
    fields = {
        "name": f"Deposit service {short_token()}",
        "durationMinutes": 60,
        "priceCents": max(5000, deposit),
    }
    reservable = reservable_with_deposit(
        ctx,
        {
            **fields,
            "depositCents": deposit,
            "businessLocationIds": [location_id],
            "staffMemberIds": [staff_id],
        },
    )
    variant_id = reservable["variants"][0]["id"]
    item = {"reservableVariantId": variant_id, "staffMemberId": staff_id, "startsAt": format_instant(starts)}
    customer = {"customerName": "Deposit Customer", "customerEmail": f"deposit-{short_token()}@example.com"}
    booking = invoke(ctx, "createBooking", {"businessLocationId": location_id, **customer, "items": [item]})
    return {
        "businessLocationId": location_id,
        "staffMemberId": staff_id,
        "reservableId": reservable["id"],
        "reservableVariantId": variant_id,
        "bookingId": booking["id"],
        "orderId": ctx.tenant.bookings[booking["id"]]["_orderId"],
        "customerId": booking["customerId"],
    }


@provider_state("deposit-paid")
def deposit_paid(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    tenant = ctx.tenant
    booking = _param_id(params, "bookingId", tenant.bookings)
    order = tenant.orders.get(booking.get("_orderId") or "")
    if booking["status"] != "Pending" or order is None or order["status"] != "Pending":
        raise _invalid_state("The booking has no pending deposit.")
    order.update(status="Paid", paidCents=order["totalCents"], paidAt=tenant.now_iso())
    booking["status"] = "Confirmed"
    return {"bookingId": booking["id"], "orderId": order["id"]}

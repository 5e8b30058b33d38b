"""Ticket orders, commerce orders and redemption (design §4.4 E6–E8, §4.5 R1–R3, §8 #41, #48, #51).

Handlers are synchronous and run one at a time on the event loop, so a redeem's check-then-set is atomic:
of N parallel redeems of one code exactly one answers 200 (the `redeem-lock-removed` fault awaits between
the check and the set, so parallel redeems all pass the check).
"""

from __future__ import annotations

from typing import Any

from caldasa_reference.domain.codes import code_index
from caldasa_reference.domain.event_views import order_dto, ticket_order_dto
from caldasa_reference.domain.timeline import parse_instant
from caldasa_reference.handlers.events import find_event
from caldasa_reference.lists import as_list, paginate
from caldasa_reference.routing import ProblemError, Reply, RequestContext, Write, locked_operation, operation
from caldasa_reference.store import Record, add_outbox, emit_event, ordered

CLOSED = ("Cancelled", "Refunded")


def find_ticket_order(ctx: RequestContext, event: Record) -> Record:
    order = ctx.tenant.ticket_orders.get(ctx.path["ticketOrderId"])
    if order is None or order["eventId"] != event["id"]:
        raise ProblemError(ctx.not_found("ticket order"))
    return order


def _order_matches(ctx: RequestContext, order: Record) -> bool:
    statuses = as_list(ctx.query.get("status"))
    search = ctx.query.get("search")
    haystack = f"{order.get('buyerName') or ''}\n{order.get('buyerEmail') or ''}".lower()
    return (not statuses or order["status"] in statuses) and (not search or str(search).lower() in haystack)


@operation("listTicketOrders")
def list_ticket_orders(ctx: RequestContext) -> Reply:
    event = find_event(ctx)
    found = [
        o for o in ctx.tenant.ticket_orders.values() if o["eventId"] == event["id"] and _order_matches(ctx, o)
    ]
    page = paginate(ctx, ordered(found, "createdAt", descending=True), ticket_order_dto)
    return ctx.ok({**page, "eventId": event["id"]})


@operation("cancelTicketOrder")
def cancel_ticket_order(ctx: RequestContext) -> Reply:
    tenant = ctx.tenant
    order = find_ticket_order(ctx, find_event(ctx))
    if order["status"] in CLOSED:
        return ctx.conflict("already_cancelled", "The ticket order is already cancelled.")
    if any(ticket["status"] == "Redeemed" for ticket in order["tickets"]):
        return ctx.conflict("ticket_redeemed", "A ticket of this order has been redeemed.")
    body: dict[str, Any] = ctx.body or {}
    refund = body.get("refund", True) is not False and order["status"] == "Paid"
    status, now = ("Refunded" if refund else "Cancelled"), tenant.now_iso()
    order.update(status=status, cancelledAt=now)
    if not ctx.fault("order-cancel-keeps-tickets"):  # the fault (E6) leaves the tickets sold
        for ticket in order["tickets"]:
            ticket["status"] = "Cancelled"
    commerce = tenant.orders.get(order["id"])
    if commerce is not None:
        commerce["status"] = status
        if refund:
            commerce["refundedCents"] = commerce["paidCents"]
    emit_event(tenant, "ticket_order.cancelled", ticket_order_dto(order))
    return ctx.ok(ticket_order_dto(order))


@operation("resendTicketQrCodes")
def resend_ticket_qr_codes(ctx: RequestContext) -> Reply:
    order = find_ticket_order(ctx, find_event(ctx))
    if order["status"] in CLOSED and not ctx.fault("resend-cancelled-order"):  # the fault breaks E7
        return ctx.conflict("order_cancelled", "The ticket order is cancelled.")
    add_outbox(
        ctx.tenant,
        "TicketResend",
        customerId=order.get("customerId"),
        ticketOrderId=order["id"],
        eventId=order["eventId"],
        channel="Email",
        recipient=order.get("buyerEmail"),
    )
    return ctx.accepted()


# --- commerce orders ------------------------------------------------------------------------------------


def _commerce_matches(ctx: RequestContext, order: Record) -> bool:
    query = ctx.query
    statuses = as_list(query.get("status"))
    if statuses and order["status"] not in statuses:
        return False
    for name in ("customerId", "bookingId", "eventId"):
        if query.get(name) is not None and order.get(name) != str(query[name]).lower():
            return False
    created = parse_instant(order["createdAt"])
    low, high = query.get("from"), query.get("to")
    return (low is None or created >= parse_instant(str(low))) and (
        high is None or created < parse_instant(str(high))
    )


@operation("listOrders")
def list_orders(ctx: RequestContext) -> Reply:
    found = [order for order in ctx.tenant.orders.values() if _commerce_matches(ctx, order)]
    render = lambda order: order_dto(ctx.tenant, order, detail=False)  # noqa: E731
    return ctx.ok(paginate(ctx, ordered(found, "createdAt", descending=True), render))


@operation("getOrder")
def get_order(ctx: RequestContext) -> Reply:
    order = ctx.tenant.orders.get(ctx.path["orderId"])
    if order is None:
        return ctx.not_found("order")
    dto = order_dto(ctx.tenant, order, detail=True)
    if ctx.fault("order-tickets-not-redeemed"):  # R3: a stale copy of the tickets, as sold
        for ticket in dto["tickets"]:
            if ticket["status"] == "Redeemed":
                ticket.update(status="Valid", redeemedAt=None)
    return ctx.ok(dto)


# --- redemption -----------------------------------------------------------------------------------------


def _redemption(event: Record, order: Record, ticket: Record) -> Record:
    return {
        "ticketId": ticket["id"],
        "ticketOrderId": order["id"],
        "eventId": event["id"],
        "eventName": event["name"],
        "ticketTypeId": ticket["ticketTypeId"],
        "ticketTypeName": ticket["ticketTypeName"],
        "attendeeName": ticket.get("attendeeName") or order.get("buyerName"),
        "status": "Redeemed",
        "redeemedAt": ticket["redeemedAt"],
    }


@locked_operation("redeemTicket", lock_fault="redeem-lock-removed")
def redeem_ticket(ctx: RequestContext) -> Reply | Write:
    tenant, body = ctx.tenant, ctx.body
    found = code_index(tenant).get(body["code"])
    if found is None or found[0] not in tenant.ticket_orders:
        return ctx.not_found("ticket")
    order = tenant.ticket_orders[found[0]]
    ticket = next(ticket for ticket in order["tickets"] if ticket["id"] == found[1])
    event = tenant.events[order["eventId"]]
    wanted_event = body.get("eventId")
    if wanted_event is not None and str(wanted_event).lower() != event["id"]:
        return ctx.conflict("wrong_event", "The ticket belongs to another event.")
    if ticket["status"] == "Cancelled" and not ctx.fault("redeem-cancelled-ticket"):  # the fault breaks R2
        return ctx.conflict("ticket_cancelled", "The ticket is cancelled.")
    if ticket["status"] == "Redeemed" and not ctx.fault("redeem-twice"):
        return ctx.conflict(
            "already_redeemed", "The ticket was already redeemed.", redeemedAt=ticket["redeemedAt"]
        )
    if event["status"] != "Published":
        return ctx.conflict("event_not_active", f"The event is {event['status']}.")
    return Write(lambda: _redeem(ctx, event, order, ticket))


def _redeem(ctx: RequestContext, event: Record, order: Record, ticket: Record) -> Reply:
    """The write half of redeemTicket: the ticket is still Valid (the handler's lock)."""
    ticket.update(status="Redeemed", redeemedAt=ctx.tenant.now_iso())
    result = _redemption(event, order, ticket)
    emit_event(ctx.tenant, "ticket.redeemed", result)
    return ctx.ok(result)

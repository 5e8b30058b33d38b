"""Placing a paid ticket order (what the portal's checkout does; reached only through provider states)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from caldasa_reference.domain.codes import code_index, public_reference, ticket_code
from caldasa_reference.domain.event_views import (
    effective_capacity,
    event_ticket_types,
    sales_of,
    sellable,
    ticket_order_dto,
)
from caldasa_reference.routing import ProblemError, RequestContext
from caldasa_reference.store import (
    Record,
    add_activity,
    create_customer,
    emit_event,
    find_customer_by_email,
    new_id,
)


@dataclass(frozen=True)
class Line:
    tier: Record
    quantity: int


@dataclass(frozen=True)
class Buyer:
    name: str
    email: str | None
    customer_id: str | None


def check_sale(ctx: RequestContext, event: Record, lines: Sequence[Line]) -> None:
    """409 `not_on_sale` → `max_per_order_exceeded` → `sold_out` (fault `ticket-oversell`, E3, skips it)."""
    tenant = ctx.tenant
    if not all(sellable(tenant, event, line.tier) for line in lines):
        raise ProblemError(ctx.conflict("not_on_sale", "A ticket type is not on sale."))
    if any(line.tier.get("maxPerOrder") and line.quantity > int(line.tier["maxPerOrder"]) for line in lines):
        raise ProblemError(
            ctx.conflict("max_per_order_exceeded", "Too many tickets of one type in one order.")
        )
    if ctx.fault("ticket-oversell"):
        return
    sales = sales_of(tenant, event["id"])
    event_left = effective_capacity(event, event_ticket_types(tenant, event["id"])) - sales.total_sold
    tier_short = any(
        line.quantity > int(line.tier["capacity"]) - sales.sold[line.tier["id"]] for line in lines
    )
    if tier_short or sum(line.quantity for line in lines) > event_left:
        raise ProblemError(ctx.conflict("sold_out", "Not enough tickets left."))


def _customer(ctx: RequestContext, buyer: Buyer) -> Record:
    if buyer.customer_id is not None:
        return ctx.tenant.customers[buyer.customer_id]
    found = find_customer_by_email(ctx.tenant, buyer.email)
    return found or create_customer(ctx.tenant, name=buyer.name, email=buyer.email)


def place_ticket_order(ctx: RequestContext, event: Record, lines: Sequence[Line], buyer: Buyer) -> Record:
    """Store a `Paid` ticket order and its commerce Order (same id); fire `ticket_order.created`."""
    tenant = ctx.tenant
    check_sale(ctx, event, lines)
    customer = _customer(ctx, buyer)
    tickets = [_ticket(ctx, line.tier) for line in lines for _ in range(line.quantity)]
    total = sum(int(line.tier["priceCents"]) * line.quantity for line in lines)
    now = tenant.now_iso()
    order: Record = {
        "id": new_id(),
        "publicId": public_reference(tenant, "TO"),
        "eventId": event["id"],
        "customerId": customer["id"],
        "buyerName": buyer.name,
        "buyerEmail": buyer.email,
        "status": "Paid",
        "ticketCount": len(tickets),
        "totalCents": total,
        "createdAt": now,
        "cancelledAt": None,
        "tickets": tickets,
    }
    tenant.ticket_orders[order["id"]] = order
    tenant.orders[order["id"]] = _commerce_order(ctx, order, lines, customer)
    codes = code_index(tenant)
    for ticket in tickets:
        codes[ticket["code"]] = (order["id"], ticket["id"])
    summary = f"Ticket order {order['publicId']} placed"
    add_activity(tenant, customer["id"], "TicketOrderPlaced", summary, ticketOrderId=order["id"])
    emit_event(tenant, "ticket_order.created", ticket_order_dto(order))
    return order


def _ticket(ctx: RequestContext, tier: Record) -> Record:
    return {
        "id": new_id(),
        "ticketTypeId": tier["id"],
        "ticketTypeName": tier["name"],
        "attendeeName": None,
        "attendeeEmail": None,
        "code": ticket_code(ctx.tenant),
        "status": "Valid",
        "redeemedAt": None,
    }


def _commerce_order(ctx: RequestContext, order: Record, lines: Sequence[Line], customer: Record) -> Record:
    line_items: list[dict[str, Any]] = [
        {
            "id": new_id(),
            "kind": "Ticket",
            "description": line.tier["name"],
            "quantity": line.quantity,
            "unitPriceCents": int(line.tier["priceCents"]),
            "totalCents": line.quantity * int(line.tier["priceCents"]),
            "bookingItemId": None,
            "ticketTypeId": line.tier["id"],
        }
        for line in lines
    ]
    return {
        "id": order["id"],
        "publicId": order["publicId"],
        "status": "Paid",
        "source": "TicketPurchase",
        "customerId": customer["id"],
        "customerName": order["buyerName"],
        "customerEmail": order["buyerEmail"],
        "bookingId": None,
        "eventId": order["eventId"],
        "subtotalCents": order["totalCents"],
        "discountCents": 0,
        "taxCents": 0,
        "totalCents": order["totalCents"],
        "paidCents": order["totalCents"],
        "refundedCents": 0,
        "currency": ctx.tenant.currency,
        "createdAt": order["createdAt"],
        "paidAt": order["createdAt"],
        "lineItems": line_items,
        "tickets": [],
    }

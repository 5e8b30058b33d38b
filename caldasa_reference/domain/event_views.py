"""Derived views of events, ticket types, ticket orders and orders (design §3.5, §3.8, §8 #48–#52).

Counters are computed from the ticket orders on every read, so every view agrees with every other (E5).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from caldasa_reference.domain.timeline import parse_instant
from caldasa_reference.store import Record, TenantStore, ordered, public

SOLD_STATUSES = ("Valid", "Redeemed")
CLOSED_ORDER_STATUSES = ("Cancelled", "Refunded")
EVENT_FIELDS = (
    "id",
    "name",
    "status",
    "businessLocationId",
    "startsAt",
    "endsAt",
    "capacity",
    "publishedAt",
    "cancelledAt",
    "createdAt",
    "updatedAt",
)


@dataclass
class Sales:
    """Counters of one event, derived from its ticket orders."""

    sold: Counter[str] = field(default_factory=Counter)  # ticket type id -> Valid or Redeemed tickets
    redeemed: Counter[str] = field(default_factory=Counter)
    orders: int = 0
    cancelled_orders: int = 0
    refunded_cents: int = 0

    @property
    def total_sold(self) -> int:
        return sum(self.sold.values())


def event_orders(tenant: TenantStore, event_id: str) -> list[Record]:
    return [order for order in tenant.ticket_orders.values() if order["eventId"] == event_id]


def event_ticket_types(tenant: TenantStore, event_id: str) -> list[Record]:
    found = [tier for tier in tenant.ticket_types.values() if tier["eventId"] == event_id]
    return ordered(found, "createdAt")


def sales_of(tenant: TenantStore, event_id: str) -> Sales:
    sales = Sales()
    for order in event_orders(tenant, event_id):
        if order["status"] in CLOSED_ORDER_STATUSES:
            sales.cancelled_orders += 1
        else:
            sales.orders += 1
        commerce = tenant.orders.get(order["id"])
        sales.refunded_cents += int(commerce["refundedCents"]) if commerce else 0
        for ticket in order["tickets"]:
            if ticket["status"] in SOLD_STATUSES:
                sales.sold[ticket["ticketTypeId"]] += 1
            if ticket["status"] == "Redeemed":
                sales.redeemed[ticket["ticketTypeId"]] += 1
    return sales


def left_of(capacity: int, sold: int) -> int:
    """Tickets left; never negative, so an oversold event (fault `ticket-oversell`) breaks only E3."""
    return max(0, capacity - sold)


def effective_capacity(event: Record, tiers: list[Record]) -> int:
    """min(configured cap, Σ tier capacities) — never null (§8 #49)."""
    total = sum(int(tier["capacity"]) for tier in tiers)
    return total if event.get("capacity") is None else min(int(event["capacity"]), total)


def _window_open(tenant: TenantStore, event: Record, tier: Record) -> bool:
    now = tenant.now()
    starts, ends = tier.get("salesStartAt"), tier.get("salesEndAt")
    return (
        (starts is None or parse_instant(starts) <= now)
        and (ends is None or now < parse_instant(ends))
        and now < parse_instant(event["endsAt"])
    )


def sellable(tenant: TenantStore, event: Record, tier: Record) -> bool:
    """Published and inside the sales window (the capacity parts of `isOnSale` aside)."""
    return event["status"] == "Published" and _window_open(tenant, event, tier)


def ticket_type_dto(
    tenant: TenantStore, tier: Record, event: Record, sales: Sales, event_left: int
) -> Record:
    sold = sales.sold[tier["id"]]
    remaining = left_of(int(tier["capacity"]), sold)
    dto = public(tier)
    dto.update(
        soldCount=sold,
        remaining=remaining,
        isOnSale=sellable(tenant, event, tier) and remaining > 0 and event_left > 0,
    )
    return dto


def event_dto(tenant: TenantStore, event: Record) -> Record:
    """`PublicBookableEventDto` (list item and webhook payload)."""
    sales = sales_of(tenant, event["id"])
    return _event_base(event, sales)


def _event_base(event: Record, sales: Sales) -> Record:
    dto = {name: event.get(name) for name in EVENT_FIELDS}
    dto["ticketsSold"] = sales.total_sold
    return dto


def event_detail_dto(tenant: TenantStore, event: Record) -> Record:
    sales = sales_of(tenant, event["id"])
    tiers = event_ticket_types(tenant, event["id"])
    capacity = effective_capacity(event, tiers)
    left = left_of(capacity, sales.total_sold)
    dto = _event_base(event, sales)
    dto["description"] = event.get("description")
    dto["ticketTypes"] = [ticket_type_dto(tenant, tier, event, sales, left) for tier in tiers]
    dto["bookingSummary"] = {
        "capacity": capacity,
        "ticketsSold": sales.total_sold,
        "ticketsRemaining": left,
        "ticketsRedeemed": sum(sales.redeemed.values()),
        "ordersCount": sales.orders,
        "cancelledOrdersCount": sales.cancelled_orders,
        "grossCents": _gross(tiers, sales),
    }
    dto["attendees"] = attendees(tenant, event["id"])
    return dto


def _gross(tiers: list[Record], sales: Sales) -> int:
    return sum(sales.sold[tier["id"]] * int(tier["priceCents"]) for tier in tiers)


def attendees(tenant: TenantStore, event_id: str) -> list[Record]:
    """One entry per non-cancelled ticket, `name asc, ticketId asc` (§8 #23)."""
    found = [
        {
            "ticketId": ticket["id"],
            "ticketOrderId": order["id"],
            "ticketTypeId": ticket["ticketTypeId"],
            "ticketTypeName": ticket["ticketTypeName"],
            "name": ticket.get("attendeeName") or order["buyerName"],
            "email": ticket.get("attendeeEmail") or order.get("buyerEmail"),
            "status": ticket["status"],
            "redeemedAt": ticket.get("redeemedAt"),
        }
        for order in event_orders(tenant, event_id)
        for ticket in order["tickets"]
        if ticket["status"] in SOLD_STATUSES
    ]
    if "attendees-one-per-order" in tenant.faults:  # the fault (E8) keeps each order's first ticket only
        found = list({entry["ticketOrderId"]: entry for entry in reversed(found)}.values())
    return sorted(found, key=lambda entry: (entry["name"], entry["ticketId"]))


def sales_report(tenant: TenantStore, event: Record) -> Record:
    sales = sales_of(tenant, event["id"])
    tiers = event_ticket_types(tenant, event["id"])
    gross = _gross(tiers, sales)
    return {
        "eventId": event["id"],
        "currency": tenant.currency,
        "generatedAt": tenant.now_iso(),
        "capacity": effective_capacity(event, tiers),
        "ticketsSold": sales.total_sold,
        "ticketsRedeemed": sum(sales.redeemed.values()),
        "ordersCount": sales.orders,
        "cancelledOrdersCount": sales.cancelled_orders,
        "grossCents": gross,
        "refundedCents": sales.refunded_cents,
        "netCents": gross,
        "tiers": [_tier_line(tier, sales) for tier in tiers],
    }


def _tier_line(tier: Record, sales: Sales) -> Record:
    sold = sales.sold[tier["id"]]
    return {
        "ticketTypeId": tier["id"],
        "ticketTypeName": tier["name"],
        "priceCents": int(tier["priceCents"]),
        "capacity": int(tier["capacity"]),
        "sold": sold,
        "redeemed": sales.redeemed[tier["id"]],
        "remaining": left_of(int(tier["capacity"]), sold),
        "grossCents": sold * int(tier["priceCents"]),
    }


def ticket_order_dto(order: Record) -> Record:
    return public(order)


def order_dto(tenant: TenantStore, order: Record, *, detail: bool) -> Record:
    """`PublicOrderDto`, or `PublicOrderDetailDto` with line items and the tickets of a ticket purchase."""
    dto = public(order)
    if not detail:
        dto.pop("lineItems", None)
        dto.pop("tickets", None)
        return dto
    ticket_order = tenant.ticket_orders.get(order["id"])
    dto["tickets"] = (
        [_order_ticket(ticket_order, ticket) for ticket in ticket_order["tickets"]] if ticket_order else []
    )
    return dto


def _order_ticket(ticket_order: Record, ticket: Record) -> dict[str, Any]:
    return {
        "id": ticket["id"],
        "eventId": ticket_order["eventId"],
        "ticketTypeId": ticket["ticketTypeId"],
        "ticketTypeName": ticket["ticketTypeName"],
        "attendeeName": ticket.get("attendeeName"),
        "code": ticket["code"],
        "status": ticket["status"],
        "redeemedAt": ticket.get("redeemedAt"),
    }

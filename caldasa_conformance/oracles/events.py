"""Oracles of the class `events`, the events part: one judge per rule, E1–E8 (tickets: `oracles.tickets`).

Each function evaluates its rule on what the target answered and what the caller expects (the machine's
model or a fixed scenario's set-up), records the requirement as held when it holds (`checks.require`) and
raises a `DomainViolation` naming it when it does not. The events machine, the event scenario builders and
the fixed tests of `suites/events` call these same functions; the keyword arguments are the facets of a
rule a caller has observed, and a facet left out is not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from caldasa_conformance.workflows.checks import Expect, require, violation

SOLD_STATUSES = ("Valid", "Redeemed")
CLOSED_ORDER_STATUSES = ("Cancelled", "Refunded")
# The event fields a refused transition must leave as they were (E1).
LIFECYCLE_FIELDS = ("status", "publishedAt", "cancelledAt")
Json = Mapping[str, Any]


def ticket_statuses(tickets: Iterable[Json]) -> dict[str, Any]:
    """Ticket id → status of an order's (or attendee list's) tickets."""
    return {str(t.get("id", t.get("ticketId"))): t.get("status") for t in tickets}


def _stamp_matches(requirement: str, event: Json, stamp: str, wanted: bool | None, operation_id: str) -> None:
    if wanted is not None:
        seen = event.get(stamp)
        expected = "set" if wanted else "not set"
        require((seen is not None) == wanted, requirement, f"{stamp} is wrong", seen, expected, operation_id)


def event_lifecycle(
    event: Json,
    operation_id: str,
    *,
    status: str | None = None,
    published: bool | None = None,
    cancelled: bool | None = None,
    unchanged_from: Json | None = None,
    fields: Sequence[str] = LIFECYCLE_FIELDS,
) -> None:
    """E1: an event is Draft, Published or Cancelled as its transitions say, stamped when it got there, and a
    refused transition or write leaves it as it was.

    Args:
        event: the event as the target shows it (an answer of create/publish/getEvent).
        operation_id: the operation that showed it.
        status: the status it must have.
        published / cancelled: whether `publishedAt` / `cancelledAt` must be set (None: not judged).
        unchanged_from: the event before a refused request; `fields` of both must be equal.
    """
    if status is not None:
        seen = event.get("status")
        require(
            seen == status, "E1", "The event status differs from its lifecycle", seen, status, operation_id
        )
    _stamp_matches("E1", event, "publishedAt", published, operation_id)
    _stamp_matches("E1", event, "cancelledAt", cancelled, operation_id)
    if unchanged_from is not None:
        after = {name: event.get(name) for name in fields}
        before = {name: unchanged_from.get(name) for name in fields}
        require(after == before, "E1", "A refused request changed the event", after, before, operation_id)


def publishing_needs_a_ticket_type(event: Json, *, has_ticket_types: bool, operation_id: str) -> None:
    """E2: publishing a Draft event without ticket types leaves it Draft; with one it is Published."""
    wanted = "Published" if has_ticket_types else "Draft"
    seen = event.get("status")
    title = (
        "A Draft event with a ticket type did not publish"
        if has_ticket_types
        else "A refused publish changed the event"
    )
    require(seen == wanted, "E2", title, seen, wanted, operation_id)


def tickets_within_capacity(
    event: Json,
    tiers: Sequence[Json],
    operation_id: str,
    *,
    capacity: int | None = None,
    sold_by_tier: Mapping[str, int] | None = None,
    sold: int | None = None,
    extra_sale: tuple[object, str] | None = None,
) -> None:
    """E3: no ticket type and not the event sells past its capacity, ticketsSold is the sum of the tiers, and
    a sale past capacity is refused with 409 sold_out.

    Args:
        event: getEvent's answer; tiers: its ticket types (getEvent's or listTicketTypes').
        capacity: the event's capacity (None: uncapped, not judged).
        sold_by_tier: ticket type id → tickets the model sold; the tiers' soldCount must equal it.
        sold: the tickets sold in all; ticketsSold and the sum of soldCount must both equal it.
        extra_sale: the answer to a sale past capacity (`(status, code)` of a refusal, or a text saying the
            order was placed) and why it is past capacity.
    """
    oversold = [
        f"{t.get('name')}: sold {t.get('soldCount')} of {t.get('capacity')}"
        for t in tiers
        if t.get("soldCount", 0) > t.get("capacity", 0)
    ]
    require(not oversold, "E3", "A ticket type is oversold", oversold, "soldCount <= capacity", operation_id)
    if capacity is not None:
        sold_now = event.get("ticketsSold", 0)
        require(sold_now <= capacity, "E3", "The event is oversold", sold_now, f"<= {capacity}", operation_id)
    if sold_by_tier is not None:
        counted = {t["id"]: t.get("soldCount") for t in tiers}
        require(
            counted == sold_by_tier,
            "E3",
            "Ticket counts differ from the orders",
            counted,
            sold_by_tier,
            operation_id,
        )
        total = sum(sold_by_tier.values())
        seen = event.get("ticketsSold")
        require(seen == total, "E3", "ticketsSold is not the sum of the tiers", seen, total, operation_id)
    if sold is not None:
        counts = {
            "ticketsSold": event.get("ticketsSold"),
            "sum of soldCount": sum(t.get("soldCount", 0) for t in tiers),
        }
        wanted = {"ticketsSold": sold, "sum of soldCount": sold}
        require(counts == wanted, "E3", "Tickets sold differ from the orders", counts, wanted, operation_id)
    if extra_sale is not None:
        answer, why = extra_sale
        title = "A sale past capacity was not refused"
        require(answer == (409, "sold_out"), "E3", title, answer, f"409 sold_out ({why})")


def refusal_was_predicted(expect: Expect, refusal: str) -> None:
    """A provider state refused a request (a sale): the model must have predicted that refusal."""
    require(
        expect.status >= 400,
        expect.requirement,
        "The provider state refused what the model allows",
        refusal,
        expect.describe(),
    )


def sold_ticket_type_locked(before: Json, after: Json) -> None:
    """E4: refused changes to a sold ticket type leave its price, capacity and soldCount as they were."""
    kept = {name: after.get(name) for name in ("priceCents", "capacity", "soldCount")}
    wanted = {name: before.get(name) for name in kept}
    require(kept == wanted, "E4", "A refused change altered the ticket type", kept, wanted, "listTicketTypes")


def _counts_from_orders(orders: Iterable[Json]) -> dict[str, int]:
    orders = list(orders)
    tickets = [ticket for order in orders for ticket in order.get("tickets", [])]
    return {
        "ticketsSold": sum(ticket.get("status") in SOLD_STATUSES for ticket in tickets),
        "ticketsRedeemed": sum(ticket.get("status") == "Redeemed" for ticket in tickets),
        "ordersCount": sum(order.get("status") not in CLOSED_ORDER_STATUSES for order in orders),
        "cancelledOrdersCount": sum(order.get("status") in CLOSED_ORDER_STATUSES for order in orders),
    }


_SUMMARY_FIELDS = (
    "capacity",
    "ticketsSold",
    "ticketsRedeemed",
    "ordersCount",
    "cancelledOrdersCount",
    "grossCents",
)


def sales_report_consistent(
    report: Json,
    *,
    sold: int | None = None,
    summary: Json | None = None,
    orders: Iterable[Json] | None = None,
) -> None:
    """E5: the sales report sums its tiers (remaining = capacity − sold, netCents = grossCents, design §8 #50)
    and agrees with the tickets sold, the event's bookingSummary and the ticket orders, where given."""
    tiers = report.get("tiers", [])
    for tier in tiers:
        remaining = tier.get("capacity", 0) - tier.get("sold", 0)
        require(
            tier.get("remaining") == remaining,
            "E5",
            "Tier remaining is not capacity - sold",
            tier,
            "remaining = capacity - sold",
            "getTicketSalesReport",
        )
    sums = {
        "ticketsSold": sum(tier.get("sold", 0) for tier in tiers),
        "grossCents": sum(tier.get("grossCents", 0) for tier in tiers),
        "netCents": report.get("grossCents"),
    }
    expected: list[tuple[str, dict[str, Any], str]] = [
        ("Report totals disagree with its tiers", sums, "getTicketSalesReport")
    ]
    if sold is not None:
        expected.append(
            ("Report ticketsSold disagrees with the orders", {"ticketsSold": sold}, "getTicketSalesReport")
        )
    if summary is not None:
        in_summary = {name: summary.get(name) for name in _SUMMARY_FIELDS}
        expected.append(
            ("Report differs from the event's bookingSummary", in_summary, "getTicketSalesReport")
        )
    if orders is not None:
        expected.append(
            ("Report differs from the ticket orders", _counts_from_orders(orders), "listTicketOrders")
        )
    for title, wanted, operation_id in expected:
        reported = {name: report.get(name) for name in wanted}
        require(reported == wanted, "E5", title, reported, wanted, operation_id)


def order_cancellation(
    order: Json | None,
    operation_id: str,
    *,
    order_id: str = "",
    status: str | None = None,
    cancelled_tickets: Iterable[str] | None = None,
    sold: tuple[Json, Json] | None = None,
) -> None:
    """E6: a ticket order is listed with the status its cancellations gave it (Paid, Cancelled, Refunded; a
    refused cancel keeps it), and the tickets of a cancelled order are all Cancelled.

    Args:
        order: the order as the target shows it (None: it is missing from its event's list).
        order_id: its id, for the failure when it is missing.
        status: the status it must have.
        cancelled_tickets: the ids of its tickets, which must all be Cancelled.
        sold: the tickets-sold counters before and after its cancellation; each must drop by its tickets.
    """
    if order is None:
        raise violation("E6", "A ticket order is missing from the list", "absent", order_id, operation_id)
    if status is not None:
        seen = order.get("status")
        require(seen == status, "E6", "The ticket order has the wrong status", seen, status, operation_id)
    if sold is not None and cancelled_tickets is not None:
        freed = len(set(cancelled_tickets))
        before, after = sold
        wanted_sold = {name: (count or 0) - freed for name, count in before.items()}
        title = "Cancelling did not free the order's capacity"
        require(after == wanted_sold, "E6", title, after, wanted_sold, "getEvent")
    if cancelled_tickets is not None:
        statuses = ticket_statuses(order.get("tickets", []))
        wanted = dict.fromkeys(cancelled_tickets, "Cancelled")
        require(
            statuses == wanted,
            "E6",
            "The tickets of a cancelled order are not Cancelled",
            statuses,
            wanted,
            operation_id,
        )


def resend_changes_nothing(before: Json, after: Json) -> None:
    """E7: resending an order's QR codes leaves the order and its tickets as they were."""
    seen = {"status": after.get("status"), "tickets": ticket_statuses(after.get("tickets", []))}
    wanted = {"status": before.get("status"), "tickets": ticket_statuses(before.get("tickets", []))}
    require(seen == wanted, "E7", "Resending tickets changed the order", seen, wanted, "listTicketOrders")


def attendees_are_live_tickets(
    attendees: Sequence[Json],
    *,
    live: Iterable[str] | None = None,
    redeemed: Iterable[str] | None = None,
    cancelled: Iterable[str] | None = None,
) -> None:
    """E8: the attendee list holds one entry per non-cancelled ticket, Redeemed exactly when redeemedAt is set

    Args:
        attendees: getEvent's `attendees`.
        live: the ids of the non-cancelled tickets: exactly one entry each.
        redeemed: of those, the ones redeemed (the others must be Valid); None: not judged.
        cancelled: ids of cancelled tickets, none of which may be listed.
    """
    listed = sorted(str(a.get("ticketId")) for a in attendees)
    if live is not None:
        wanted_ids = sorted(live)
        title = "Attendees are not the non-cancelled tickets"
        require(listed == wanted_ids, "E8", title, listed, wanted_ids, "getEvent")
        for attendee in attendees:
            consistent = (attendee.get("status") == "Redeemed") == (attendee.get("redeemedAt") is not None)
            title = "Attendee status and redeemedAt disagree"
            require(consistent, "E8", title, attendee, "Redeemed iff redeemedAt", "getEvent")
    if redeemed is not None and live is not None:
        done = set(redeemed)
        seen = {str(a.get("ticketId")): a.get("status") for a in attendees}
        wanted = {t: "Redeemed" if t in done else "Valid" for t in live}
        require(
            seen == wanted, "E8", "Attendee statuses differ from the redemptions", seen, wanted, "getEvent"
        )
    if cancelled is not None:
        still = sorted(set(listed) & set(cancelled))
        require(not still, "E8", "Cancelled tickets are still attendees", still, [], "getEvent")

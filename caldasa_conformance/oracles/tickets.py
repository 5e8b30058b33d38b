"""Oracles of the class `events`, the tickets part: one judge per rule, R1 and R3.

Like `oracles.events`: each function evaluates its rule on what the target answered, records it as held
(`checks.require`) or raises a `DomainViolation` naming it; the keyword arguments are the facets of a rule a
caller observed, and a facet left out is not judged. The events machine, the fixed scenarios and the race
probe call the same functions.

R2 has no judge here: its refusals are predicted answers (`Expect(409, "R2", code)`) that `check_answer`
judges.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from caldasa_conformance.oracles.events import Json, ticket_statuses
from caldasa_conformance.workflows.checks import require
from caldasa_conformance.workflows.races import require_single_winner


def ticket_redeems_once(
    redeemed_at: Any = None,
    *,
    first: Json | None = None,
    again: Json | None = None,
    order_detail: Json | None = None,
    ticket_id: str = "",
    parallel: list[httpx.Response] | None = None,
) -> None:
    """R1: a ticket redeems once, at `redeemed_at`; every later attempt answers already_redeemed with that
    instant, also when several attempts race.

    Args:
        redeemed_at: when the ticket was redeemed (the first answer's `redeemedAt`).
        first: the first redemption's answer: Redeemed with a redeemedAt.
        again: an already_redeemed problem, which must carry `redeemed_at`.
        order_detail: getOrder's answer, whose ticket `ticket_id` must still be Redeemed at `redeemed_at`.
        parallel: the answers to identical redemptions sent at once: one 200, the rest already_redeemed.
    """
    if first is not None:
        seen = {"status": first.get("status"), "redeemedAt": first.get("redeemedAt")}
        require(
            seen["status"] == "Redeemed" and seen["redeemedAt"] is not None,
            "R1",
            "A redemption is not Redeemed with redeemedAt",
            seen,
            "status Redeemed, redeemedAt set",
            "redeemTicket",
        )
    if again is not None:
        carried = again.get("redeemedAt")
        title = "already_redeemed does not carry the original redeemedAt"
        require(carried == redeemed_at, "R1", title, carried, redeemed_at, "redeemTicket")
    if order_detail is not None:
        tickets = {
            str(t.get("id")): (t.get("status"), t.get("redeemedAt")) for t in order_detail.get("tickets", [])
        }
        wanted = ("Redeemed", redeemed_at)
        seen_ticket = tickets.get(ticket_id)
        require(seen_ticket == wanted, "R1", "The redeemed ticket changed", seen_ticket, wanted, "getOrder")
    if parallel is not None:
        require_single_winner(
            parallel,
            success=200,
            loser_code="already_redeemed",
            requirement="R1",
            operation_id="redeemTicket",
        )


def _views_of(ticket_id: str, order_tickets: Sequence[Json], detail: Json, attendees: Sequence[Json]) -> Any:
    """How one ticket shows in the ticket-order list, the order detail and the attendees."""
    in_detail = {str(t.get("id")): (t.get("status"), t.get("redeemedAt")) for t in detail.get("tickets", [])}
    return {
        "ticket-orders": ticket_statuses(order_tickets).get(ticket_id),
        "order detail": in_detail.get(ticket_id),
        "attendees": ticket_statuses(attendees).get(ticket_id),
    }


def redemption_shows_everywhere(
    *,
    wanted: Mapping[str, str] | None = None,
    attendees: Sequence[Json] = (),
    order_tickets: Sequence[Json] | None = None,
    order_detail: Json | None = None,
    redeemed_ticket: str = "",
    redeemed_at: Any = None,
    counters: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
) -> None:
    """R3: a redeemed ticket shows Redeemed in the ticket-order list, the order detail and the attendees, and
    the redeemed counters grow by one.

    Args:
        wanted: ticket id → the status the model gives it; the `attendees` (getEvent) must show Redeemed
            exactly for the redeemed ones and `order_tickets` (one listed order's tickets) these statuses.
        order_detail: getOrder's answer; with `order_tickets` and `attendees` it must show
            `redeemed_ticket` Redeemed (at `redeemed_at` in the detail).
        counters: the redeemed counters before and after one redemption.
    """
    if wanted is not None:
        for attendee in attendees:
            shown, modelled = attendee.get("status"), wanted.get(str(attendee.get("ticketId")))
            same = (shown == "Redeemed") == (modelled == "Redeemed")
            require(same, "R3", "Attendee redemption differs from the model", shown, modelled, "getEvent")
        if order_tickets is not None:
            statuses = ticket_statuses(order_tickets)
            title = "Ticket statuses differ from the model"
            require(statuses == wanted, "R3", title, statuses, wanted, "listTicketOrders")
    if order_detail is not None:
        views = _views_of(redeemed_ticket, order_tickets or (), order_detail, attendees)
        everywhere = {
            "ticket-orders": "Redeemed",
            "order detail": ("Redeemed", redeemed_at),
            "attendees": "Redeemed",
        }
        title = "A redeemed ticket does not show as Redeemed"
        require(views == everywhere, "R3", title, views, everywhere, "getOrder")
    if counters is not None:
        before, after = counters
        grown = {name: count + 1 for name, count in before.items()}
        title = "Redeemed counters did not grow by one"
        require(after == grown, "R3", title, after, grown, "getTicketSalesReport")

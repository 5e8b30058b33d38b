"""Judges of the booking rules B1–B12 (class `bookings`), one function per rule.

The booking machine (`workflows.bookings`), the fixed scenarios (`suites/bookings`) and the races
(`suites/concurrency`) observe the server their own way and hand what they saw to the rule's judge here.
A judge records evidence when its check runs and holds (`workflows.checks.require`) and raises the
`DomainViolation` naming its rule otherwise. Keyword arguments are the facets of the rule a caller can
observe; a judge checks every facet it is given and nothing else, so a caller proves exactly what it saw.

Answers predicted from a model (`Expect(409, …)` passed to `check_answer`) name their rule too; those are
predictions, judged by `check_answer`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import httpx

from caldasa_conformance import policy
from caldasa_conformance.oracles._booking_checks import (
    Listed,
    require_activity,
    require_listed,
    require_no_overlap,
)
from caldasa_conformance.oracles.availability import CLOSING_RULES
from caldasa_conformance.workflows.checks import require, violation
from caldasa_conformance.workflows.races import require_single_winner
from caldasa_conformance.workflows.timeutil import wire

# why a slot is closed -> the booking rule that closes it (the first applicable reason wins)
CLOSED_BY = {reason: booked for reason, (_, booked) in CLOSING_RULES.items()}


def judge_no_double_booked_staff(
    listed: Listed = (),
    *,
    kept: Sequence[str] | None = None,
    parallel: Sequence[httpx.Response] | None = None,
) -> None:
    """B1: two non-cancelled items of one staff member never overlap.

    Args:
        listed: bookings as listBookings answers them; no two occupying items of a staff member overlap.
        kept: when the caller knows which bookings may hold the slot (one accepted among refused overlaps,
            the one winner of a race), the ids the non-cancelled `listed` bookings must be, in order.
        parallel: the answers to identical createBooking requests sent at once: one 201, the rest
            409 slot_unavailable.
    """
    if parallel is not None:
        require_single_winner(
            list(parallel),
            success=201,
            loser_code="slot_unavailable",
            requirement="B1",
            operation_id="createBooking",
        )
    if kept is not None:
        live = [b["id"] for b in listed if b.get("status") != "Cancelled"]
        require(live == list(kept), "B1", "A refused overlap was stored", live, list(kept), "listBookings")
    elif parallel is None:
        require_no_overlap(listed, "staffMemberId", "B1", "A staff member is double-booked")


def judge_no_double_allocated_unit(
    *,
    unit_listing: tuple[str, Listed] | None = None,
    holding: tuple[Sequence[str], Sequence[str]] | None = None,
    holders: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
) -> None:
    """B2: a resource unit is held by at most one non-cancelled item at any instant.

    Args:
        unit_listing: (unit id, the bookings listBookings?resourceId= lists): none of them overlap.
        holding: (the free units now holding a new booking, the units that were free): exactly one holds it.
        holders: (unit -> ids of the bookings holding it as listed, as the scenario booked them): equal.
    """
    if unit_listing is not None:
        unit, listed = unit_listing
        require_no_overlap(listed, None, "B2", f"Resource unit {unit} is allocated twice")
    if holding is not None:
        held, free_units = holding
        require(
            len(held) == 1,
            "B2",
            "The booking does not hold exactly one of the free units",
            list(held),
            f"one of {list(free_units)}",
            "listBookings",
        )
    if holders is not None:
        seen, wanted = holders
        require(seen == wanted, "B2", "A room is allocated twice or not at all", seen, wanted, "listBookings")


def judge_inside_business_hours(outside: Sequence[str]) -> None:
    """B3: availability lists no start outside the location's business hours (`outside`: those it does)."""
    require(not outside, "B3", "Availability lists starts outside the business hours", list(outside), "none")


def judge_inside_staff_shift(outside: Sequence[str]) -> None:
    """B4: availability lists no start outside the staff member's shift (`outside`: those it does)."""
    require(not outside, "B4", "Availability lists starts outside the staff shift", list(outside), "none")


def judge_no_booking_in_staff_block(
    *, missing_before: Sequence[str] | None = None, offered_inside: Sequence[str] | None = None
) -> None:
    """B5: booking times never intersect a staff block.

    Args:
        missing_before: starts the block will cover that availability lacked before it (the baseline): none.
        offered_inside: starts of the blocked staff member overlapping the block still offered: none.
    """
    if missing_before is not None:
        require_listed(missing_before, "B5", "slots of an empty day")
    if offered_inside is not None:
        left = list(offered_inside)
        require(
            not left, "B5", "Slots inside a staff block are offered", left, "none", "listAvailabilitySlots"
        )


def judge_only_eligible_assigned_staff(
    *,
    service_staff: tuple[Collection[Any], str] | None = None,
    not_eligible_slots: Sequence[str] | None = None,
    unassigned_slots: Sequence[str] | None = None,
) -> None:
    """B6: an item's staff member is eligible for the service and assigned to the location.

    Args:
        service_staff: (the staff listReservableStaff names, the one eligible member): exactly that member.
        not_eligible_slots: starts availability offers for a member the service does not name: none.
        unassigned_slots: starts availability offers for a member unassigned from the location: none.
    """
    if service_staff is not None:
        listed, eligible_id = service_staff
        wanted = [eligible_id]
        require(set(listed) == set(wanted), "B6", "The service's staff list is wrong", sorted(listed), wanted)
    if not_eligible_slots is not None:
        foreign = list(not_eligible_slots)
        require(not foreign, "B6", "Availability offers a staff member not eligible", foreign, "no slot")
    if unassigned_slots is not None:
        left = list(unassigned_slots)
        title = "Availability offers a staff member not assigned to the location"
        require(not left, "B6", title, left, "none")


def judge_assigned_staff_is_open(assigned: Any, open_staff: Sequence[str], reason: str | None) -> None:
    """B1–B7: the staff member the server assigned to a booking is one the slot is open for.

    `reason` is why the slot is closed for `assigned` (None when it is no member of the world); the rule
    that closes it for that reason is the one broken (B6 when the member is not eligible at all).
    """
    if assigned in open_staff:
        return
    raise violation(
        CLOSED_BY.get(reason or "", "B6"),
        "The booking went to a staff member who is not open for it",
        f"staff {assigned} ({reason or 'not an eligible member of this world'})",
        f"one of {list(open_staff)}",
        "createBooking",
    )


def judge_open_grid_start(listed: Collection[datetime], start: datetime, label: str) -> None:
    """B7: the grid start `start` (`label`, local time) of an open day is listed as an open slot."""
    shown = [wire(t) for t in sorted(listed)]
    require(start in listed, "B7", f"{label} local is not listed as open", shown, label)


def judge_all_or_nothing(
    *, stored: Sequence[str] | None = None, booked: tuple[Sequence[Any], int] | None = None
) -> None:
    """B8: a booking request is all-or-nothing.

    Args:
        stored: ids of bookings that refused requests left behind: none.
        booked: (the items of an accepted booking, how many were asked for): all of them.
    """
    if stored is not None:
        title = "A refused booking request stored a booking"
        require(not stored, "B8", title, list(stored), "none", "listBookings")
    if booked is not None:
        items, count = booked
        require(len(items) == count, "B8", "Not all items were booked", items, f"{count} items")


def judge_derived_booking_fields(
    seen: Mapping[str, Any], wanted: Mapping[str, Any], operation_id: str, *, has_items: bool = True
) -> None:
    """B9: the booking's derived fields (ends, prices, total, status…) are what its items make them."""
    wrong = [key for key in wanted if seen.get(key) != wanted[key]]
    require(
        has_items and not wrong,
        "B9",
        "Derived booking fields are wrong",
        {key: str(seen.get(key)) for key in wrong} or "no items",
        {key: str(wanted[key]) for key in wrong},
        operation_id,
    )


def judge_customer_linkage(
    linked: Sequence[Any] = (),
    *,
    expected: str | None = None,
    email: tuple[str, str] | None = None,
) -> None:
    """B10: each booking is linked to one customer: the given id, or the one with its email (any case).

    Args:
        linked: the customerId of bookings that must share one customer: set and all equal.
        expected: the customer they must be linked to, when known (a given id, an earlier link).
        email: (the email of the linked customer, the email booked with, lower-cased): equal.
    """
    if linked:
        first = linked[0]
        same = bool(first) and all(other == first for other in linked) and expected in (None, first)
        received = first if len(linked) == 1 else list(linked)
        title = "Customer linkage broken: the bookings are not linked to the one customer"
        require(same, "B10", title, received, expected or "one customer id", "createBooking")
    if email is not None:
        found, wanted = email
        require(found == wanted, "B10", "The linked customer has another email", found, wanted)


def judge_invalid_requests_store_nothing(stored: Sequence[str]) -> None:
    """B11: invalid booking requests (answered 400) persist nothing (`stored`: ids they left)."""
    require(not stored, "B11", "An invalid request stored a booking", list(stored), "none", "listBookings")


def judge_booking_runs_portal_pipeline(
    *,
    activities: tuple[Mapping[str, Any], Any] | None = None,
    deposit: tuple[Mapping[str, Any], Mapping[str, Any]] | None = None,
) -> None:
    """B12: createBooking runs the portal pipeline.

    Args:
        activities: (the customer's BookingCreated activities, the booking id): one names the booking.
        deposit: (what a deposit booking and its order show, the Pending booking with a Pending
            deposit order the pipeline makes): equal.
    """
    if activities is not None:
        listed, booking_id = activities
        require_activity(listed, booking_id, "BookingCreated", "B12")
    if deposit is not None:
        seen, wanted = deposit
        title = "A deposit booking is not Pending with a Pending deposit order"
        require(seen == wanted, "B12", title, seen, wanted, "getOrder")


STAFF_POLICY = "a null staffMemberId gets the open eligible staff member with the lowest id (design §8 #30)"
UNIT_POLICY = "an unpinned selection gets the free unit first by name, then id (design §8 #31)"


def judge_reference_allocation(
    chosen: str | None, reference_choice: str, *, what: str, operation_id: str = "createBooking"
) -> None:
    """P1 (basis reference-policy): the server chose what the reference chooses (`policy.judge`).

    Args:
        chosen: the staff member or unit the target assigned.
        reference_choice: the one the reference's policy picks among the open candidates.
        what: `staff` or `unit`.
    """

    def fail() -> None:
        title = f"The {what} assigned is not the reference's choice"
        raise violation("P1", title, chosen, reference_choice, operation_id)

    policy.judge(chosen == reference_choice, "P1", STAFF_POLICY if what == "staff" else UNIT_POLICY, fail)


SERVICE_NAME_POLICY = 'serviceName is worded "{reservable name} – {variant name}" (design §8 #37)'


def judge_service_names(seen: Sequence[Any], wanted: Sequence[str], operation_id: str) -> None:
    """B9's reference policy: each item's `serviceName` is worded as the reference words it (`policy.judge`);
    the contract only asks for a string, which the schema judges."""

    def fail() -> None:
        raise violation(
            "B9", "serviceName is not worded as the reference words it", seen, wanted, operation_id
        )

    policy.judge(list(seen) == list(wanted), "B9", SERVICE_NAME_POLICY, fail)

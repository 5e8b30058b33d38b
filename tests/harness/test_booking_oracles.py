"""The booking-family judges (oracles/bookings, availability, lifecycle): each names its rule, records
evidence only when its check runs and holds, and raises the rule's DomainViolation otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from caldasa_conformance import evidence
from caldasa_conformance.failures import DomainViolation
from caldasa_conformance.oracles import availability, bookings, lifecycle

T0 = datetime(2030, 1, 7, 10, tzinfo=UTC)


@pytest.fixture
def ledger() -> Iterator[evidence.Ledger]:
    with evidence.recording() as recorded:
        yield recorded


def _booking(booking_id: str, staff: str, start: datetime, status: str = "Confirmed") -> dict[str, object]:
    end = start + timedelta(minutes=30)
    item = {"staffMemberId": staff, "startsAt": start.isoformat(), "endsAt": end.isoformat()}
    return {"id": booking_id, "status": status, "items": [item]}


def _answer(status: int, code: str | None = None) -> httpx.Response:
    body = {"code": code} if code else {"id": "b"}
    return httpx.Response(status, json=body)


def test_b1_judges_overlaps_of_one_staff_member(ledger: evidence.Ledger) -> None:
    bookings.judge_no_double_booked_staff([_booking("a", "s1", T0), _booking("b", "s2", T0)])
    assert ledger.evaluated() == ()  # one item per staff member: no pair compared, nothing proven
    with pytest.raises(DomainViolation) as raised:
        bookings.judge_no_double_booked_staff([_booking("a", "s1", T0), _booking("b", "s1", T0)])
    assert raised.value.requirement_id == "B1"


def test_b1_ignores_cancelled_bookings_and_records_a_held_check(ledger: evidence.Ledger) -> None:
    listed = [
        _booking("a", "s1", T0),
        _booking("b", "s1", T0, "Cancelled"),
        _booking("c", "s1", T0 + timedelta(hours=1)),
    ]
    bookings.judge_no_double_booked_staff(listed)
    assert ledger.evaluated() == ("B1",)


def test_b1_race_needs_one_winner_and_the_listing_only_the_winner(ledger: evidence.Ledger) -> None:
    winners = [_answer(201), *[_answer(409, "slot_unavailable")] * 3]
    bookings.judge_no_double_booked_staff(parallel=winners)
    with pytest.raises(DomainViolation, match="B1"):
        bookings.judge_no_double_booked_staff(parallel=[_answer(201), _answer(201)])
    with pytest.raises(DomainViolation, match="B1"):
        bookings.judge_no_double_booked_staff([_booking("a", "s1", T0), _booking("b", "s1", T0)], kept=["a"])


@pytest.mark.parametrize(
    ("judge", "requirement"),
    [
        (lambda: bookings.judge_no_double_allocated_unit(holding=([], ["u1", "u2"])), "B2"),
        (lambda: bookings.judge_inside_business_hours(["2030-01-07T14:00:00Z"]), "B3"),
        (lambda: bookings.judge_inside_staff_shift(["2030-01-07T14:00:00Z"]), "B4"),
        (lambda: bookings.judge_no_booking_in_staff_block(offered_inside=["x"]), "B5"),
        (lambda: bookings.judge_only_eligible_assigned_staff(not_eligible_slots=["x"]), "B6"),
        (lambda: bookings.judge_assigned_staff_is_open("s2", ["s1"], "shift"), "B4"),
        (lambda: bookings.judge_open_grid_start([], T0, "10:00"), "B7"),
        (lambda: bookings.judge_all_or_nothing(stored=["b"]), "B8"),
        (lambda: bookings.judge_derived_booking_fields({"total": 1}, {"total": 2}, "getBooking"), "B9"),
        (lambda: bookings.judge_customer_linkage(["c1", "c2"]), "B10"),
        (lambda: bookings.judge_invalid_requests_store_nothing(["b"]), "B11"),
        (lambda: bookings.judge_booking_runs_portal_pipeline(activities=({"items": []}, "b")), "B12"),
        (lambda: availability.judge_listed_slot_bookable({"startsAt": 1}, {"startsAt": 2}), "A1"),
        (lambda: availability.judge_booked_slots_leave_availability(still_offered=["x"]), "A2"),
        (lambda: availability.judge_slots_follow_the_rules({"slots": []}), "A3"),
        (lambda: availability.judge_cancelled_booking_frees_its_slot(False, T0, "s1"), "A4"),
        (
            lambda: availability.judge_status_and_completed_at(
                {"status": "Cancelled", "completedAt": "x"}, "Cancelled", "getBooking"
            ),
            "L1",
        ),
        (lambda: lifecycle.judge_cancellation_sticks(answer={"status": "Confirmed"}), "C1"),
        (lambda: lifecycle.judge_refused_cancel_changes_nothing("Completed", "Cancelled"), "C2"),
        (lambda: lifecycle.judge_cancel_announced(deliveries=(1, 1)), "C3"),
        (lambda: lifecycle.judge_bookings_are_kept("b", listed_ids=[]), "C4"),
    ],
)
def test_each_judge_names_its_rule(ledger: evidence.Ledger, judge: object, requirement: str) -> None:
    with pytest.raises(DomainViolation) as raised:
        judge()  # type: ignore[operator]
    assert raised.value.requirement_id == requirement
    assert ledger.evaluated() == ()


def test_a_judge_records_only_the_facets_it_was_given(ledger: evidence.Ledger) -> None:
    lifecycle.judge_bookings_are_kept("b", listed_ids=["b"])
    availability.judge_status_and_completed_at({"status": "Completed", "completedAt": "t"}, "Completed", "x")
    lifecycle.judge_cancel_announced()
    assert ledger.evaluated() == ("C4", "L1")


def test_availability_names_the_rule_that_closes_a_listed_slot() -> None:
    slot = (T0, "s1")
    with pytest.raises(DomainViolation) as raised:
        availability.judge_availability_matches_model({slot}, set(), lambda _: "block", lambda _: False)
    assert raised.value.requirement_id == "B5"
    with pytest.raises(DomainViolation) as raised:
        availability.judge_availability_matches_model(set(), {slot}, lambda _: None, lambda _: True)
    assert raised.value.requirement_id == "C1"

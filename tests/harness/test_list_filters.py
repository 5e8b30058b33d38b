"""T12: the list filters read from the contract, what each means for an item, and the judge of filtered
lists on hand-made answers (it records T12 when the rule holds and raises a DomainViolation naming it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from caldasa_conformance import evidence
from caldasa_conformance.builders.filter_scene import values_to_try
from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.failures import DomainViolation
from caldasa_conformance.oracles.lists import judge_list_filters
from caldasa_conformance.spec import load_contract
from caldasa_conformance.support.filters import (
    ANY_ITEM,
    AT_LEAST,
    AT_MOST,
    BEFORE,
    EQUAL,
    HIDDEN,
    LISTED_IN,
    TEXT,
    known_matches,
    list_filters,
    matching,
)

A, B = "6f1b9a52-0000-4000-8000-00000000000a", "6f1b9a52-0000-4000-8000-00000000000b"


@pytest.fixture
def ledger() -> Iterator[Callable[[], tuple[str, ...]]]:
    with evidence.recording() as recorded:
        yield recorded.evaluated


def _broken(judge: Callable[[], None]) -> str:
    with pytest.raises(DomainViolation) as raised:
        judge()
    assert raised.value.requirement_id == "T12"
    return str(raised.value)


def test_every_list_with_optional_query_parameters_has_its_filters_read_from_the_contract() -> None:
    contract = load_contract(BUNDLED_SPEC)
    paged = {op for op in contract.operations if contract.paginated(op)}
    filtered = list_filters()
    assert paged - {"listCustomerNotes"} <= set(filtered)  # notes are paged but have no filter
    assert {"listCustomerActivities", "listFormTemplates", "listWebhooks"} <= set(filtered)
    assert "listAvailabilitySlots" not in filtered  # a document of slots, not a list of items
    assert all(name not in ("page", "pageSize", "limit") for fs in filtered.values() for name in fs)


@pytest.mark.parametrize(
    ("operation_id", "name", "how", "field"),
    [
        ("listBookings", "status", EQUAL, "status"),
        ("listBookings", "staffMemberId", ANY_ITEM, "items"),
        ("listBookings", "resourceId", HIDDEN, None),
        ("listBookings", "from", AT_LEAST, "startsAt"),
        ("listBookings", "to", BEFORE, "startsAt"),
        ("listOrders", "from", AT_LEAST, "createdAt"),
        ("listStaffMembers", "businessLocationId", LISTED_IN, "businessLocationIds"),
        ("listStaffMembers", "isActive", EQUAL, "isActive"),
        ("listReviews", "minRating", AT_LEAST, "rating"),
        ("listReviews", "maxRating", AT_MOST, "rating"),
        ("listCustomers", "search", TEXT, None),
    ],
)
def test_a_filter_means_what_its_name_schema_and_item_say(
    operation_id: str, name: str, how: str, field: str | None
) -> None:
    list_filter = list_filters()[operation_id][name]
    assert (list_filter.how, list_filter.field) == (how, field)


def test_ranges_are_half_open_instants_whatever_the_offset() -> None:
    item = {"id": "b1", "startsAt": "2027-03-01T10:00:00.000Z"}
    same = "2027-03-01T11:00:00.000+01:00"
    assert matching("listBookings", {"from": same}, item) is True
    assert matching("listBookings", {"to": same}, item) is False
    assert matching("listBookings", {"to": "2027-03-01T10:00:00.001Z"}, item) is True


def test_ids_ignore_case_repeated_values_are_ored_and_search_ignores_case() -> None:
    booking = {"id": "b1", "status": "Cancelled", "customerId": A, "items": [{"staffMemberId": B}]}
    assert matching("listBookings", {"customerId": A.upper(), "status": ["Confirmed", "Cancelled"]}, booking)
    assert matching("listBookings", {"staffMemberId": B}, booking) is True
    assert matching("listBookings", {"staffMemberId": A}, booking) is False
    assert matching("listBookings", {"resourceId": A}, booking) is None  # the DTO does not show units
    customer = {"id": "c1", "name": "Ada Lovelace", "email": "ada@example.com", "phone": None}
    assert matching("listCustomers", {"search": "LOVE"}, customer) is True
    assert matching("listCustomers", {"search": "babbage"}, customer) is False
    assert matching("listStaffMembers", {"isActive": "false"}, {"id": "s", "isActive": False}) is True


def test_the_judge_records_t12_when_every_item_matches_and_the_known_ones_are_there(
    ledger: Callable[[], tuple[str, ...]],
) -> None:
    items = [{"id": "s1", "isActive": True, "businessLocationIds": [A]}]
    judge_list_filters("listStaffMembers", {"isActive": True, "pageSize": 100}, items, known={"s1": True})
    assert ledger() == ("T12",)


def test_nothing_is_recorded_when_nothing_was_judged(ledger: Callable[[], tuple[str, ...]]) -> None:
    judge_list_filters("listStaffMembers", {"isActive": True}, [])
    judge_list_filters("listStaffMembers", {"pageSize": 10}, [{"id": "s1", "isActive": False}])
    assert ledger() == ()


def test_an_item_the_filters_exclude_names_t12() -> None:
    inactive = [{"id": "s2", "isActive": False, "businessLocationIds": [A]}]
    text = _broken(lambda: judge_list_filters("listStaffMembers", {"isActive": True}, inactive))
    assert "s2" in text


def test_a_known_item_listed_against_its_filter_or_left_out_names_t12() -> None:
    listed = [{"id": "b1", "customerId": A}]
    _broken(lambda: judge_list_filters("listBookings", {"resourceId": B}, listed, known={"b1": False}))
    _broken(lambda: judge_list_filters("listBookings", {"customerId": A}, listed, known={"b2": True}))


def test_a_missing_item_is_judged_only_on_a_whole_list(ledger: Callable[[], tuple[str, ...]]) -> None:
    page = [{"id": "b1", "customerId": A}]
    judge_list_filters("listBookings", {"customerId": A}, page, total=150, known={"b2": True})
    assert ledger() == ("T12",)  # the items held; b2 may be on another page


def test_known_matches_leaves_out_what_the_items_cannot_tell() -> None:
    items = [{"id": "B1", "customerId": A}, {"id": "b2", "customerId": B}]
    assert known_matches("listBookings", {"customerId": A}, items) == {"b1": True, "b2": False}
    assert known_matches("listBookings", {"resourceId": A}, items) == {}


def test_values_to_try_contrast_the_items_and_send_instants_in_another_offset() -> None:
    filters = list_filters()["listBookings"]
    items = [
        {"id": "1", "status": "Confirmed", "startsAt": "2027-03-01T10:00:00.000Z", "items": []},
        {"id": "2", "status": "Cancelled", "startsAt": "2027-03-01T12:00:00.000Z", "items": []},
    ]
    assert values_to_try(filters["status"], items, []) == [
        ["Confirmed"],
        ["Cancelled"],
        ["Confirmed", "Cancelled"],
    ]
    assert values_to_try(filters["from"], items, []) == ["2027-03-01T11:00:00.000+01:00"]
    assert values_to_try(filters["customerId"], items, [A, B]) == [A, B]
    assert values_to_try(filters["resourceId"], items, [A]) == []
    assert values_to_try(list_filters()["listLocations"]["isActive"], [], []) == [True, False]

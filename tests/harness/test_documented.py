"""`Contract.documented`: the members of an answer its schema documents, at every depth (what to compare)."""

from __future__ import annotations

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.spec import load_contract

CONTRACT = load_contract(BUNDLED_SPEC)


def test_members_the_contract_does_not_list_are_left_out_at_every_depth() -> None:
    booking = {"id": "b", "status": "Confirmed", "serverRegion": "eu", "items": [{"startsAt": "t", "x": 1}]}
    assert CONTRACT.documented("getBooking", 200, booking) == {
        "id": "b",
        "status": "Confirmed",
        "items": [{"startsAt": "t"}],
    }


def test_two_views_that_differ_only_in_added_members_read_the_same() -> None:
    listed = {"id": "b", "items": [{"startsAt": "t"}]}
    read = {"id": "b", "items": [{"startsAt": "t", "serverRegion": "eu"}]}
    assert CONTRACT.documented("getBooking", 200, listed) == CONTRACT.documented("getBooking", 200, read)
    changed = {"id": "b", "items": [{"startsAt": "u"}]}
    assert CONTRACT.documented("getBooking", 200, changed) != CONTRACT.documented("getBooking", 200, read)


def test_an_answer_without_a_schema_is_kept_whole() -> None:
    assert CONTRACT.documented("deleteLocation", 204, {"a": 1}) == {"a": 1}

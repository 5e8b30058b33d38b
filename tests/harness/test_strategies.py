"""Strategies: public surface, argument validation, and every example valid against the contract."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import strategies
from caldasa_conformance.spec import load_contract

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "caldasa.yaml"
pytestmark = pytest.mark.skipif(not CONTRACT.is_file(), reason="openapi/caldasa.yaml not written yet")


def test_all_is_sorted_and_complete() -> None:
    public = {
        name for name in dir(strategies) if not name.startswith("_") and callable(getattr(strategies, name))
    }
    assert strategies.__all__ == sorted(strategies.__all__)
    assert set(strategies.__all__) == public - {"annotations"}


def _validator(operation_id: str) -> Any:
    contract = load_contract(CONTRACT)
    pointer = contract.request_body_schema_pointer(operation_id)
    assert pointer is not None
    return contract.validator(pointer)


@pytest.mark.parametrize(
    ("operation_id", "strategy"),
    [
        ("createCustomer", strategies.customers(tag="cc-t")),
        ("createCustomer", strategies.customers(with_email=False)),
        ("createLocation", strategies.locations(tag="cc-t")),
        ("createResourceType", strategies.resource_types(tag="cc-t")),
        ("createStaffMember", strategies.staff_members(tag="cc-t")),
        ("createCustomerNote", strategies.note_bodies()),
        ("replaceBusinessHours", strategies.business_hours()),
    ],
)
def test_examples_are_valid_request_bodies(operation_id: str, strategy: st.SearchStrategy[Any]) -> None:
    validator = _validator(operation_id)

    @settings(max_examples=40, deadline=None)
    @given(strategy)
    def check(body: Any) -> None:
        errors = list(validator.iter_errors(body))
        assert not errors, errors[0].message

    check()


@given(
    strategies.time_windows(
        min_start=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
        max_start=dt.datetime(2030, 1, 2, tzinfo=dt.timezone.utc),
    )
)
def test_time_windows_are_on_the_grid_and_ordered(window: tuple[dt.datetime, dt.datetime]) -> None:
    start, end = window
    assert start < end
    assert start.minute % 15 == 0
    assert end.minute % 15 == 0


@pytest.mark.parametrize(
    "build",
    [
        lambda: strategies.names(min_size=5, max_size=2),
        lambda: strategies.names(tag="x" * 300),
        lambda: strategies.business_hours(opens_from=10, closes_by=9),
        lambda: strategies.time_windows(min_start=dt.datetime(2030, 1, 1), max_start=dt.datetime(2030, 1, 2)),
    ],
)
def test_impossible_arguments_raise_invalid_argument(build: Any) -> None:
    with pytest.raises(InvalidArgument):
        build().example()

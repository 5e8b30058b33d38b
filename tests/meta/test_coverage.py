"""Meta-test: the suites cover the contract.

Every operation of the contract is exercised by a suite test (an `operation(...)` marker, or a Schemathesis
item generated for it) or exempted in openapi/ineligible.yaml; every MUST requirement has a test (`req(...)`
marker) and a reference-server fault that proves it, or is exempted there with a reason. The suites are
collected without a target, in a child pytest (see caldasa_conformance.selftest.coverage).
"""

from __future__ import annotations

import pytest

from caldasa_conformance.selftest.coverage import (
    CoverageTable,
    build_coverage,
    render_coverage,
    spec_operations,
)

OPERATION_COUNT = len(spec_operations())  # (METHOD, path) pairs of the contract


@pytest.fixture(scope="module")
def table() -> CoverageTable:
    return build_coverage()


def test_each_operation_of_the_contract_has_its_own_operation_id() -> None:
    assert len(set(spec_operations().values())) == OPERATION_COUNT


def test_every_operation_is_exercised_or_exempted(table: CoverageTable) -> None:
    assert len(table.operations) == OPERATION_COUNT
    gaps = [row.operation for row in table.operations if not row.covered]
    assert not gaps, f"operations with no test and no exemption in openapi/ineligible.yaml: {gaps}"


def test_every_must_requirement_has_a_test_and_a_proving_fault_or_an_exemption(table: CoverageTable) -> None:
    gaps = [line for line in table.gaps() if line.startswith("requirement")]
    assert not gaps, "uncovered MUST requirements:\n" + "\n".join(gaps)


def test_the_table_renders(table: CoverageTable) -> None:
    text = render_coverage(table)
    assert "createBooking" in text
    assert "S1" in text


def test_operations_count_from_markers_and_generated_items_and_requirements_need_a_fault() -> None:
    items = [
        {
            "nodeid": "suites/x.py::test_a",
            "classes": ["http"],
            "requirements": ["T7"],
            "operations": ["getBooking"],
        },
        {
            "nodeid": "suites/s.py::test_gen[POST /customers]",
            "classes": ["schema"],
            "requirements": ["S1"],
            "operations": [],
        },
    ]
    table = build_coverage(items, fault_requirements={"delete-not-effective": "T7"})
    rows = {row.operation: row for row in table.operations}
    assert rows["getBooking"].tests == ["suites/x.py::test_a"]
    assert rows["createCustomer"].generated == ["suites/s.py::test_gen"]
    requirements = {row.requirement: row for row in table.requirements}
    assert requirements["T7"].covered
    assert requirements["S1"].tests
    assert not requirements["S1"].faults  # no fault given for S1 here

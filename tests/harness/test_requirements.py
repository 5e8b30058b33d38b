"""The requirement model: the data file is complete and the loader is strict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from caldasa_conformance.requirements import (
    INELIGIBLE_PATH,
    REQUIREMENTS_PATH,
    RequirementsError,
    load_ineligible,
    load_requirements,
    parse_requirements,
)
from caldasa_conformance.spec import METHODS, load_contract

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "caldasa.yaml"
EXPECTED_IDS = (
    [f"B{i}" for i in range(1, 13)]
    + [f"A{i}" for i in range(1, 5)]
    + ["L1"]
    + [f"C{i}" for i in range(1, 5)]
    + [f"E{i}" for i in range(1, 9)]
    + [f"R{i}" for i in range(1, 4)]
    + [f"W{i}" for i in range(1, 7)]
    + [f"K{i}" for i in range(1, 7)]
    + [f"T{i}" for i in range(1, 13)]
    + ["S1", "S2", "S3", "S4", "V1"]
    + ["P1"]
)
ENTRY: dict[str, Any] = {
    "id": "X1",
    "statement": "It MUST work.",
    "level": "MUST",
    "class": "schema",
    "operations": ["getCustomer"],
    "source": "inferred",
    "basis": "contract",
}


def test_every_design_rule_and_contract_id_is_present_once() -> None:
    requirements = load_requirements()
    assert sorted(requirements) == sorted(EXPECTED_IDS)


def test_statements_use_rfc2119_keywords() -> None:
    for requirement in load_requirements().values():
        assert any(word in requirement.statement for word in ("MUST", "SHOULD", "MAY")), requirement.id


def test_ineligible_entries_name_known_requirements() -> None:
    assert load_ineligible(INELIGIBLE_PATH, load_requirements())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "unknown key 'colour'"),
        ({"levle": "MUST"}, "unknown key 'levle' (did you mean 'level'?)"),
        ({"level": "MUSTN'T"}, 'level="MUSTN\'T" is not one of MUST, SHOULD, MAY'),
        ({"class": "schemas"}, "did you mean 'schema'?"),
        ({"operations": []}, "operations must be a non-empty list"),
        ({"source": "rumour"}, "source='rumour'"),
        ({"basis": "policy"}, "basis='policy' is not one of contract, reference-policy"),
        ({"basis": "contract", "reference_policies": []}, "reference_policies must be a non-empty list"),
        ({"basis": "contract", "reference_policies": [" "]}, "reference_policies must be a non-empty list"),
        (
            {"basis": "reference-policy", "reference_policies": ["lowest id"]},
            "reference_policies belong to a contract requirement",
        ),
    ],
)
def test_loader_rejects_malformed_entries(change: dict[str, Any], message: str) -> None:
    with pytest.raises(RequirementsError) as info:
        parse_requirements({"requirements": [{**ENTRY, **change}]})
    assert message in str(info.value)


@pytest.mark.parametrize("key", ["source", "basis"])
def test_loader_rejects_missing_keys(key: str) -> None:
    entry = {name: value for name, value in ENTRY.items() if name != key}
    with pytest.raises(RequirementsError, match=f"missing key '{key}'"):
        parse_requirements({"requirements": [entry]})


def test_every_requirement_has_a_basis_and_policies_are_marked() -> None:
    """Each requirement says whose rule it is; the design's own choices (§8 #30, #31, #37, #56) are marked."""
    requirements = load_requirements()
    assert {r.basis for r in requirements.values()} == {"contract", "reference-policy"}
    assert [rid for rid, r in requirements.items() if r.is_policy] == ["P1"]
    assert {rid for rid, r in requirements.items() if r.reference_policies} == {"B9", "K4"}
    parsed = parse_requirements({"requirements": [{**ENTRY, "reference_policies": ["lowest id first"]}]})
    assert parsed["X1"].reference_policies == ("lowest id first",)


def test_loader_rejects_duplicate_ids() -> None:
    with pytest.raises(RequirementsError, match="'X1': duplicate id"):
        parse_requirements({"requirements": [ENTRY, ENTRY]})


def test_loader_rejects_unknown_operation_ids() -> None:
    with pytest.raises(
        RequirementsError, match=r"unknown operationId 'getCustomer' .*did you mean 'getCustomers'"
    ):
        parse_requirements({"requirements": [ENTRY]}, operation_ids=["getCustomers", "listBookings"])


def test_loader_rejects_unknown_top_level_keys() -> None:
    with pytest.raises(RequirementsError, match="top-level"):
        parse_requirements({"requirements": [], "extra": 1})


@pytest.mark.skipif(not CONTRACT.is_file(), reason="openapi/caldasa.yaml not written yet")
def test_every_requirement_names_existing_operations() -> None:
    contract = load_contract(CONTRACT)
    operation_ids = contract.operations
    paths = contract.document["paths"].values()
    in_paths = [method for item in paths for method in item if method in METHODS]
    assert len(operation_ids) == len(in_paths)  # every operation is known by its own operationId
    load_requirements(REQUIREMENTS_PATH, operation_ids=operation_ids)

"""The contract's shape: valid OpenAPI 3.1, the seed's operations and schemas, naming rules."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate

from tests.contract.helpers import Operation, Seed

# The design's §2 operation table as a golden list: tag, summary, method, path, operationId.
OPS_TSV = Path(__file__).parent / "data" / "operations.tsv"


def _canonical_rows() -> list[list[str]]:
    """The golden table's rows: tag, summary, method, path, operationId."""
    return [line.split("\t") for line in OPS_TSV.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_spec_passes_openapi_spec_validator(spec: dict[str, Any]) -> None:
    validate(spec)


def test_info_servers_and_global_bearer_security(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] == "Caldasa Public API"
    assert spec["info"]["version"] == "1.0.0"
    assert spec["servers"] == [{"url": "https://prod.your-api-server.com", "description": "Production"}]
    assert spec["security"] == [{"bearerAuth": []}]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["type"] == "http"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_seed_parser_reads_every_operation_and_schema(seed: Seed, spec: dict[str, Any]) -> None:
    assert seed.operations == [(tag, summary) for tag, summary, *_ in _canonical_rows()]
    assert len(seed.schemas) == len(spec["components"]["schemas"])


def test_one_operation_per_seed_entry(seed: Seed, spec_operations: list[Operation]) -> None:
    assert len(spec_operations) == len(seed.operations)


def test_each_seed_summary_appears_exactly_once_with_its_tag(
    seed: Seed, spec_operations: list[Operation]
) -> None:
    documented = [(op.definition["tags"], op.definition["summary"]) for op in spec_operations]
    for tag, summary in seed.operations:
        assert documented.count(([tag], summary)) == 1, f"{tag} / {summary}"


def test_component_schemas_are_exactly_the_seed_schemas(seed: Seed, spec: dict[str, Any]) -> None:
    assert sorted(spec["components"]["schemas"]) == sorted(seed.schemas)


def test_operation_ids_are_unique_camel_case(spec_operations: list[Operation]) -> None:
    ids = [op.operation_id for op in spec_operations]
    assert len(set(ids)) == len(ids)
    for operation_id in ids:
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)*", operation_id), operation_id


def _camel_case_summary(summary: str) -> str:
    """§8 #3: the operationId is the camelCase seed summary without a/an/the."""
    words = [w for w in re.split(r"[\s-]+", summary) if w.lower() not in {"a", "an", "the"}]
    return words[0].lower() + "".join(w[0].upper() + w[1:].lower() for w in words[1:])


def test_operation_ids_follow_the_summary_rule(spec_operations: list[Operation]) -> None:
    for op in spec_operations:
        assert op.operation_id == _camel_case_summary(op.definition["summary"])


def test_every_operation_has_a_description(spec_operations: list[Operation]) -> None:
    for op in spec_operations:
        assert len(op.definition.get("description", "")) > 20, op.operation_id


def test_operations_match_the_canonical_table(spec_operations: list[Operation]) -> None:
    expected = {
        (tag, summary, method.lower(), path, op_id) for tag, summary, method, path, op_id in _canonical_rows()
    }
    actual = {
        (op.definition["tags"][0], op.definition["summary"], op.method, op.path, op.operation_id)
        for op in spec_operations
    }
    assert actual == expected

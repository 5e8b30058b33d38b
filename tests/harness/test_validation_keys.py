"""The `validation_keys_exist` oracle (V1) on hand-made 400s, and the mutated-location glue."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import ComponentInfo, TestPhase

from caldasa_conformance.failures import ValidationFieldMissing
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.oracles.problems import field_root, request_names
from caldasa_conformance.spec import Contract
from caldasa_conformance.support.st import negative_locations

# A booking-shaped operation: a $ref'd path parameter, a query and a header parameter, and a body whose
# properties come from `properties`, an `anyOf` branch, and (for the nested key) an array of $ref'd items.
CONTRACT = Contract(
    {
        "openapi": "3.1.0",
        "info": {"title": "keys", "version": "1"},
        "paths": {
            "/locations/{locationId}/bookings": {
                "post": {
                    "operationId": "createBooking",
                    "parameters": [
                        {"$ref": "#/components/parameters/LocationId"},
                        {"name": "pageSize", "in": "query", "schema": {"type": "integer"}},
                        {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Create"}}}
                    },
                    "responses": {"400": {"description": "invalid"}},
                }
            }
        },
        "components": {
            "parameters": {
                "LocationId": {"name": "locationId", "in": "path", "required": True, "schema": {}}
            },
            "schemas": {
                "Create": {
                    "type": "object",
                    "required": ["items"],
                    "anyOf": [{"required": ["customerEmail"], "properties": {"customerEmail": {}}}],
                    "properties": {
                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                    },
                },
                "Item": {"type": "object", "properties": {"startsAt": {"type": "string"}}},
            },
        },
    }
)
CTX = OracleContext(contract=CONTRACT)


def bad_request(errors: Any) -> httpx.Response:
    """A 400 ValidationProblemDetails with `errors`, received through a MockTransport."""
    body = {"status": 400, "errors": errors}
    transport = httpx.MockTransport(lambda request: httpx.Response(400, json=body))
    with httpx.Client(transport=transport, base_url="http://test") as client:
        return client.post("/locations/x/bookings", json={})


def judge(errors: Any, *locations: str, negative: bool = True) -> None:
    exchange = Exchange("createBooking", negative=negative, invalid_locations=locations)
    run_oracles(CTX, bad_request(errors), exchange, only=["validation_keys_exist"])


@pytest.mark.parametrize(
    "key",
    [
        "body",
        "items",
        "Items[0].StartsAt",
        "$.items[0].startsAt",
        "items[3].startsAt",
        "customerEmail",
        "locationId",
        "PAGESIZE",
        "Idempotency-Key",
    ],
)
def test_keys_naming_request_fields_pass(key: str) -> None:
    judge({key: ["invalid"]})


@pytest.mark.parametrize("key", ["bogus", "$.customer.email", "startsAt", "items0", ""])
def test_a_key_naming_no_request_field_fails(key: str) -> None:
    with pytest.raises(ValidationFieldMissing, match="unknown") as info:
        judge({"items": ["required"], key: ["invalid"]})
    assert info.value.requirement_id == "V1"
    assert "errors` by the request's own fields" in str(info.value)


@pytest.mark.parametrize("errors", [{}, None, ["items"]])
def test_a_400_without_error_keys_fails(errors: Any) -> None:
    with pytest.raises(ValidationFieldMissing, match=r"\(none\)"):
        judge(errors)


@pytest.mark.parametrize(
    ("location", "right", "wrong"),
    [
        ("query", "pageSize", "items"),
        ("path", "locationId", "pageSize"),
        ("header", "idempotency-key", "body"),
        ("body", "$.items[0].startsAt", "locationId"),
        ("body", "body", "pageSize"),
    ],
)
def test_the_mutated_location_must_be_named(location: str, right: str, wrong: str) -> None:
    judge({wrong: ["x"], right: ["y"]}, location)
    with pytest.raises(ValidationFieldMissing, match=f"none naming the invalid {location}"):
        judge({wrong: ["x"]}, location)


def test_two_mutated_locations_only_need_existing_keys() -> None:
    judge({"pageSize": ["x"]}, "body", "query")


def test_valid_input_and_other_statuses_are_not_judged() -> None:
    judge({"bogus": ["x"]}, negative=False)
    exchange = Exchange("createBooking", negative=True)
    run_oracles(CTX, httpx.Response(404, json={"status": 404}), exchange, only=["validation_keys_exist"])


def test_field_root_and_request_names() -> None:
    assert field_root("$.Items[0].StartsAt") == field_root("[2].items") == "items"
    assert request_names(CONTRACT, "createBooking") == {
        "body": frozenset({"body", "items", "customeremail"}),
        "path": frozenset({"locationid"}),
        "query": frozenset({"pagesize"}),
        "header": frozenset({"idempotency-key"}),
    }


def _case(mode: GenerationMode, phase: TestPhase, **components: GenerationMode) -> Any:
    parts = {ParameterLocation(where): ComponentInfo(mode=value) for where, value in components.items()}
    meta = SimpleNamespace(
        generation=SimpleNamespace(mode=mode), phase=SimpleNamespace(name=phase), components=parts
    )
    return SimpleNamespace(meta=meta)


def test_negative_locations_come_from_fuzzing_components_only() -> None:
    negative, positive = GenerationMode.NEGATIVE, GenerationMode.POSITIVE
    fuzzed = _case(negative, TestPhase.FUZZING, query=negative, body=positive)
    assert negative_locations(fuzzed) == ("query",)
    both = _case(negative, TestPhase.FUZZING, path=negative, body=negative)
    assert negative_locations(both) == ("body", "path")
    assert negative_locations(_case(negative, TestPhase.COVERAGE, header=negative)) == ()
    assert negative_locations(_case(positive, TestPhase.FUZZING, body=positive)) == ()
    assert negative_locations(SimpleNamespace(meta=None)) == ()

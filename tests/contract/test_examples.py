"""Examples: every request body and 2xx body has one, and it validates (JSON Schema 2020-12 + formats)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.contract.helpers import SEED_PATH, Operation

BASE_URI = "urn:caldasa:contract"


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator whose local `#/components/...` refs resolve inside the contract."""
    registry: Registry[Any] = Registry().with_resource(
        BASE_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    rooted = {"$ref": BASE_URI + schema["$ref"]} if "$ref" in schema else schema
    return Draft202012Validator(rooted, registry=registry, format_checker=FormatChecker())


def _media_with_bodies(op: Operation) -> list[tuple[str, dict[str, Any]]]:
    media = []
    if "requestBody" in op.definition:
        media.append(("request", op.definition["requestBody"]["content"]["application/json"]))
    for status, response in op.definition["responses"].items():
        if status.startswith("2") and "content" in response:
            media.append((status, response["content"]["application/json"]))
    return media


def _examples(media: dict[str, Any]) -> list[Any]:
    if "example" in media:
        return [media["example"]]
    return [example["value"] for example in media.get("examples", {}).values()]


def test_every_body_has_an_example_that_validates(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    checked = 0
    bodies = sum(1 for op in spec_operations if "requestBody" in op.definition)
    success_bodies = sum(
        1
        for op in spec_operations
        for status, response in op.definition["responses"].items()
        if status.startswith("2") and "content" in response
    )
    for op in spec_operations:
        for where, media in _media_with_bodies(op):
            examples = _examples(media)
            assert examples, f"{op.operation_id} {where}: no example"
            validator = _validator(spec, media["schema"])
            for example in examples:
                errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(example)]
                assert not errors, f"{op.operation_id} {where}: {errors}"
                checked += 1
    assert checked >= bodies + success_bodies > 0  # every request body plus every 2xx response that has one


def test_shared_error_examples_validate(spec: dict[str, Any]) -> None:
    for name, response in spec["components"]["responses"].items():
        media = response["content"]["application/problem+json"]
        pointer = {"$ref": f"#/components/responses/{name}/content/application~1problem+json/schema"}
        errors = [e.message for e in _validator(spec, pointer).iter_errors(media["example"])]
        assert not errors, f"{name}: {errors}"


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [("createdAt", "2026-01-01 10:00:00"), ("createdAt", "not a date"), ("id", "not-a-uuid")],
)
def test_format_checking_is_really_on(spec: dict[str, Any], field: str, bad_value: str) -> None:
    """A malformed date-time or uuid must FAIL, or the example checks would prove nothing."""
    (op,) = [o for o in _ops(spec) if o.operation_id == "getCustomer"]
    media = op.definition["responses"]["200"]["content"]["application/json"]
    validator = _validator(spec, media["schema"])
    assert validator.is_valid(media["example"])
    assert not validator.is_valid({**media["example"], field: bad_value})


def _ops(spec: dict[str, Any]) -> list[Operation]:
    return [Operation(path, method, d) for path, item in spec["paths"].items() for method, d in item.items()]


def _seed_json_examples() -> list[Any]:
    """The JSON bodies that follow `Example` headings on the seed page (request, then 201)."""
    text = SEED_PATH.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    found = []
    for chunk in text.split("Example\n")[1:]:
        if chunk.lstrip().startswith("{"):  # skips "Request Example" code-sample tabs
            found.append(decoder.raw_decode(chunk.lstrip())[0])
    return found


def test_create_booking_uses_the_seed_examples_verbatim(spec: dict[str, Any]) -> None:
    request_example, created_example = _seed_json_examples()[:2]
    create = spec["paths"]["/bookings"]["post"]
    assert create["requestBody"]["content"]["application/json"]["example"] == request_example
    assert create["responses"]["201"]["content"]["application/json"]["example"] == created_example

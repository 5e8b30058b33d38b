"""Schema rules of design §3 as amended by §8 (nullability, bounds, enums, seed-faithful bookings)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.contract.helpers import Operation, resolve, types_of, walk_schema

EMAIL_PATTERN = r"^[^@ \t\r\n]+@[^@ \t\r\n]+$"
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
BOUNDED_FORMATS = {"uuid", "date", "date-time"}
ENUM_FIELDS = {"status", "kind", "source", "channel", "messageChannel"}
BOOKING_SCHEMAS = (
    "CreatePublicBookingRequest",
    "CreatePublicBookingItemRequest",
    "PublicBookingResourceSelection",
    "PublicBookingDto",
    "PublicBookingItemDto",
)


def _request_subschemas(spec: dict[str, Any], ops: list[Operation]) -> Iterator[tuple[str, dict[str, Any]]]:
    seen: set[str] = set()
    for op in ops:
        body = op.definition.get("requestBody")
        if body:
            yield from walk_schema(spec, body["content"]["application/json"]["schema"], seen)


def _response_subschemas(spec: dict[str, Any], ops: list[Operation]) -> Iterator[tuple[str, dict[str, Any]]]:
    seen: set[str] = set()
    for op in ops:
        for status, response in op.definition["responses"].items():
            media = resolve(spec, response).get("content", {}).get("application/json")
            if status.startswith("2") and media:
                yield from walk_schema(spec, media["schema"], seen)


def _parameter_schemas(spec: dict[str, Any], ops: list[Operation]) -> Iterator[tuple[str, dict[str, Any]]]:
    for op in ops:
        for param in op.definition.get("parameters", []):
            param = resolve(spec, param)
            yield from walk_schema(spec, param["schema"])


def test_response_dtos_require_every_property(spec: dict[str, Any], spec_operations: list[Operation]) -> None:
    for name, schema in _response_subschemas(spec, spec_operations):
        if "properties" in schema:
            assert schema["required"] == list(schema["properties"]), name


def test_request_objects_are_open(spec: dict[str, Any], spec_operations: list[Operation]) -> None:
    for name, schema in _request_subschemas(spec, spec_operations):
        assert schema.get("additionalProperties", True) is not False, name


def test_every_input_is_bounded(spec: dict[str, Any], spec_operations: list[Operation]) -> None:
    """§8 #16: every request string has maxLength, every array maxItems, every integer a maximum."""
    inputs = [*_request_subschemas(spec, spec_operations), *_parameter_schemas(spec, spec_operations)]
    for name, schema in inputs:
        kinds = types_of(schema)
        if "string" in kinds and "enum" not in schema and schema.get("format") not in BOUNDED_FORMATS:
            assert "maxLength" in schema, name
        if "array" in kinds:
            assert "maxItems" in schema, name
        if "integer" in kinds:
            assert "maximum" in schema, name
        if name.endswith("Cents") and "integer" in kinds:
            assert (schema["minimum"], schema["maximum"]) == (0, 100_000_000), name


def test_no_email_or_time_formats(spec: dict[str, Any], spec_operations: list[Operation]) -> None:
    everything = [*_request_subschemas(spec, spec_operations), *_response_subschemas(spec, spec_operations)]
    for name, schema in everything:
        assert schema.get("format") not in {"email", "time"}, name


def test_request_emails_use_the_pattern_except_the_bookings(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for schema_name, schema in schemas.items():
        for prop, sub in schema.get("properties", {}).items():
            is_email = prop == "email" or (prop.endswith("Email") and not prop.startswith("optIn"))
            if is_email and not schema_name.startswith("Public"):
                expected = None if schema_name == "CreatePublicBookingRequest" else EMAIL_PATTERN
                assert sub.get("pattern") == expected, f"{schema_name}.{prop}"


def test_local_times_use_the_pattern(spec: dict[str, Any]) -> None:
    for name in ("PublicBusinessHourDto", "UpdatePublicBusinessHourEntry"):
        for prop in ("opensAt", "closesAt"):
            assert spec["components"]["schemas"][name]["properties"][prop]["pattern"] == LOCAL_TIME_PATTERN


def test_listed_values_are_closed_enums(spec: dict[str, Any]) -> None:
    """§8 #1, except PublicBookingDto.status, which stays a plain string (§8 #10)."""
    for schema_name, schema in spec["components"]["schemas"].items():
        for prop, sub in schema.get("properties", {}).items():
            is_form_field_type = schema_name == "PublicFormTemplateFieldDto" and prop == "type"
            is_string = "string" in types_of(sub)
            if (
                (prop in ENUM_FIELDS or is_form_field_type)
                and is_string
                and schema_name != "PublicBookingDto"
            ):
                assert "enum" in sub, f"{schema_name}.{prop}"
                assert all(v is None or v[0].isupper() for v in sub["enum"]), f"{schema_name}.{prop}"
    booking_status = spec["components"]["schemas"]["PublicBookingDto"]["properties"]["status"]
    assert booking_status["type"] == "string"
    assert "enum" not in booking_status


def test_booking_schemas_carry_exactly_the_seed_fields(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    create = spec["paths"]["/bookings"]["post"]
    request = create["requestBody"]["content"]["application/json"]["example"]
    created = create["responses"]["201"]["content"]["application/json"]["example"]
    expected = {
        "CreatePublicBookingRequest": request,
        "CreatePublicBookingItemRequest": request["items"][0],
        "PublicBookingResourceSelection": request["items"][0]["resourceSelections"][0],
        "PublicBookingDto": created,
        "PublicBookingItemDto": created["items"][0],
    }
    for name in BOOKING_SCHEMAS:
        assert list(schemas[name]["properties"]) == list(expected[name]), name
    assert set(schemas["CreatePublicBookingRequest"]["properties"]["customerEmail"]) <= {
        "type",
        "minLength",
        "maxLength",
    }


def test_customer_rules_are_any_of_with_non_null_branches(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("CreatePublicBookingRequest", "CreatePublicCustomerRequest"):
        for branch in schemas[name]["anyOf"]:
            for prop in branch["required"]:
                assert branch["properties"][prop]["type"] == "string", f"{name}: {prop}"


def test_problem_details_require_status_and_stay_open(spec: dict[str, Any]) -> None:
    for name in ("ProblemDetails", "ValidationProblemDetails"):
        schema = spec["components"]["schemas"][name]
        assert "status" in schema["required"]
        assert schema["additionalProperties"] is True
    assert "errors" in spec["components"]["schemas"]["ValidationProblemDetails"]["required"]


def test_paged_wrappers_have_the_paged_shape(spec: dict[str, Any]) -> None:
    paged = [s for s in spec["components"]["schemas"].values() if "totalCount" in s.get("properties", {})]
    assert len(paged) == 14
    for schema in paged:
        assert {"items", "page", "pageSize", "totalCount"} <= set(schema["required"])
        assert schema["properties"]["pageSize"]["maximum"] == 100


def test_design_amendments_are_present(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert "depositCents" in schemas["PublicReservableVariantDto"]["required"]  # §8 #33
    variants = schemas["PublicReservableDto"]["properties"]["variants"]  # §8 #60
    assert variants["minItems"] == 1
    for field in ("messageId", "reviewId"):  # §8 #59
        assert "null" in schemas["PublicCustomerActivityDto"]["properties"][field]["type"]
    event_types = schemas["CreatePublicWebhookSubscriptionRequest"]["properties"]["eventTypes"]  # §8 #61
    assert len(event_types["items"]["enum"]) == 16
    url = schemas["CreatePublicWebhookSubscriptionRequest"]["properties"]["url"]  # §8 #64
    assert url["pattern"] == "^https://"
    assert "code" in schemas["PublicTicketOrderTicketDto"]["required"]

"""Oracles judged on hand-made responses served by httpx.MockTransport."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.failures import (
    ConformanceFailure,
    InvalidInputAccepted,
    LeakyErrorDetail,
    MissingHeader,
    ProblemShapeViolation,
    RetryAfterMissing,
    SchemaViolation,
    ServerError,
    UndocumentedStatus,
    ValidationFieldMissing,
)
from caldasa_conformance.oracles import Exchange, OracleContext, oracle, registered, run_oracles
from caldasa_conformance.oracles.problems import normalize_field
from caldasa_conformance.spec import FORMAT_CHECKER
from tests.harness.mini_contract import mini_contract

CUSTOMER = {
    "id": "0b6d1f7e-3c1a-4f0e-9a55-6a2b8f0f3c11",
    "name": "Ada",
    "createdAt": "2026-01-01T10:00:00.000Z",
}
CTX = OracleContext(contract=mini_contract())
CREATE = Exchange("createCustomer")


def respond(
    status: int,
    *,
    json: Any = None,
    content_type: str | None = None,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send one request through a MockTransport that answers as described."""

    def handler(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(status, json=json, text=text, headers=headers)
        if content_type:
            response.headers["content-type"] = content_type
        return response

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test") as client:
        return client.post("/customers", json={"name": "Ada"})


def created(body: dict[str, Any]) -> httpx.Response:
    return respond(201, json=body, headers={"Location": "/customers/x"})


def problem(status: int, **members: Any) -> httpx.Response:
    return respond(status, json={"status": status, **members}, content_type="application/problem+json")


def test_valid_created_response_passes_every_oracle() -> None:
    run_oracles(CTX, created(CUSTOMER), CREATE)


def test_malformed_date_time_fails_the_schema_oracle() -> None:
    with pytest.raises(SchemaViolation, match=r"createdAt") as info:
        run_oracles(CTX, created({**CUSTOMER, "createdAt": "2026-01-01 10:00:00"}), CREATE)
    assert info.value.requirement_id == "S1"


def test_malformed_uuid_fails_the_schema_oracle() -> None:
    with pytest.raises(SchemaViolation, match=r"\$\.id"):
        run_oracles(CTX, created({**CUSTOMER, "id": "not-a-uuid"}), CREATE)


def test_missing_required_property_fails_the_schema_oracle() -> None:
    body = {key: value for key, value in CUSTOMER.items() if key != "name"}
    with pytest.raises(SchemaViolation, match="'name' is a required property"):
        run_oracles(CTX, created(body), CREATE)


def test_undocumented_status_is_reported_as_s2() -> None:
    with pytest.raises(UndocumentedStatus, match="Received: 200") as info:
        run_oracles(CTX, respond(200, json=CUSTOMER), CREATE)
    assert info.value.requirement_id == "S2"


def test_missing_location_on_201_is_reported() -> None:
    with pytest.raises(MissingHeader, match="location"):
        run_oracles(CTX, respond(201, json=CUSTOMER), CREATE)


def test_429_without_retry_after_is_reported_as_t5() -> None:
    with pytest.raises(RetryAfterMissing):
        run_oracles(CTX, problem(429), CREATE)
    response = respond(
        429, json={"status": 429}, content_type="application/problem+json", headers={"Retry-After": "2"}
    )
    run_oracles(CTX, response, CREATE)


def test_server_error_is_reported_as_s4_before_anything_else() -> None:
    with pytest.raises(ServerError) as info:
        run_oracles(CTX, respond(500, text="boom"), CREATE)
    assert info.value.requirement_id == "S4"


def test_plain_text_error_fails_problem_shape() -> None:
    with pytest.raises(ProblemShapeViolation, match="text/plain"):
        run_oracles(CTX, respond(409, text="conflict"), CREATE)


def test_problem_status_must_equal_http_status() -> None:
    response = respond(409, json={"status": 400}, content_type="application/problem+json")
    with pytest.raises(ProblemShapeViolation, match="status member 400 on HTTP 409"):
        run_oracles(CTX, response, CREATE)


def test_empty_401_body_is_accepted() -> None:
    run_oracles(CTX, respond(401), Exchange("deleteCustomerNote"), only=["problem_shape", "response_schema"])


@pytest.mark.parametrize(
    "detail",
    [
        'Traceback (most recent call last):\n  File "app.py", line 3, in handler',
        "SELECT * FROM customers WHERE id = 1",
        "System.NullReferenceException: Object reference not set",
    ],
)
def test_stack_traces_and_sql_in_detail_are_reported(detail: str) -> None:
    with pytest.raises(LeakyErrorDetail):
        run_oracles(CTX, problem(409, detail=detail), CREATE)


def test_plain_detail_is_fine() -> None:
    run_oracles(CTX, problem(409, detail="The slot is no longer available."), CREATE)


@pytest.mark.parametrize("key", ["Items[0].StartsAt", "$.items[0].startsAt", "items[0].startsAt"])
def test_validation_keys_match_in_either_style(key: str) -> None:
    # Only the matching oracle: the mini contract's createCustomer has no `items` (validation_keys_exist).
    exchange = Exchange("createCustomer", negative=True, invalid_fields=("items[0].startsAt",))
    run_oracles(CTX, problem(400, errors={key: ["invalid"]}), exchange, only=["validation_names_field"])


def test_validation_error_must_name_the_field() -> None:
    exchange = Exchange("createCustomer", negative=True, invalid_fields=("name",))
    with pytest.raises(ValidationFieldMissing, match="email"):
        run_oracles(CTX, problem(400, errors={"email": ["bad"]}), exchange)


def test_accepted_invalid_input_is_reported_as_v1() -> None:
    exchange = Exchange("createCustomer", negative=True, invalid_fields=("name",))
    with pytest.raises(InvalidInputAccepted) as info:
        run_oracles(CTX, created(CUSTOMER), exchange)
    assert info.value.requirement_id == "V1"


def test_normalize_field() -> None:
    assert (
        normalize_field("$.Items[0].StartsAt") == normalize_field("items[0].startsAt") == "items[0].startsat"
    )


def test_registry_rejects_duplicate_names() -> None:
    with pytest.raises(ValueError, match="already registered"):
        oracle("no_server_error")(lambda ctx, response, exchange: None)


def test_failure_message_has_the_agreed_shape() -> None:
    failure = SchemaViolation("$.id: 'x' is not a 'uuid'", "$.id a uuid", operation_id="getCustomer")
    lines = str(failure).splitlines()
    assert lines[0] == "Response body violates the documented schema [getCustomer]"
    assert lines[2].startswith("Received: ")
    assert lines[3].startswith("Expected: ")
    assert lines[4] == "Requirement: S1"
    assert lines[5]
    assert isinstance(failure, AssertionError)
    assert isinstance(failure, ConformanceFailure)


def test_every_oracle_is_short_and_documented() -> None:
    import inspect

    for name, function in registered().items():
        source = inspect.getsource(function)
        assert len(source.splitlines()) <= 30, name
        assert function.__doc__, name


def test_401_to_the_configured_token_fails_loudly() -> None:
    with pytest.raises(ConformanceFailure, match="configured token is rejected"):
        run_oracles(CTX, respond(401), Exchange("createCustomer", authenticated=True))


def _formats_used(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["format"]} if isinstance(node.get("format"), str) else set()
        return found.union(*(_formats_used(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_formats_used(value) for value in node))
    return set()


def test_every_string_format_of_the_contract_is_checked() -> None:
    """jsonschema skips a format it has no checker for; the dependencies must bring one for each we use."""
    contract = yaml.safe_load(BUNDLED_SPEC.read_text(encoding="utf-8"))
    numeric = {"int32", "int64", "float", "double"}  # OpenAPI annotations, not string formats
    unchecked = _formats_used(contract) - numeric - set(FORMAT_CHECKER.checkers)
    assert not unchecked, f"no format checker installed for {sorted(unchecked)}"

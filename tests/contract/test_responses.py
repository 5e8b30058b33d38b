"""Responses: the shared problem+json errors, status sets per §8 #2, headers, links."""

from __future__ import annotations

from typing import Any

from tests.contract.helpers import PROBLEM_JSON, Operation, resolve

NO_BODY_STATUSES = {"204"}
# Design §8 #38, transcribed independently of the generator: operationId → 409 codes in precedence order.
CONFLICT_CODES = {
    "createBooking": ["slot_unavailable", "resource_unavailable", "idempotency_key_reused"],
    "cancelBooking": ["already_cancelled", "booking_not_cancellable"],
    "createCustomer": ["duplicate_email"],
    "updateCustomer": ["duplicate_email"],
    "createStaffMember": ["duplicate_email"],
    "updateStaffMember": ["duplicate_email"],
    "sendCustomerMessage": ["no_email", "no_phone", "sms_not_permitted"],
    "updateEvent": ["event_cancelled", "capacity_below_sold"],
    "publishEvent": ["event_not_draft", "no_ticket_types", "event_ended"],
    "cancelEvent": ["already_cancelled"],
    "createTicketType": ["event_cancelled", "duplicate_name"],
    "updateTicketType": ["event_cancelled", "duplicate_name", "capacity_below_sold", "price_locked"],
    "deleteTicketType": ["event_cancelled", "tickets_sold"],
    "cancelTicketOrder": ["already_cancelled", "ticket_redeemed"],
    "resendTicketQrCodes": ["order_cancelled"],
    "createLocation": ["duplicate_name"],
    "updateLocation": ["duplicate_name"],
    "createResource": ["duplicate_name"],
    "createResourceType": ["duplicate_name"],
    "updateResourceType": ["duplicate_name"],
    "updateResource": ["duplicate_name", "in_use"],
    "deleteLocation": ["in_use"],
    "unassignStaffFromLocation": ["in_use"],
    "deleteReservable": ["in_use"],
    "deleteResource": ["in_use"],
    "deleteResourceType": ["in_use"],
    "deleteStaffMember": ["in_use"],
    "deleteStaffShift": ["in_use"],
    "createStaffShift": ["shift_overlap"],
    "createStaffBlock": ["overlaps_booking"],
    "redeemTicket": ["wrong_event", "ticket_cancelled", "already_redeemed", "event_not_active"],
    "sendTestEvent": ["webhook_inactive"],
}
CREATES_WITHOUT_404 = {"redeemTicket"}


def _response(spec: dict[str, Any], op: Operation, status: str) -> dict[str, Any]:
    response: dict[str, Any] = resolve(spec, op.definition["responses"][status])
    return response


def _problem_schema_name(spec: dict[str, Any], op: Operation, status: str) -> str:
    content = _response(spec, op, status)["content"]
    assert list(content) == [PROBLEM_JSON], f"{op.operation_id} {status}"
    schema = content[PROBLEM_JSON]["schema"]
    ref = schema["$ref"] if "$ref" in schema else schema["allOf"][0]["$ref"]
    return str(ref.rsplit("/", 1)[-1])


def test_every_operation_documents_401_429_500_as_problem_details(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    for op in spec_operations:
        for status in ("401", "429", "500"):
            assert _problem_schema_name(spec, op, status) == "ProblemDetails", f"{op.operation_id} {status}"


def test_every_operation_documents_400_as_validation_problem_details(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    for op in spec_operations:
        assert _problem_schema_name(spec, op, "400") == "ValidationProblemDetails", op.operation_id
    with_body = [op for op in spec_operations if "requestBody" in op.definition]
    assert len(with_body) == 29


def test_every_error_response_goes_through_shared_components(spec_operations: list[Operation]) -> None:
    for op in spec_operations:
        for status, response in op.definition["responses"].items():
            if status.startswith(("4", "5")):
                assert response["$ref"].startswith("#/components/responses/"), f"{op.operation_id} {status}"


def test_404_exactly_where_a_path_parameter_exists_plus_redeem(spec_operations: list[Operation]) -> None:
    for op in spec_operations:
        expected = bool(op.path_params) or op.operation_id in CREATES_WITHOUT_404
        assert ("404" in op.definition["responses"]) == expected, op.operation_id


def test_404_and_409_require_a_code(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]
    for name, codes in (("NotFound", ["not_found"]), ("Conflict", None)):
        schema = responses[name]["content"][PROBLEM_JSON]["schema"]
        assert schema["required"] == ["code"]
        if codes is not None:
            assert schema["properties"]["code"]["enum"] == codes


def test_409_only_with_documented_codes(spec: dict[str, Any], spec_operations: list[Operation]) -> None:
    catalogue = set(
        spec["components"]["responses"]["Conflict"]["content"][PROBLEM_JSON]["schema"]["properties"]["code"][
            "enum"
        ]
    )
    for op in spec_operations:
        codes = CONFLICT_CODES.get(op.operation_id)
        assert ("409" in op.definition["responses"]) == bool(codes), op.operation_id
        assert op.definition.get("x-caldasa-conflict-codes") == codes, op.operation_id
        if codes:
            assert set(codes) <= catalogue
            description = op.definition["responses"]["409"]["description"]
            assert all(f"`{code}`" in description for code in codes), op.operation_id
    assert catalogue == {code for codes in CONFLICT_CODES.values() for code in codes}


def test_no_403_and_no_415_anywhere(spec_operations: list[Operation]) -> None:
    for op in spec_operations:
        assert not {"403", "415"} & set(op.definition["responses"]), op.operation_id


def test_every_201_documents_a_required_location(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    created = [op for op in spec_operations if "201" in op.definition["responses"]]
    assert len(created) == 13
    for op in created:
        header = resolve(spec, _response(spec, op, "201")["headers"]["Location"])
        assert header["required"] is True, op.operation_id


def test_every_429_documents_an_integer_retry_after(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    for op in spec_operations:
        header = resolve(spec, _response(spec, op, "429")["headers"]["Retry-After"])
        assert header["required"] is True
        assert header["schema"]["type"] == "integer"


def test_success_statuses(spec_operations: list[Operation]) -> None:
    by_id = {op.operation_id: op for op in spec_operations}
    for op in spec_operations:
        successes = [s for s in op.definition["responses"] if s.startswith("2")]
        assert len(successes) == 1, op.operation_id
        if op.method == "delete" or op.operation_id == "assignStaffToLocation":
            assert successes == ["204"], op.operation_id
        response = op.definition["responses"][successes[0]]
        assert ("content" in response) == (
            successes[0] not in NO_BODY_STATUSES and op.operation_id != "resendTicketQrCodes"
        ), op.operation_id
    assert next(iter(by_id["resendTicketQrCodes"].definition["responses"])) == "202"
    assert next(iter(by_id["sendCustomerMessage"].definition["responses"])) == "202"
    download = by_id["getSignedFormDownloadUrl"].definition["responses"]["200"]
    assert "Cache-Control" in download["headers"]


def test_event_type_sample_is_a_free_form_object(spec_operations: list[Operation]) -> None:
    (op,) = [op for op in spec_operations if op.operation_id == "getEventTypeSample"]
    schema = op.definition["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is True


def test_create_booking_accepts_an_idempotency_key(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    (op,) = [op for op in spec_operations if op.operation_id == "createBooking"]
    headers = [resolve(spec, p) for p in op.definition["parameters"]]
    (key,) = [p for p in headers if p["in"] == "header"]
    assert key["name"] == "Idempotency-Key"
    assert key["schema"]["maxLength"] == 255


def test_paged_lists_take_the_shared_page_parameters(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    page = spec["components"]["parameters"]["Page"]["schema"]
    size = spec["components"]["parameters"]["PageSize"]["schema"]
    assert (page["type"], page["format"], page["minimum"]) == ("integer", "int32", 1)
    assert (size["minimum"], size["maximum"], size["default"]) == (1, 100, 25)
    for op in spec_operations:
        success = op.definition["responses"].get("200", {})
        schema = success.get("content", {}).get("application/json", {}).get("schema", {})
        wrapper = resolve(spec, schema) if "$ref" in schema else {}
        is_paged = "totalCount" in wrapper.get("properties", {})
        refs = [p.get("$ref", "") for p in op.definition.get("parameters", [])]
        has_paging = {"#/components/parameters/Page", "#/components/parameters/PageSize"} <= set(refs)
        assert is_paged == has_paging, op.operation_id


def test_links_from_every_create_reach_real_operations(
    spec: dict[str, Any], spec_operations: list[Operation]
) -> None:
    by_id = {op.operation_id: op for op in spec_operations}
    for op in spec_operations:
        created = op.definition["responses"].get("201")
        if created is None:
            continue
        links = created["links"]
        assert links, op.operation_id
        for link in links.values():
            target = by_id[link["operationId"]]
            assert sorted(link["parameters"]) == sorted(target.path_params)
            assert "$response.body#/id" in link["parameters"].values()
    booking_links = {
        link["operationId"]
        for link in by_id["createBooking"].definition["responses"]["201"]["links"].values()
    }
    assert {"getBooking", "cancelBooking", "listSignedForms"} <= booking_links

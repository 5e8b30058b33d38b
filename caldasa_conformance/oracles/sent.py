"""Does the request as sent still break the contract? A generated invalid value can vanish on the wire.

Schemathesis marks a case negative by what it generated, but an invalid query value may not survive
serialisation (an empty list or a `None` is sent as no parameter at all, and shrinking keeps the "negative"
mark while removing the value). Accepting such a request is no V1 violation, so the oracle re-reads the sent
query and body and judges them against the contract.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from caldasa_conformance.spec import Contract

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_BOOLEANS = {"true": True, "false": False}
_NOT_A_VALUE = object()  # a query string that cannot stand for a value of the schema's type


def conforms_as_sent(
    contract: Contract, operation_id: str, request: httpx.Request, locations: Iterable[str]
) -> bool:
    """True when every part named in `locations` ("query", "body") conforms to the contract as sent.

    False when a named part breaks it, or when the parts are unknown or not checkable here (path, header).
    """
    checks = {"query": _query_conforms, "body": _body_conforms}
    wanted = tuple(locations)
    if not wanted or any(where not in checks for where in wanted):
        return False
    return all(checks[where](contract, operation_id, request) for where in wanted)


def _query_conforms(contract: Contract, operation_id: str, request: httpx.Request) -> bool:
    operation = contract.operations[operation_id]
    for index, raw in enumerate(operation.raw.get("parameters", [])):
        parameter, pointer = contract.resolve(raw, f"{operation.pointer}/parameters/{index}")
        if parameter.get("in") != "query":
            continue
        values = request.url.params.get_list(str(parameter["name"]))
        if not values:
            if parameter.get("required"):
                return False
            continue
        schema = contract.resolve(parameter.get("schema", {}), f"{pointer}/schema")[0]
        if not _query_value_conforms(contract.validator(f"{pointer}/schema"), values, schema):
            return False
    return True


def _query_value_conforms(validator: Any, values: list[str], schema: Mapping[str, Any]) -> bool:
    """Whether a form-style, exploded query parameter can carry a valid value.

    Where HTTP leaves the reading open, the server gets the benefit of the doubt: a repeated scalar
    parameter conforms when one of its values does (servers take the first or the last), and an empty value
    of a non-string parameter may be read as absent.
    """
    if schema.get("type") == "array":
        items = [_scalar(value, schema.get("items", {})) for value in values]
        return _NOT_A_VALUE not in items and bool(validator.is_valid(items))
    if schema.get("type") not in (None, "string") and all(value == "" for value in values):
        return True
    candidates = (_scalar(value, schema) for value in values)
    return any(value is not _NOT_A_VALUE and validator.is_valid(value) for value in candidates)


def _scalar(text: str, schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":  # JSON Schema counts 1.0 as an integer, so a server may too
        number = float(text) if _NUMBER.fullmatch(text) else None
        return int(number) if number is not None and number.is_integer() else _NOT_A_VALUE
    if kind == "number":
        return float(text) if _NUMBER.fullmatch(text) else _NOT_A_VALUE
    if kind == "boolean":
        return _BOOLEANS.get(text, _NOT_A_VALUE)
    return text


def _body_conforms(contract: Contract, operation_id: str, request: httpx.Request) -> bool:
    pointer = contract.request_body_schema_pointer(operation_id)
    if pointer is None or not request.headers.get("content-type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(request.content)
    except (ValueError, UnicodeDecodeError):
        return False
    return bool(contract.validator(pointer).is_valid(body))

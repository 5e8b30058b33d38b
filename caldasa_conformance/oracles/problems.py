"""Oracles on error bodies (T6) and on the rejection of invalid input (V1)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

import httpx

from caldasa_conformance import evidence
from caldasa_conformance.failures import (
    InvalidInputAccepted,
    LeakyErrorDetail,
    ProblemShapeViolation,
    ValidationFieldMissing,
)
from caldasa_conformance.oracles import Exchange, OracleContext, oracle
from caldasa_conformance.oracles.http import media_type
from caldasa_conformance.oracles.sent import conforms_as_sent
from caldasa_conformance.redaction import redact
from caldasa_conformance.spec import Contract

PROBLEM_JSON = "application/problem+json"
# Why these: a Python/.NET/Java traceback or a database error in a public error body gives attackers the
# stack and the schema; none of these phrases belongs in a message meant for API clients.
_LEAK_PATTERNS = re.compile(
    r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+|\bat [\w.$<>]+\([\w.]+:\d+\)"
    r"|\bat [\w.]+\.[\w<>]+\(.*\) in .*:line \d+|\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.+\bSET\b"
    r"|SQLSTATE|sqlite3\.|psycopg|ORA-\d{5}|Npgsql|System\.\w+Exception|NullReferenceException",
    re.IGNORECASE | re.DOTALL,
)


def normalize_field(path: str) -> str:
    """`$.items[0].startsAt`, `Items[0].StartsAt` and `items[0].startsAt` all become `items[0].startsat`."""
    path = path.strip()
    path = path[2:] if path.startswith("$.") else path.lstrip("$")
    return path.lower()


def field_root(key: str) -> str:
    """The first segment of an `errors` key: `$.Items[0].StartsAt` -> `items`, `[2].name` -> `name`."""
    return re.sub(r"\[[^\]]*\]", "", normalize_field(key)).lstrip(".").split(".", 1)[0]


def errors_keys(response: httpx.Response) -> list[str]:
    """The keys of a ValidationProblemDetails' `errors` object ([] when the body has none)."""
    try:
        errors = response.json().get("errors")
    except (json.JSONDecodeError, AttributeError):
        errors = None
    return [str(key) for key in errors] if isinstance(errors, dict) else []


@functools.lru_cache(maxsize=256)
def request_names(contract: Contract, operation_id: str) -> Mapping[str, frozenset[str]]:
    """Lower-cased names an `errors` key may start with, by request location (`body` is always one)."""
    names: dict[str, set[str]] = {"body": {"body"}}
    for parameter in contract.operations[operation_id].raw.get("parameters", []):
        resolved = contract.resolve(parameter, "")[0]
        names.setdefault(str(resolved["in"]), set()).add(str(resolved["name"]).lower())
    pointer = contract.request_body_schema_pointer(operation_id)
    if pointer is not None:
        names["body"] |= _schema_names(contract, {"$ref": f"#{pointer}"})
    return {location: frozenset(found) for location, found in names.items()}


def _schema_names(contract: Contract, schema: Any, depth: int = 0) -> set[str]:
    """Top-level property names of a body schema, through $ref, anyOf/oneOf/allOf and array `items`."""
    if not isinstance(schema, Mapping) or depth > 10:
        return set()
    schema = contract.resolve(schema, "")[0]
    names = {str(name).lower() for name in (*schema.get("properties", {}), *schema.get("required", []))}
    for branch in (*schema.get("anyOf", []), *schema.get("oneOf", []), *schema.get("allOf", [])):
        names |= _schema_names(contract, branch, depth + 1)
    return names | _schema_names(contract, schema.get("items"), depth + 1)


@oracle("problem_shape")
def problem_shape(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """T6: every 4xx/5xx is problem+json with `status` equal to the HTTP status (a 401 may be empty)."""
    if response.status_code < 400 or (response.status_code == 401 and not response.content):
        return
    if media_type(response) != PROBLEM_JSON:
        raise ProblemShapeViolation(
            f"{response.status_code} with content type {media_type(response)!r}",
            PROBLEM_JSON,
            operation_id=exchange.operation_id,
        )
    try:
        body = response.json()
    except json.JSONDecodeError:
        body = None
    if not isinstance(body, dict):
        raise ProblemShapeViolation(
            f"body {redact(response.text[:200])!r}", "a JSON object", operation_id=exchange.operation_id
        )
    if body.get("status") != response.status_code:
        raise ProblemShapeViolation(
            f"status member {body.get('status')!r} on HTTP {response.status_code}",
            f"status member {response.status_code}",
            operation_id=exchange.operation_id,
        )
    evidence.held("T6")


@oracle("no_leaky_detail")
def no_leaky_detail(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """T6: problem `detail` (and `title`) carry no stack traces or SQL."""
    if response.status_code < 400 or media_type(response) not in (PROBLEM_JSON, "application/json"):
        return
    try:
        body = response.json()
    except json.JSONDecodeError:
        return
    for member in ("detail", "title"):
        text = body.get(member) if isinstance(body, dict) else None
        if isinstance(text, str) and (match := _LEAK_PATTERNS.search(text)):
            raise LeakyErrorDetail(
                f"{member} contains {redact(match.group(0))[:120]!r}",
                f"a {member} without stack traces or SQL",
                operation_id=exchange.operation_id,
            )
    evidence.held("T6")


# Statuses that reject a schema-invalid request without judging its content: 400 (the contract's answer),
# 404 (the path may name nothing: the contract leaves open whether existence or validity is checked first;
# the reference checks validity first, §8 #15), and the size limits a server or its gateway may set (413,
# 414, 431).
REJECTIONS = frozenset({400, 404, 413, 414, 431})


@oracle("invalid_input_rejected")
def invalid_input_rejected(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """V1: deliberately invalid input (if it is still invalid as sent) is rejected as invalid: 400, or a
    status that rejects a request before its content is judged (`REJECTIONS`). A 2xx accepted it; another
    4xx judged it as if it were valid (a 409) or rejected it in a way the contract does not give (a 422).
    5xx answers are S4's, 429s T5's."""
    status = response.status_code
    if not exchange.negative or status >= 500 or status == 429:
        return
    if status in REJECTIONS:
        evidence.held("V1")
        return
    if conforms_as_sent(ctx.contract, exchange.operation_id, response.request, exchange.invalid_locations):
        return
    fields = ", ".join(exchange.invalid_fields or exchange.invalid_locations) or "input"
    raise InvalidInputAccepted(
        f"{status} for invalid {fields}",
        "400 ValidationProblemDetails",
        title=None if 200 <= status < 300 else "Schema-invalid input was not rejected with 400",
        operation_id=exchange.operation_id,
    )


@oracle("validation_names_field")
def validation_names_field(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """V1: a 400 for a known invalid field has that field among its `errors` keys."""
    if response.status_code != 400 or not exchange.invalid_fields:
        return
    keys = {normalize_field(key) for key in errors_keys(response)}
    wanted = {normalize_field(field) for field in exchange.invalid_fields}
    if not keys & wanted:
        raise ValidationFieldMissing(
            f"errors keys {sorted(keys)}", f"one of {sorted(wanted)}", operation_id=exchange.operation_id
        )
    evidence.held("V1")


@oracle("validation_keys_exist")
def validation_keys_exist(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """V1: a 400 to invalid input has `errors` keys, each naming a field the request has.

    A key names `body`, a parameter, or a path whose first segment is a body property. When exactly one
    request part was made invalid (`exchange.invalid_locations`), some key must name that part.
    """
    if not exchange.negative or response.status_code != 400:
        return
    keys = errors_keys(response)
    names = request_names(ctx.contract, exchange.operation_id)
    unknown = [key for key in keys if not any(field_root(key) in found for found in names.values())]
    where = exchange.invalid_locations[0] if len(exchange.invalid_locations) == 1 else ""
    wanted = names.get(where, frozenset())
    if not keys or unknown or (wanted and not any(field_root(key) in wanted for key in keys)):
        problem = f"unknown {unknown}" if unknown else f"none naming the invalid {where}" if keys else "none"
        raise ValidationFieldMissing(
            redact(f"errors keys {sorted(keys)} ({problem})")[:400],
            f"keys naming the request's fields; the invalid {where or 'input'} among them",
            remedy="Key `errors` by the request's own fields: body paths, parameter names, or `body`.",
            operation_id=exchange.operation_id,
        )
    evidence.held("V1")

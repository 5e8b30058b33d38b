"""Shared error responses and response headers (design §1.7, §8 #2, #7, #14)."""

from __future__ import annotations

from typing import Any

PROBLEM_JSON = "application/problem+json"


def _problem(
    description: str, schema: dict[str, Any], example: dict[str, Any], headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description}
    if headers:
        response["headers"] = headers
    response["content"] = {PROBLEM_JSON: {"schema": schema, "example": example}}
    return response


def _example(status: int, title: str, detail: str, **extensions: Any) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **extensions}


def _problem_ref() -> dict[str, str]:
    return {"$ref": "#/components/schemas/ProblemDetails"}


def _with_code(codes: list[str], description: str) -> dict[str, Any]:
    """ProblemDetails whose `code` extension is required and drawn from `codes` (§8 #7)."""
    return {
        "allOf": [_problem_ref()],
        "required": ["code"],
        "properties": {"code": {"type": "string", "enum": codes, "description": description}},
    }


def error_responses(conflict_codes: list[str]) -> dict[str, Any]:
    return {
        "BadRequest": _problem(
            "The request is invalid; `errors` names each offending field.",
            {"$ref": "#/components/schemas/ValidationProblemDetails"},
            _example(
                400,
                "One or more validation errors occurred.",
                "See `errors`.",
                errors={"items[0].startsAt": ["Must be in the future."]},
            ),
        ),
        "Unauthorized": _problem(
            "The bearer token is missing or invalid.",
            _problem_ref(),
            _example(401, "Unauthorized", "A valid bearer token is required."),
            {"WWW-Authenticate": {"$ref": "#/components/headers/WWWAuthenticate"}},
        ),
        "NotFound": _problem(
            "No such resource in the caller's tenant (`code` is `not_found`).",
            _with_code(["not_found"], "Always `not_found`."),
            _example(404, "Not Found", "No booking with this id.", code="not_found"),
        ),
        "Conflict": _problem(
            "The request conflicts with the current state of the resource; `code` says why.",
            _with_code(conflict_codes, "The operation's description lists the codes it can answer."),
            _example(
                409, "Conflict", "The slot is no longer available.", code="slot_unavailable", itemIndex=0
            ),
        ),
        "TooManyRequests": _problem(
            "Rate limit exceeded; retry after `Retry-After` seconds.",
            _problem_ref(),
            _example(429, "Too Many Requests", "Retry after 1 second."),
            {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}},
        ),
        "InternalServerError": _problem(
            "Unexpected server error (no stack traces in `detail`).",
            _problem_ref(),
            _example(500, "Internal Server Error", "An unexpected error occurred."),
        ),
    }


def shared_headers() -> dict[str, Any]:
    return {
        "Location": {
            "description": "Relative canonical path of the created resource, e.g. `/bookings/{id}`.",
            "required": True,
            "schema": {"type": "string", "format": "uri-reference"},
        },
        "RetryAfter": {
            "description": "Seconds to wait before retrying.",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        },
        "CacheControl": {
            "description": "The signed URL must not be cached: `no-store`.",
            "required": True,
            "schema": {"type": "string"},
            "example": "no-store",
        },
        "WWWAuthenticate": {
            "description": "The authentication scheme to use: `Bearer`.",
            "schema": {"type": "string"},
            "example": "Bearer",
        },
    }

"""A tiny hand-made contract in the shape of openapi/caldasa.yaml, so oracle tests do not depend on it."""

from __future__ import annotations

from typing import Any

from caldasa_conformance.spec import Contract

_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
_VALIDATION = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/ValidationProblemDetails"}}
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "mini", "version": "1"},
    "paths": {
        "/customers": {
            "post": {
                "operationId": "createCustomer",
                "tags": ["Customers"],
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Create"}}}
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "headers": {"Location": {"required": True, "schema": {"type": "string"}}},
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}
                        },
                    },
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "409": {"description": "conflict", "content": _PROBLEM},
                    "429": {"description": "slow down", "content": _PROBLEM},
                    "500": {"description": "error", "content": _PROBLEM},
                },
            }
        },
        "/customers/{customerId}/notes/{noteId}": {
            "delete": {
                "operationId": "deleteCustomerNote",
                "tags": ["Customers"],
                "responses": {
                    "204": {"description": "deleted"},
                    "401": {"description": "no", "content": _PROBLEM},
                    "404": {"description": "missing", "content": _PROBLEM},
                },
            }
        },
    },
    "components": {
        "responses": {"BadRequest": {"description": "invalid", "content": _VALIDATION}},
        "schemas": {
            "Create": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Customer": {
                "type": "object",
                "required": ["id", "name", "createdAt"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string"},
                    "createdAt": {"type": "string", "format": "date-time"},
                },
            },
            "ProblemDetails": {
                "type": "object",
                "required": ["status"],
                "properties": {"status": {"type": "integer"}, "detail": {"type": ["string", "null"]}},
            },
            "ValidationProblemDetails": {
                "allOf": [{"$ref": "#/components/schemas/ProblemDetails"}],
                "required": ["errors"],
                "properties": {"errors": {"type": "object"}},
            },
        },
    },
}


def mini_contract() -> Contract:
    return Contract(DOCUMENT)

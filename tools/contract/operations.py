"""The operation model and the shared query-parameter helpers.

The 87 operations themselves (the seed's tags and summaries, design §2 paths, methods, filters and
responses) live in booking_operations, event_operations and catalog_operations.
`Op.conflicts` lists the 409 `code` values of §8 #38 (in precedence order); an empty tuple means the
operation documents no 409. `Op.creates` names the path parameter that the created id fills, which
drives the OpenAPI links of a 201.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dsl import Schema, array, boolean, date_time, enum, string, uuid

FREE_FORM = "<free-form object>"


@dataclass(frozen=True)
class Query:
    name: str
    schema: Schema
    description: str
    required: bool = False


@dataclass(frozen=True)
class Op:
    operation_id: str
    tag: str
    method: str
    path: str
    summary: str
    description: str
    response: str | None = None
    status: int = 200
    body: str | None = None
    query: tuple[Query, ...] = ()
    paged: bool = False
    conflicts: tuple[str, ...] = ()
    creates: str | None = None


def q_uuid(name: str, description: str, required: bool = False) -> Query:
    return Query(name, uuid(), description, required)


def q_bool(name: str, description: str, default: bool | None = None) -> Query:
    return Query(name, boolean(default=default), description)


def q_statuses(values: tuple[str, ...], what: str = "status") -> Query:
    schema = array(enum(*values), 1, len(values))
    return Query(what, schema, f"Only items with one of these `{what}` values (repeatable, OR-ed).")


def q_search(fields: str) -> Query:
    return Query("search", string(1, 200), f"Case-insensitive substring over {fields}.")


def q_range(on: str) -> tuple[Query, Query]:
    return (
        Query("from", date_time(), f"Only items with `{on}` ≥ this instant (half-open range)."),
        Query("to", date_time(), f"Only items with `{on}` < this instant (half-open range)."),
    )


LOCATION_FILTER = q_uuid("businessLocationId", "Only items at this location.")
IS_ACTIVE = q_bool("isActive", "Only active (`true`) or inactive (`false`) items.")
NO_CONFLICT: tuple[str, ...] = ()
DUPLICATE_NAME = ("duplicate_name",)
DUPLICATE_EMAIL = ("duplicate_email",)
IN_USE = ("in_use",)

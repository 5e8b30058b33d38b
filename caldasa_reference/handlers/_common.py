"""Small helpers shared by the core handlers."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import Any

from caldasa_reference.routing import ProblemError, RequestContext, conflict, not_found, validation_problem
from caldasa_reference.store import Record


def require(collection: dict[str, Record], record_id: str, what: str) -> Record:
    """The record with ``record_id`` or a 404 ``not_found`` problem."""
    record = collection.get(record_id)
    if record is None:
        raise ProblemError(not_found(what))
    return record


def bad_request(field: str, message: str) -> ProblemError:
    return ProblemError(validation_problem({field: [message]}))


def in_use(detail: str) -> ProblemError:
    return ProblemError(conflict("in_use", detail))


def valid_time_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def apply_patch(ctx: RequestContext, record: Record, fields: Iterable[str]) -> bool:
    """Copy the non-null ``fields`` of the body onto ``record`` (§1.6: omitted/null ⇒ unchanged).

    Returns whether anything really changed; if so, ``updatedAt`` is set (§8 #17, #18).
    """
    body: dict[str, Any] = ctx.body or {}
    changed = False
    for name in fields:
        value = body.get(name)
        if value is None or record.get(name) == value:
            continue
        record[name] = value
        changed = True
    if changed and "updatedAt" in record:
        record["updatedAt"] = ctx.tenant.now_iso()
    return changed


def check_ids_exist(collection: dict[str, Record], ids: list[str] | None, field: str) -> list[str]:
    """Lowercased ids, or a 400 naming ``field[i]`` for the first unknown one (§1.6)."""
    result: list[str] = []
    errors: dict[str, list[str]] = {}
    for index, raw in enumerate(ids or []):
        value = raw.lower()
        if value not in collection:
            errors[f"{field}[{index}]"] = ["No such id in this tenant."]
        result.append(value)
    if errors:
        raise ProblemError(validation_problem(errors))
    return result


def contains_ci(haystacks: Iterable[Any], needle: str) -> bool:
    wanted = needle.lower()
    return any(isinstance(h, str) and wanted in h.lower() for h in haystacks)


def in_window(value: str, start: str | None, end: str | None) -> bool:
    """Half-open ``[from, to)`` filter on emitted ISO strings; ``from >= to`` matches nothing (§8 #24)."""
    return (start is None or value >= start) and (end is None or value < end)

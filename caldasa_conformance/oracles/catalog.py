"""Oracles of the catalog (class `catalog`: T11, and the `http` rules T7 and T8 on catalog entities).

Each function evaluates its rule on what the target answered and what the catalog machine's model expects,
records the requirement as held when it holds (`checks.require`) and raises a `DomainViolation` naming it
when it does not. The keyword arguments are the facets of a rule a caller has observed; a facet left out is
not judged. Deletes, second deletes and `409 in_use` are predicted answers (`Expect(…, "T7")`) that
`check_answer` judges; PATCH semantics on locations are K1, judged by `oracles.customers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from caldasa_conformance.workflows.checks import Expect, check_answer, require

Json = Mapping[str, Any]


def created_entity_reads_back(
    operation_id: str,
    *,
    entity_id: str = "",
    location: str | None = None,
    dto: Json | None = None,
    name: str | None = None,
    kind: str = "entity",
) -> None:
    """T8: a create answers with a Location naming the new resource, which reads back as created.

    Args:
        operation_id: the create (with `location`) or the read (with `dto`).
        entity_id / location: the new resource's id and the 201's Location header.
        dto / name: the resource as read back, whose name must be the one it was created with.
    """
    if location is not None:
        require(
            location.endswith(entity_id),
            "T8",
            "201 without a Location naming the new resource",
            location,
            f".../{entity_id}",
            operation_id,
        )
    if dto is not None:
        seen = dto.get("name")
        require(seen == name, "T8", f"The {kind} reads back differently", seen, name, operation_id)


def unassignments_and_deletes_stick(member: Json, assigned: Iterable[str], operation_id: str) -> None:
    """T7: a staff member lists exactly the locations assigned to it and not since unassigned or deleted."""
    wanted = set(assigned)
    listed = member.get("businessLocationIds")
    require(
        set(listed or []) == wanted,
        "T7",
        "Staff assignments differ from the model",
        listed,
        sorted(wanted),
        operation_id,
    )


def listed_as_read(kind: str, listed: Json, read: Json, operation_id: str = "getEntity") -> None:
    """T8: an entity shows the same fields wherever it is read (a list and its Get; the model's view of a
    field the machine set, e.g. `isActive` after a PATCH, a unit's location after a move)."""
    wrong = {key: listed.get(key) for key in read if listed.get(key) != read.get(key)}
    require(
        not wrong,
        "T8",
        f"The {kind} reads differently from one read to the other",
        wrong,
        {key: read.get(key) for key in wrong},
        operation_id,
    )


def list_matches_model(kind: str, listed: Iterable[str], wanted: Iterable[str], operation_id: str) -> None:
    """T7: a list holds exactly what was created and not since deleted, unassigned or cascaded away."""
    seen, model = set(listed), set(wanted)
    require(
        seen == model,
        "T7",
        f"The {kind} list differs from the model",
        {"extra": sorted(seen - model), "missing": sorted(model - seen)},
        sorted(model),
        operation_id,
    )


def duplicate_is_refused(
    operation_id: str,
    *,
    answer: httpx.Response | None = None,
    code: str = "duplicate_name",
    holders: tuple[str, Iterable[str], str, Any] | None = None,
) -> None:
    """T11: a create or update sending a live entity's unique value answers 409 `code` and changes nothing.

    Args:
        operation_id: the refused create or update (`answer`), or the list read after it (`holders`).
        answer / code: the answer to the duplicate, which must be 409 with this problem `code`.
        holders: (the value, the ids of the entities listed with it after the refusal, the id of the live
            entity that held it before, the value that entity reads back with): no other entity may be
            listed with it, and its owner still holds it. The owner's own reading decides the latter, not
            the list: while others write to the tenant, a walk of an offset-paged list can skip an item.
    """
    if answer is not None:
        check_answer(answer, Expect(409, "T11", code, why="the value belongs to a live entity"), operation_id)
    if holders is not None:
        value, listed, owner, owner_reads = holders
        others = sorted(set(listed) - {owner})
        title = f"After the refused duplicate, {value!r} is also held by"
        require(not others, "T11", title, others, [], operation_id)
        title = f"After the refused duplicate, {owner} no longer holds {value!r}"
        require(owner_reads == value, "T11", title, owner_reads, value, operation_id)

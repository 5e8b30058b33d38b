"""Oracles of the catalog (class `catalog`, judging the `http` rules T7 and T8 on catalog entities).

Each function evaluates its rule on what the target answered and what the catalog machine's model expects,
records the requirement as held when it holds (`checks.require`) and raises a `DomainViolation` naming it
when it does not. The keyword arguments are the facets of a rule a caller has observed; a facet left out is
not judged. Deletes, second deletes and `409 in_use` are predicted answers (`Expect(…, "T7")`) that
`check_answer` judges; PATCH semantics on locations are K1, judged by `oracles.customers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from caldasa_conformance.workflows.checks import require

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

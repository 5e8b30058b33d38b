"""The requirement model: `openapi/requirements.yaml` and `openapi/ineligible.yaml`, loaded strictly.

A typo in the data must stop the run, not silently drop a requirement, so the loader rejects unknown keys,
missing keys, duplicate ids, bad levels/classes/sources/bases and (when the contract is given) unknown
operationIds.

`basis` says whose rule it is: `contract` (the published API or an RFC it cites says so; checked on every
target) or `reference-policy` (a choice design §8 made only so that the reference is deterministic; checked
as a rule only with `--profile reference`, see `caldasa_conformance.policy`). A contract requirement whose
judge also asserts a reference policy names that assertion under `reference_policies`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from caldasa_conformance.bundled import openapi_dir

OPENAPI_DIR = openapi_dir()
REQUIREMENTS_PATH = OPENAPI_DIR / "requirements.yaml"
INELIGIBLE_PATH = OPENAPI_DIR / "ineligible.yaml"

LEVELS = ("MUST", "SHOULD", "MAY")
STATELESS_CLASSES = ("schema", "errors", "auth", "tenancy", "pagination", "http")
STATEFUL_CLASSES = ("bookings", "events", "webhooks", "customers", "catalog", "concurrency")
CLASSES = STATELESS_CLASSES + STATEFUL_CLASSES
SOURCES = ("seed", "public docs", "inferred")
BASES = ("contract", "reference-policy")
_KEYS = ("id", "statement", "level", "class", "operations", "source", "basis")
_OPTIONAL_KEYS = ("reference_policies",)
_INELIGIBLE_KEYS = ("requirement", "operation", "reason", "link")


class RequirementsError(ValueError):
    """The requirements data is malformed; the message names the entry and the key."""


@dataclass(frozen=True)
class Requirement:
    """One rule of the API, as the suites cite it in `req(...)` markers."""

    id: str
    statement: str
    level: str
    conformance_class: str
    operations: tuple[str, ...]
    source: str
    basis: str = "contract"
    reference_policies: tuple[str, ...] = ()

    @property
    def is_policy(self) -> bool:
        """Whether all of it is a reference policy (checked as a rule only with `--profile reference`)."""
        return self.basis == "reference-policy"


@dataclass(frozen=True)
class Ineligibility:
    """A requirement or operation that cannot be checked on some targets, and why."""

    requirement: str | None
    operation: str | None
    reason: str
    link: str


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_choice(where: str, key: str, value: object, choices: Iterable[str]) -> str:
    allowed = tuple(choices)
    if not isinstance(value, str) or value not in allowed:
        hint = _did_you_mean(value, allowed) if isinstance(value, str) else ""
        raise RequirementsError(f"{where}: {key}={value!r} is not one of {', '.join(allowed)}{hint}")
    return value


def _parse_entry(index: int, raw: object, operation_ids: frozenset[str] | None) -> Requirement:
    where = f"requirements[{index}]"
    if not isinstance(raw, Mapping):
        raise RequirementsError(f"{where}: expected a mapping, got {type(raw).__name__}")
    where = f"requirement {raw.get('id', index)!r}"
    unknown = sorted(set(raw) - set(_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        hint = _did_you_mean(unknown[0], _KEYS + _OPTIONAL_KEYS)
        raise RequirementsError(f"{where}: unknown key {unknown[0]!r}{hint}")
    missing = [key for key in _KEYS if key not in raw]
    if missing:
        raise RequirementsError(f"{where}: missing key {missing[0]!r}")
    operations = raw["operations"]
    if not isinstance(operations, list) or not operations or not all(isinstance(o, str) for o in operations):
        raise RequirementsError(f"{where}: operations must be a non-empty list of operationIds")
    if operation_ids is not None:
        for operation in operations:
            if operation not in operation_ids:
                hint = _did_you_mean(operation, operation_ids)
                raise RequirementsError(f"{where}: unknown operationId {operation!r}{hint}")
    if (
        not isinstance(raw["id"], str)
        or not isinstance(raw["statement"], str)
        or not raw["statement"].strip()
    ):
        raise RequirementsError(f"{where}: id and statement must be non-empty strings")
    return Requirement(
        id=raw["id"],
        statement=raw["statement"],
        level=_check_choice(where, "level", raw["level"], LEVELS),
        conformance_class=_check_choice(where, "class", raw["class"], CLASSES),
        operations=tuple(operations),
        source=_check_choice(where, "source", raw["source"], SOURCES),
        basis=_check_choice(where, "basis", raw["basis"], BASES),
        reference_policies=_policies(where, raw),
    )


def _policies(where: str, raw: Mapping[str, Any]) -> tuple[str, ...]:
    """The policy assertions of a contract requirement: a non-empty list of non-empty strings, if present."""
    if "reference_policies" not in raw:
        return ()
    policies = raw["reference_policies"]
    if (
        not isinstance(policies, list)
        or not policies
        or not all(isinstance(p, str) and p.strip() for p in policies)
    ):
        raise RequirementsError(f"{where}: reference_policies must be a non-empty list of non-empty strings")
    if raw["basis"] != "contract":
        raise RequirementsError(
            f"{where}: reference_policies belong to a contract requirement (all of a "
            "reference-policy requirement is policy)"
        )
    return tuple(policies)


def parse_requirements(data: object, operation_ids: Iterable[str] | None = None) -> dict[str, Requirement]:
    """Validate parsed YAML data and return the requirements by id.

    Args:
        data: the document, `{"requirements": [...]}`.
        operation_ids: the contract's operationIds; when given, every named operation must be one of them.

    Raises:
        RequirementsError: on the first malformed entry, naming it.
    """
    if (
        not isinstance(data, Mapping)
        or set(data) != {"requirements"}
        or not isinstance(data["requirements"], list)
    ):
        raise RequirementsError(
            "requirements file: expected exactly one top-level key 'requirements' (a list)"
        )
    known = frozenset(operation_ids) if operation_ids is not None else None
    result: dict[str, Requirement] = {}
    for index, raw in enumerate(data["requirements"]):
        requirement = _parse_entry(index, raw, known)
        if requirement.id in result:
            raise RequirementsError(f"requirement {requirement.id!r}: duplicate id")
        result[requirement.id] = requirement
    return result


def load_requirements(
    path: Path = REQUIREMENTS_PATH, operation_ids: Iterable[str] | None = None
) -> dict[str, Requirement]:
    """Load and validate `requirements.yaml` (see `parse_requirements`)."""
    with path.open(encoding="utf-8") as handle:
        return parse_requirements(yaml.safe_load(handle), operation_ids)


def parse_ineligible(data: object, requirement_ids: Iterable[str]) -> list[Ineligibility]:
    """Validate `ineligible.yaml` data: each entry names a known requirement or an operation, and a reason."""
    if (
        not isinstance(data, Mapping)
        or set(data) != {"ineligible"}
        or not isinstance(data["ineligible"], list)
    ):
        raise RequirementsError("ineligible file: expected exactly one top-level key 'ineligible' (a list)")
    known = set(requirement_ids)
    entries: list[Ineligibility] = []
    for index, raw in enumerate(data["ineligible"]):
        where = f"ineligible[{index}]"
        if not isinstance(raw, Mapping):
            raise RequirementsError(f"{where}: expected a mapping")
        unknown = sorted(set(raw) - set(_INELIGIBLE_KEYS))
        if unknown:
            raise RequirementsError(f"{where}: unknown key {unknown[0]!r}")
        if ("requirement" in raw) == ("operation" in raw) or not raw.get("reason"):
            raise RequirementsError(
                f"{where}: needs exactly one of 'requirement'/'operation', and a 'reason'"
            )
        if "requirement" in raw and raw["requirement"] not in known:
            raise RequirementsError(f"{where}: unknown requirement {raw['requirement']!r}")
        entries.append(_ineligibility(raw))
    return entries


def _ineligibility(raw: Mapping[str, Any]) -> Ineligibility:
    return Ineligibility(
        requirement=raw.get("requirement"),
        operation=raw.get("operation"),
        reason=str(raw["reason"]),
        link=str(raw.get("link", "")),
    )


def load_ineligible(path: Path = INELIGIBLE_PATH, requirement_ids: Iterable[str] = ()) -> list[Ineligibility]:
    """Load and validate `ineligible.yaml`."""
    with path.open(encoding="utf-8") as handle:
        return parse_ineligible(yaml.safe_load(handle), requirement_ids)

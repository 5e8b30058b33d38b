"""Shared helpers of the contract tests: locating files, walking the document, resolving $refs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_ROOT / "openapi" / "caldasa.yaml"
# The seed page the contract was derived from (a copy of the design material's, see openapi/seed/README.md).
SEED_PATH = REPO_ROOT / "openapi" / "seed" / "caldasa-api-docs.txt"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    definition: dict[str, Any]

    @property
    def operation_id(self) -> str:
        return str(self.definition["operationId"])

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"\{(\w+)\}", self.path)


@dataclass(frozen=True)
class Seed:
    operations: list[tuple[str, str]]  # (tag, summary)
    schemas: list[str]


def operations(spec: dict[str, Any]) -> list[Operation]:
    return [
        Operation(path, method, definition)
        for path, item in spec["paths"].items()
        for method, definition in item.items()
        if method in HTTP_METHODS
    ]


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s until a non-reference node is reached."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def parse_seed(text: str) -> Seed:
    """Read the navigation tree of the seed page: tags (`  • Tag`), then entries (`    • Entry`)."""
    tag = ""
    ops: list[tuple[str, str]] = []
    schemas: list[str] = []
    for line in text.splitlines():
        if line.startswith("  1. "):  # the page body starts after the navigation
            break
        if match := re.match(r"^  • (.+)$", line):
            tag = match.group(1).strip()
        elif match := re.match(r"^    • (.+)$", line):
            entry = match.group(1).strip()
            if tag == "Schemas":
                schemas.append(entry)
            else:
                ops.append((tag, entry))
    return Seed(ops, schemas)


def walk_schema(
    spec: dict[str, Any], schema: Any, seen: set[str] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (property name, subschema) for every subschema reachable from `schema`, refs followed once."""
    seen = set() if seen is None else seen
    yield from _walk(spec, schema, "", seen)


def _walk(
    spec: dict[str, Any], schema: Any, name: str, seen: set[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen.add(schema["$ref"])
        yield from _walk(spec, resolve(spec, schema), name, seen)
        return
    yield name, schema
    for prop, sub in schema.get("properties", {}).items():
        yield from _walk(spec, sub, prop, seen)
    if "items" in schema:
        yield from _walk(spec, schema["items"], name, seen)
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in schema.get(key, ()):
            yield from _walk(spec, sub, name, seen)


def types_of(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type", ())
    return {kind} if isinstance(kind, str) else set(kind)

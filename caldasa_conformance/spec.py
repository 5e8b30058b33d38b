"""The contract, loaded once: operations by operationId, resolved responses, and schema validators.

Schemas are validated with `jsonschema` (Draft 2020-12, the dialect of OpenAPI 3.1) and a `FormatChecker`, so
`format` is enforced (uuid, date-time, date, email, uri need `jsonschema[format-nongpl]`).
`$ref`s inside schemas resolve against the whole document through a `referencing` registry.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_DOC_URI = "urn:caldasa:contract"
METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
FORMAT_CHECKER = FormatChecker()


@dataclass(frozen=True)
class Operation:
    """One operation of the contract."""

    operation_id: str
    method: str
    path: str
    tag: str
    raw: Mapping[str, Any]
    pointer: str

    @property
    def path_parameters(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{([^}]+)}", self.path))

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


class Contract:
    """The parsed OpenAPI document with lookups used by oracles, helpers and suites."""

    def __init__(self, document: Mapping[str, Any], path: Path | None = None) -> None:
        self.document = document
        self.path = path
        self.operations: dict[str, Operation] = dict(self._collect())
        resource: Resource[Any] = Resource.from_contents(dict(document), default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_DOC_URI, resource)

    def _collect(self) -> Iterator[tuple[str, Operation]]:
        for path, item in self.document.get("paths", {}).items():
            for method in METHODS:
                raw = item.get(method)
                if raw is None:
                    continue
                pointer = f"/paths/{_escape(path)}/{method}"
                tag = (raw.get("tags") or [""])[0]
                yield (
                    raw["operationId"],
                    Operation(raw["operationId"], method.upper(), path, tag, raw, pointer),
                )

    def resolve(self, node: Mapping[str, Any], pointer: str) -> tuple[Mapping[str, Any], str]:
        """Follow OpenAPI-level `$ref`s (responses, parameters, headers); return the node and its pointer."""
        seen = 0
        while "$ref" in node and seen < 20:
            ref = str(node["$ref"])
            if not ref.startswith("#/"):
                raise ValueError(f"only local $refs are supported, got {ref!r}")
            pointer = ref[1:]
            node = self.document
            for part in pointer.lstrip("/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            seen += 1
        return node, pointer

    def documented_statuses(self, operation_id: str) -> tuple[str, ...]:
        return tuple(str(status) for status in self.operations[operation_id].raw.get("responses", {}))

    def response(self, operation_id: str, status: int) -> tuple[Mapping[str, Any], str] | None:
        """The response object documented for `status` (exact, then `4XX`-style, then `default`)."""
        operation = self.operations[operation_id]
        responses = operation.raw.get("responses", {})
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            if key in responses:
                return self.resolve(responses[key], f"{operation.pointer}/responses/{key}")
        return None

    def validator(self, schema_pointer: str) -> Draft202012Validator:
        """A format-checking validator for the schema at `schema_pointer` (a JSON pointer in the document)."""
        return _validator(self, schema_pointer)

    def documented(self, operation_id: str, status: int, body: Any) -> Any:
        """`body`, an answer of `operation_id` with `status`, with only the members its schema documents (at
        every depth): what a client may compare. A server may add members the contract does not list (no
        schema forbids them), and need not add them alike to every view of an entity."""
        response = self.response(operation_id, status)
        content: Mapping[str, Any] = response[0].get("content", {}) if response is not None else {}
        media = next(iter(content.values()), None)
        schema = media.get("schema") if isinstance(media, Mapping) else None
        return body if schema is None else self._documented(schema, body)

    def _documented(self, schema: Mapping[str, Any], value: Any) -> Any:
        schema = self.resolve(schema, "")[0]
        if isinstance(value, list):
            items = schema.get("items")
            return [self._documented(items, item) for item in value] if isinstance(items, Mapping) else value
        if not isinstance(value, dict):
            return value
        properties = self._properties(schema)
        if not properties:
            return value  # a free-form object: all of it is documented
        kept = {key: item for key, item in value.items() if key in properties}
        return {key: self._documented(properties[key], item) for key, item in kept.items()}

    def _properties(self, schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
        """The properties `schema` declares, with those of its allOf, anyOf and oneOf branches."""
        schema = self.resolve(schema, "")[0]
        found = dict(schema.get("properties", {}))
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in schema.get(key, []):
                found = {**self._properties(branch), **found}
        return found

    def request_body_schema_pointer(self, operation_id: str) -> str | None:
        operation = self.operations[operation_id]
        body = operation.raw.get("requestBody")
        if body is None:
            return None
        body, pointer = self.resolve(body, operation.pointer + "/requestBody")
        if "application/json" not in body.get("content", {}):
            return None
        return f"{pointer}/content/{_escape('application/json')}/schema"

    def paginated(self, operation_id: str) -> bool:
        """True for list operations that take `page`/`pageSize`."""
        names = {
            self.resolve(p, "")[0].get("name")
            for p in self.operations[operation_id].raw.get("parameters", [])
        }
        return {"page", "pageSize"} <= names

    def max_page_size(self, operation_id: str) -> int | None:
        """The `maximum` of the operation's `pageSize` parameter (None when it has none)."""
        for parameter in self.operations[operation_id].raw.get("parameters", []):
            resolved = self.resolve(parameter, "")[0]
            if resolved.get("name") == "pageSize":
                maximum = self.resolve(resolved.get("schema", {}), "")[0].get("maximum")
                return maximum if isinstance(maximum, int) else None
        return None


@functools.lru_cache(maxsize=512)
def _validator_cached(contract_id: int, schema_pointer: str, contract: Contract) -> Draft202012Validator:
    schema = {"$ref": f"{_DOC_URI}#{schema_pointer}"}
    return Draft202012Validator(schema, registry=contract._registry, format_checker=FORMAT_CHECKER)


def _validator(contract: Contract, schema_pointer: str) -> Draft202012Validator:
    return _validator_cached(id(contract), schema_pointer, contract)


@functools.lru_cache(maxsize=8)
def load_contract(path: Path) -> Contract:
    """Load the contract at `path` once per process (every part of the harness reads it through here)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses the 9k-line contract ~6x faster
    with path.open(encoding="utf-8") as handle:
        return Contract(yaml.load(handle, Loader=loader), path)

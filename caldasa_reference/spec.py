"""The contract as the server sees it: operations, routing and precompiled request validators.

The schemas are never restated here: every validator is a JSON-pointer ``$ref`` into the loaded
``openapi/caldasa.yaml``, resolved by ``referencing`` and checked by ``jsonschema`` with formats on.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:caldasa:openapi"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def spec_path() -> Path:
    """The contract file: the repo's ``openapi/`` next to the package, else the copy bundled in the wheel."""
    package_dir = Path(__file__).resolve().parent
    repo_copy = package_dir.parent / "openapi" / "caldasa.yaml"
    if repo_copy.is_file():
        return repo_copy
    # The wheel force-includes openapi/ under caldasa_conformance/_bundled (path computed, never imported).
    return package_dir.parent / "caldasa_conformance" / "_bundled" / "openapi" / "caldasa.yaml"


_CACHE: dict[Path, Contract] = {}


def load_contract(path: Path | None = None) -> Contract:
    """The contract at ``path`` (default :func:`spec_path`), loaded once per process (it is read-only)."""
    source = (path or spec_path()).resolve()
    if source not in _CACHE:
        _CACHE[source] = Contract.from_path(source)
    return _CACHE[source]


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    # §8 #16: RFC 3339 syntax *and* a UTC value inside years 0001..9999.
    @checker.checks("date-time", raises=(ValueError, OverflowError))  # type: ignore[untyped-decorator]
    def _date_time(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        if not re.fullmatch(
            r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", instance
        ):
            return False
        text = re.sub(r"[Zz]$", "+00:00", instance)
        text = re.sub(r"(\.\d{6})\d+", r"\1", text)
        parsed = dt.datetime.fromisoformat(text.replace("t", "T"))
        parsed.astimezone(dt.timezone.utc)  # raises OverflowError outside 0001..9999
        return True

    @checker.checks("uuid", raises=ValueError)  # type: ignore[untyped-decorator]
    def _uuid(instance: object) -> bool:
        return not isinstance(instance, str) or bool(UUID_RE.match(instance))

    return checker


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@dataclass
class Parameter:
    name: str
    location: str  # path | query | header
    required: bool
    schema: dict[str, Any]
    validator: Draft202012Validator


@dataclass
class Operation:
    operation_id: str
    method: str  # upper case
    template: str
    parameters: list[Parameter] = field(default_factory=list)
    body_validator: Draft202012Validator | None = None
    body_required: bool = False
    has_body: bool = False


class Contract:
    """The loaded contract: operations by id, a router, and validators."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        resource: Resource[Any] = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._checker = _format_checker()
        self.operations: dict[str, Operation] = {}
        self._routes: list[tuple[re.Pattern[str], tuple[bool, ...], str, dict[str, Operation]]] = []
        self._load()

    @classmethod
    def from_path(cls, path: Path | None = None) -> Contract:
        source = path or spec_path()
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster on this 9k-line file
        with open(source, encoding="utf-8") as handle:
            return cls(yaml.load(handle, Loader=loader))

    def _validator(self, pointer: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{SPEC_URI}#/{pointer}"}, registry=self._registry, format_checker=self._checker
        )

    def _deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref``s of non-schema objects (parameters, request bodies)."""
        while isinstance(node, dict) and "$ref" in node:
            target = node["$ref"]
            if not target.startswith("#/"):
                raise ValueError(f"unsupported $ref {target}")
            pointer = target[2:]
            node = self.document
            for part in pointer.split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
        return node, pointer

    def resolve_schema(self, schema: Any) -> Any:
        """A schema with its top-level ``$ref`` chain followed (used for query coercion)."""
        return self._deref(schema, "")[0]

    def _load(self) -> None:
        for template, path_item in self.document.get("paths", {}).items():
            shared = path_item.get("parameters", [])
            by_method: dict[str, Operation] = {}
            for method in HTTP_METHODS:
                if method not in path_item:
                    continue
                op_pointer = _pointer("paths", template, method)
                operation = self._operation(template, method, path_item[method], shared, op_pointer)
                by_method[operation.method] = operation
                self.operations[operation.operation_id] = operation
            self._add_route(template, by_method)

    def _operation(
        self, template: str, method: str, raw: dict[str, Any], shared: list[Any], pointer: str
    ) -> Operation:
        operation = Operation(raw["operationId"], method.upper(), template)
        declared: dict[tuple[str, str], Parameter] = {}
        path_pointer = pointer.rsplit("/", 1)[0]
        entries = [(p, f"{path_pointer}/parameters/{i}") for i, p in enumerate(shared)]
        entries += [(p, f"{pointer}/parameters/{i}") for i, p in enumerate(raw.get("parameters", []))]
        for entry, entry_pointer in entries:
            param, param_pointer = self._deref(entry, entry_pointer)
            if param["in"] not in ("path", "query", "header"):
                continue
            declared[(param["in"], param["name"].lower())] = Parameter(
                name=param["name"],
                location=param["in"],
                required=bool(param.get("required", param["in"] == "path")),
                schema=param.get("schema", {}),
                validator=self._validator(f"{param_pointer}/schema"),
            )
        operation.parameters = list(declared.values())
        if "requestBody" in raw:
            body, body_pointer = self._deref(raw["requestBody"], f"{pointer}/requestBody")
            media = body.get("content", {})
            media_type = "application/json" if "application/json" in media else next(iter(media), None)
            operation.has_body = True
            operation.body_required = bool(body.get("required", False))
            if media_type is not None and "schema" in media[media_type]:
                schema_pointer = f"{body_pointer}/{_pointer('content', media_type, 'schema')}"
                operation.body_validator = self._validator(schema_pointer)
        return operation

    def _add_route(self, template: str, by_method: dict[str, Operation]) -> None:
        segments = template.strip("/").split("/") if template != "/" else []
        literal_mask = tuple(not (s.startswith("{") and s.endswith("}")) for s in segments)
        regex = "".join(
            "/" + (re.escape(s) if is_literal else f"(?P<{s[1:-1]}>[^/]+)")
            for s, is_literal in zip(segments, literal_mask, strict=True)
        )
        self._routes.append((re.compile(f"^{regex or '/'}$"), literal_mask, template, by_method))
        # Literal segments beat templates (§8 #15): more specific routes first, position by position.
        self._routes.sort(key=lambda route: tuple(not flag for flag in route[1]))

    def route(self, path: str) -> tuple[dict[str, Operation], dict[str, str]] | None:
        """The methods of the best-matching path template and its raw path parameters, or None (404)."""
        for regex, _mask, _template, by_method in self._routes:
            match = regex.fullmatch(path)
            if match:
                return by_method, match.groupdict()
        return None

    def response_example(self, operation_id: str, status: str) -> Any:
        """The documented ``example`` of an operation's JSON response (None if there is none)."""
        operation = self.operations.get(operation_id)
        if operation is None:
            return None
        raw = self.document["paths"][operation.template][operation.method.lower()]
        response, _ = self._deref(raw.get("responses", {}).get(status), "")
        media = (response or {}).get("content", {}).get("application/json", {})
        if "example" in media:
            return media["example"]
        examples = media.get("examples") or {}
        first = next(iter(examples.values()), None)
        return first.get("value") if isinstance(first, dict) else None

    def response_schema_pointer(self, operation_id: str, status: int) -> tuple[str, str | None] | None:
        """(pointer to the JSON schema, media type) of a documented response, or None if undocumented.

        Used by the tests to check the server against its own contract; the pointer is None for a
        documented response without a body.
        """
        operation = self.operations[operation_id]
        responses = self.document["paths"][operation.template][operation.method.lower()].get("responses", {})
        if str(status) not in responses:
            return None
        base = _pointer("paths", operation.template, operation.method.lower(), "responses", str(status))
        response, pointer = self._deref(responses[str(status)], base)
        for media_type, media in (response.get("content") or {}).items():
            if "schema" in media:
                return f"{pointer}/{_pointer('content', media_type, 'schema')}", media_type
        return "", None

    def validator_for(self, pointer: str) -> Draft202012Validator:
        return self._validator(pointer)

    # --- validation --------------------------------------------------------------------------------

    def coerce_query(self, parameter: Parameter, values: list[str]) -> Any:
        """Turn raw query strings into the parameter's JSON type where they parse; else leave strings."""
        schema = self.resolve_schema(parameter.schema)
        if _types(schema) & {"array"}:
            item_schema = self.resolve_schema(schema.get("items", {}))
            return [_coerce_scalar(item_schema, value) for value in values]
        return _coerce_scalar(schema, values[-1])

    def validate_value(self, validator: Draft202012Validator, value: Any, root: str) -> dict[str, list[str]]:
        """Validate ``value``; return ``{camelCase path: [messages]}`` with paths rooted at ``root``."""
        errors: dict[str, list[str]] = {}
        for error in validator.iter_errors(value):
            for key, message in _flatten(error, root):
                errors.setdefault(key, [])
                if message not in errors[key]:
                    errors[key].append(message)
        return errors


def _types(schema: Any) -> set[str]:
    if not isinstance(schema, dict):
        return set()
    declared = schema.get("type")
    if isinstance(declared, list):
        return set(declared)
    if isinstance(declared, str):
        return {declared}
    found: set[str] = set()
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key, []):
            found |= _types(sub)
    return found


def _coerce_scalar(schema: Any, value: str) -> Any:
    types = _types(schema)
    if "integer" in types or "number" in types:
        try:
            number = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
        if isinstance(number, float):
            if not math.isfinite(number):
                return value
            if number.is_integer() and "integer" in types:
                return int(number)
        return number
    if "boolean" in types and value in ("true", "false"):
        return value == "true"
    return value


def render_path(parts: Any, root: str) -> str:
    """``["items", 0, "startsAt"]`` → ``items[0].startsAt``; an empty path is ``root``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    if not root or root == "body":
        return text or "body"
    if not text:
        return root
    return f"{root}{text}" if text.startswith("[") else f"{root}.{text}"


def _flatten(error: ValidationError, root: str) -> list[tuple[str, str]]:
    path = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return [(render_path([*path, name], root), f"The {name} field is required.") for name in missing]
    if error.validator in ("anyOf", "oneOf") and error.context:
        found: list[tuple[str, str]] = []
        for sub in error.context:
            found.extend(_flatten(sub, root))
        if found:
            return found
    return [(render_path(path, root), error.message if len(error.message) < 300 else "Invalid value.")]


def parse_json_body(raw: bytes) -> Any:
    """Parse a request body; raises ValueError for anything but strict JSON (NaN/Infinity rejected)."""

    def reject_constant(name: str) -> Any:
        raise ValueError(f"invalid JSON constant {name}")

    return json.loads(raw.decode("utf-8"), parse_constant=reject_constant)


def integral_floats_to_int(value: Any) -> Any:
    """``25.0`` → ``25`` everywhere (integers accept integral floats, §8 #16)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [integral_floats_to_int(item) for item in value]
    if isinstance(value, dict):
        return {key: integral_floats_to_int(item) for key, item in value.items()}
    return value

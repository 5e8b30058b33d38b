"""Compact JSON Schema builders used by the contract generator.

Every function returns a fresh plain dict, so the generator can assemble the OpenAPI document from
small definitions and dump it deterministically (insertion order is output order).
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

# §8 #11: request emails are checked with this pattern, never with `format: email`.
EMAIL_PATTERN = r"^[^@ \t\r\n]+@[^@ \t\r\n]+$"
# §8 #12: local wall-clock times (business hours) are HH:mm:ss, never `format: time`.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
# §8 #16: every request `…Cents` has this maximum.
MAX_CENTS = 100_000_000
INT32_MAX = 2_147_483_647
ID_LIST_MAX = 100
# §8 #64: webhook URLs in requests must be https.
WEBHOOK_URL_PATTERN = r"^https://"

WEBHOOK_EVENT_TYPES = (
    "booking.cancelled",
    "booking.completed",
    "booking.created",
    "booking.no_show",
    "customer.created",
    "customer.message.sent",
    "customer.note.created",
    "customer.updated",
    "event.cancelled",
    "event.published",
    "review.created",
    "review.moderated",
    "ticket.redeemed",
    "ticket_order.cancelled",
    "ticket_order.created",
    "webhook.test",
)


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def uuid(description: str | None = None) -> Schema:
    return _described({"type": "string", "format": "uuid"}, description)


def date_time(description: str | None = None) -> Schema:
    return _described({"type": "string", "format": "date-time"}, description)


def date(description: str | None = None) -> Schema:
    return _described({"type": "string", "format": "date"}, description)


def string(
    min_length: int | None = None,
    max_length: int | None = None,
    *,
    pattern: str | None = None,
    fmt: str | None = None,
    description: str | None = None,
) -> Schema:
    schema: Schema = {"type": "string"}
    if fmt is not None:
        schema["format"] = fmt
    if min_length is not None:
        schema["minLength"] = min_length
    if max_length is not None:
        schema["maxLength"] = max_length
    if pattern is not None:
        schema["pattern"] = pattern
    return _described(schema, description)


def email_input() -> Schema:
    return string(1, 254, pattern=EMAIL_PATTERN)


def local_time(description: str | None = None) -> Schema:
    return string(8, 8, pattern=LOCAL_TIME_PATTERN, description=description)


def int32(minimum: int | None = None, maximum: int | None = None, description: str | None = None) -> Schema:
    return _integer("int32", minimum, maximum, description)


def int64(minimum: int | None = None, maximum: int | None = None, description: str | None = None) -> Schema:
    return _integer("int64", minimum, maximum, description)


def cents(description: str | None = None) -> Schema:
    """A response money amount in minor units (non-negative)."""
    return int64(0, None, description)


def count(description: str | None = None) -> Schema:
    """A response counter (non-negative int32)."""
    return int32(0, None, description)


def cents_input(description: str | None = None) -> Schema:
    return int64(0, MAX_CENTS, description)


def boolean(description: str | None = None, default: bool | None = None) -> Schema:
    schema: Schema = {"type": "boolean"}
    if default is not None:
        schema["default"] = default
    return _described(schema, description)


def enum(*values: str, description: str | None = None) -> Schema:
    """A closed inline enum of PascalCase values (§8 #1)."""
    return _described({"type": "string", "enum": list(values)}, description)


def array(
    items: Schema,
    min_items: int | None = None,
    max_items: int | None = None,
    *,
    unique: bool = False,
    description: str | None = None,
) -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if min_items is not None:
        schema["minItems"] = min_items
    if max_items is not None:
        schema["maxItems"] = max_items
    if unique:
        schema["uniqueItems"] = True
    return _described(schema, description)


def uuid_list(min_items: int = 0) -> Schema:
    """A request list of ids (§8 #16: at most 100)."""
    return array(uuid(), min_items, ID_LIST_MAX)


def event_type_list(min_items: int, *, unique: bool = False) -> Schema:
    """A list drawn from the 16 webhook event types (§8 #61)."""
    return array(enum(*WEBHOOK_EVENT_TYPES), min_items, len(WEBHOOK_EVENT_TYPES), unique=unique)


def nullable(schema: Schema) -> Schema:
    """OpenAPI 3.1 nullability: add "null" to the type (and to an enum)."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if is_nullable(schema):
        return schema
    result = dict(schema)
    result["type"] = [schema["type"], "null"]
    if "enum" in schema:
        result["enum"] = [*schema["enum"], None]
    return result


def is_nullable(schema: Schema) -> bool:
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def dto(description: str, properties: dict[str, Schema], nullable_fields: str = "") -> Schema:
    """A response DTO: every property required (§3), the named ones nullable, open to extension."""
    optional = set(nullable_fields.split())
    unknown = optional - properties.keys()
    if unknown:
        raise ValueError(f"nullable fields not in properties: {sorted(unknown)}")
    props = {name: nullable(s) if name in optional else s for name, s in properties.items()}
    return {"type": "object", "description": description, "required": list(properties), "properties": props}


def request(
    description: str,
    properties: dict[str, Schema],
    required: str = "",
    *,
    nullable_optionals: bool = True,
) -> Schema:
    """A request object: open (§8 #8); optional fields nullable with null ≡ omitted (§8 #4).

    Booleans carrying a `default` stay non-nullable (the Create-request exception of §8 #4).
    """
    needed = required.split()
    unknown = set(needed) - properties.keys()
    if unknown:
        raise ValueError(f"required fields not in properties: {sorted(unknown)}")
    props = {}
    for name, schema in properties.items():
        keep_plain = name in needed or not nullable_optionals or _is_defaulted_boolean(schema)
        props[name] = schema if keep_plain else nullable(schema)
    result: Schema = {"type": "object", "description": description}
    if needed:
        result["required"] = needed
    result["properties"] = props
    return result


def paged(item: str, description: str) -> Schema:
    """The paged list wrapper `{items, page, pageSize, totalCount}` (§1.5)."""
    return dto(
        description,
        {
            "items": array(ref(item)),
            "page": int32(1, INT32_MAX, "1-based page number of this slice."),
            "pageSize": int32(1, 100, "Requested page size."),
            "totalCount": int32(0, None, "Number of items across all pages, after filtering."),
        },
    )


def plain(item: str, description: str) -> Schema:
    """The plain list wrapper `{items}` for bounded collections (§1.5)."""
    return dto(description, {"items": array(ref(item))})


def _integer(fmt: str, minimum: int | None, maximum: int | None, description: str | None) -> Schema:
    schema: Schema = {"type": "integer", "format": fmt}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return _described(schema, description)


def _described(schema: Schema, description: str | None) -> Schema:
    if description:
        schema["description"] = description
    return schema


def _is_defaulted_boolean(schema: Schema) -> bool:
    return schema.get("type") == "boolean" and "default" in schema

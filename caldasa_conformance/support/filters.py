"""The list filters of the contract, read from it: which query parameters of which list operation narrow
its items, and what each one means for an item (design §2's filter columns, §8 #21, #22 and #24).

Nothing here is a retyped table. A list operation is a GET whose 200 answer has an `items` array; its
filters are its optional query parameters other than paging (`page`, `pageSize`, `limit`). What a filter
means follows from its name, its schema and the item schema of the same operation:

- `from` / `to`: the half-open range `[from, to)` on the instant its description names in backticks
  (`startsAt`, or `createdAt` for orders; design §2: "applied to `startsAt` unless stated"), compared as
  instants whatever offset was sent (§8 #22);
- `search`: a case-insensitive substring of one of the item's own string fields (design §2: "case-insensitive
  contains over name/email/phone"; which fields is the server's business, so any top-level string counts);
- `minX` / `maxX`: at least / at most, on the item's field `x`;
- a name the item has (`status`, `isActive`, `customerId`, ...): equality, any of the values when the
  parameter is an array (repeated values are OR-ed, §8 #21); uuids compare case-insensitively (§8 #13);
- `xId` where the item has the array `xIds` (a staff member's `businessLocationIds`): the id is among them;
- `xId` where an array of the item holds objects with `xId` (a booking's `items[].staffMemberId`): one of
  them has it;
- anything else (listBookings' `resourceId`: the booking DTO does not show its units) cannot be judged on
  an item; only what the caller knows about an item can judge it.

`ListFilter.admits(item, value)` answers True, False, or None (the item cannot tell).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.spec import Contract, load_contract
from caldasa_conformance.workflows.timeutil import parse

PAGING = frozenset({"page", "pageSize", "limit"})
# How a filter is judged on an item (see the module docstring).
EQUAL, LISTED_IN, ANY_ITEM, AT_LEAST, AT_MOST, BEFORE, TEXT, HIDDEN = (
    "equal",
    "listed in",
    "any item",
    "at least",
    "at most",
    "before",
    "text",
    "hidden",
)


@dataclass(frozen=True)
class ListFilter:
    """One filter query parameter of a list operation and the item field it is judged on."""

    operation_id: str
    name: str
    how: str
    field: str | None = None  # the item property (for ANY_ITEM: the array holding objects with `name`)
    repeatable: bool = False  # an array parameter: any of its values matches
    kind: str = ""  # "uuid", "instant", "boolean", "number" or "" (compared as sent)
    values: tuple[Any, ...] = ()  # the values the contract allows (an enum), else ()

    def admits(self, item: Mapping[str, Any], value: Any) -> bool | None:
        """Whether `item` satisfies this filter sent as `value`; None when the item cannot tell."""
        if self.how == HIDDEN or (self.field is None and self.how != TEXT):
            return None
        wanted = [self.normal(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if self.how == TEXT:
            return _contains_text(item, str(value))
        seen = item.get(str(self.field))
        if self.how == EQUAL:
            return self.normal(seen) in wanted
        if self.how == LISTED_IN:
            return isinstance(seen, list) and any(self.normal(v) in wanted for v in seen)
        if self.how == ANY_ITEM:
            return isinstance(seen, list) and any(
                isinstance(part, Mapping) and self.normal(part.get(self.name)) in wanted for part in seen
            )
        return _compare(self.how, self.normal(seen), wanted[0])

    def normal(self, value: Any) -> Any:
        """A value as compared: an instant parsed, a uuid lower-cased, `"true"` a boolean."""
        if value is None:
            return None
        if self.kind == "instant":
            return parse(str(value)) if isinstance(value, str) else value
        if self.kind == "uuid":
            return str(value).lower()
        if self.kind == "boolean" and isinstance(value, str):
            return {"true": True, "false": False}.get(value, value)
        if self.kind == "number" and isinstance(value, str):
            return float(value)
        return value


def _compare(how: str, seen: Any, bound: Any) -> bool:
    if seen is None:
        return False
    try:
        return bool(seen >= bound if how == AT_LEAST else seen <= bound if how == AT_MOST else seen < bound)
    except TypeError:  # an unparsable or mistyped field never satisfies a range
        return False


def _contains_text(item: Mapping[str, Any], needle: str) -> bool:
    wanted = needle.lower()
    return any(isinstance(value, str) and wanted in value.lower() for value in item.values())


def matching(operation_id: str, sent: Mapping[str, Any], item: Mapping[str, Any]) -> bool | None:
    """Whether `item` satisfies every filter in `sent` (AND, §8 #21); None when one of them cannot tell."""
    verdicts = [f.admits(item, sent[name]) for name, f in applied(operation_id, sent).items()]
    if False in verdicts:
        return False
    return None if None in verdicts else True


def known_matches(
    operation_id: str, sent: Mapping[str, Any], items: Sequence[Mapping[str, Any]]
) -> dict[str, bool]:
    """id → whether the item satisfies every filter in `sent`, for the items whose fields can tell."""
    verdicts = {str(item.get("id", "")).lower(): matching(operation_id, sent, item) for item in items}
    return {key: verdict for key, verdict in verdicts.items() if verdict is not None}


def applied(operation_id: str, sent: Mapping[str, Any]) -> dict[str, ListFilter]:
    """The filters of `operation_id` among the query parameters `sent` (paging and None values left out)."""
    filters = list_filters().get(operation_id, {})
    return {name: filters[name] for name, value in sent.items() if name in filters and value is not None}


@functools.lru_cache(maxsize=1)
def list_filters() -> dict[str, dict[str, ListFilter]]:
    """operationId → its filters by parameter name, for every list operation of the bundled contract."""
    return derive_filters(load_contract(BUNDLED_SPEC))


def derive_filters(contract: Contract) -> dict[str, dict[str, ListFilter]]:
    """operationId → its filters by parameter name, for every list operation of `contract` that has any."""
    result: dict[str, dict[str, ListFilter]] = {}
    for operation in contract.operations.values():
        item = _item_schema(contract, operation.raw) if operation.method == "GET" else None
        if item is None:
            continue
        properties = {key: _resolve(contract, value) for key, value in item.get("properties", {}).items()}
        filters = {}
        for parameter in (_resolve(contract, p) for p in operation.raw.get("parameters", [])):
            name = parameter.get("name")
            if parameter.get("in") == "query" and name not in PAGING and not parameter.get("required"):
                filters[str(name)] = _filter(contract, operation.operation_id, parameter, properties)
        if filters:
            result[operation.operation_id] = filters
    return result


def _filter(
    contract: Contract, operation_id: str, parameter: Mapping[str, Any], properties: Mapping[str, Any]
) -> ListFilter:
    name, schema = str(parameter["name"]), _resolve(contract, parameter.get("schema", {}))
    repeatable = schema.get("type") == "array"
    scalar = _resolve(contract, schema.get("items", {})) if repeatable else schema
    how, on = _meaning(contract, name, str(parameter.get("description", "")), properties)
    return ListFilter(operation_id, name, how, on, repeatable, _kind(scalar), tuple(scalar.get("enum", ())))


def _meaning(
    contract: Contract, name: str, description: str, properties: Mapping[str, Any]
) -> tuple[str, str | None]:
    """How the filter `name` is judged, and on which item property (see the module docstring)."""
    if name in ("from", "to"):
        named = re.search(r"`(\w+)`", description)
        return (AT_LEAST if name == "from" else BEFORE), (named[1] if named else "startsAt")
    if name == "search":
        return TEXT, None
    bound = re.fullmatch(r"(min|max)([A-Z]\w*)", name)
    if bound and bound[2][0].lower() + bound[2][1:] in properties:
        return (AT_LEAST if bound[1] == "min" else AT_MOST), bound[2][0].lower() + bound[2][1:]
    if name in properties:
        return EQUAL, name
    if properties.get(name + "s", {}).get("type") == "array":
        return LISTED_IN, name + "s"
    for key, schema_of in properties.items():
        inner = _resolve(contract, schema_of.get("items", {})) if schema_of.get("type") == "array" else {}
        if name in inner.get("properties", {}):
            return ANY_ITEM, key
    return HIDDEN, None


def _kind(schema: Mapping[str, Any]) -> str:
    if schema.get("format") == "date-time":
        return "instant"
    if schema.get("format") == "uuid":
        return "uuid"
    if schema.get("type") in ("boolean", "integer", "number"):
        return "number" if schema["type"] != "boolean" else "boolean"
    return ""


def _item_schema(contract: Contract, operation: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The schema of one element of the `items` array of the operation's 200 answer, if it has one."""
    response = operation.get("responses", {}).get("200")
    if response is None:
        return None
    content = _resolve(contract, response).get("content", {}).get("application/json", {})
    body = _resolve(contract, content.get("schema", {}))
    items = _resolve(contract, body.get("properties", {}).get("items", {}))
    if items.get("type") != "array":
        return None
    return _resolve(contract, items.get("items", {}))


def _resolve(contract: Contract, node: Mapping[str, Any]) -> Mapping[str, Any]:
    return contract.resolve(node, "")[0]


def item_ids(items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The ids of listed items, lower-cased (ids are emitted lowercase, §8 #13; a server may differ)."""
    return [str(item.get("id", "")).lower() for item in items]

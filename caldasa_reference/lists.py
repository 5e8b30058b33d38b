"""List helpers: page/pageSize pagination (§1.5, §8 #21) and repeatable filters (§8 #24)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from caldasa_reference.routing import RequestContext
from caldasa_reference.store import Record, ordered, public

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100  # the contract's maximum of `pageSize`


def paginate(
    ctx: RequestContext,
    records: Sequence[Record],
    render: Callable[[Record], Record] = public,
) -> dict[str, Any]:
    """Slice already-ordered ``records`` by ``page``/``pageSize`` from the query; page past end → []."""
    page = int(ctx.query.get("page", 1))
    page_size = int(ctx.query.get("pageSize", DEFAULT_PAGE_SIZE))
    start = (page - 1) * page_size
    if page > 1 and ctx.fault("pagination-overlap"):
        start -= 1
    if start >= len(records) > 0 and ctx.fault("page-past-end-repeats"):  # T3: instead of []
        start = (len(records) - 1) // page_size * page_size
    window = records[start : start + page_size]
    drift = 1 if page > 1 and ctx.fault("total-count-drifts") else 0  # T3: unstable across pages
    return {
        "items": [render(record) for record in window],
        "page": page,
        "pageSize": page_size,
        "totalCount": len(records) + drift,
    }


def plain(records: Sequence[Record], render: Callable[[Record], Record] = public) -> dict[str, Any]:
    """A bounded list wrapper: ``{items}`` only."""
    return {"items": [render(record) for record in records]}


def ordered_open_ties(
    ctx: RequestContext, records: Sequence[Record], key: str, *, descending: bool = False
) -> list[Record]:
    """Order by ``key`` where the contract names no tiebreaker. The reference breaks ties by id in the
    direction of ``key`` (§8 #23); the ``ties-reversed`` variant breaks them the other way."""
    if not ctx.variant("ties-reversed"):
        return ordered(records, key, descending=descending)
    by_id = sorted(records, key=lambda record: str(record["id"]), reverse=not descending)
    # Stable (also with reverse=True), so equal keys keep the reversed id order.
    return sorted(
        by_id, key=lambda record: (record.get(key) is None, record.get(key) or ""), reverse=descending
    )


def as_list(value: Any) -> list[Any]:
    """A repeatable query value as a list (absent → [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def matches(value: Any, wanted: Any) -> bool:
    """Filter predicate: no filter matches everything; a repeated filter matches any of its values."""
    options = as_list(wanted)
    return not options or value in options

"""The oracle of list filters (T12): a filtered list holds the items that satisfy its filters, and only them.

Which query parameters of a list are filters, and what each one means for an item, is read from the
contract (`support.filters`); nothing here knows an operation by name. Any caller that fetched a list with
filters hands the answer over; the judge needs no model, and a caller that has one adds what it knows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from caldasa_conformance.support.filters import applied, item_ids
from caldasa_conformance.workflows.checks import require

Json = Mapping[str, Any]
SHOWN = 5  # offending items a failure shows


def judge_list_filters(
    operation_id: str,
    sent: Mapping[str, Any],
    listed: Sequence[Json],
    *,
    total: int | None = None,
    known: Mapping[str, bool] | None = None,
) -> None:
    """T12: every item of a filtered list satisfies each filter sent, and every item known to satisfy all
    of them is listed.

    Args:
        operation_id: the list operation.
        sent: the query parameters sent (paging and other non-filters are ignored; absent = None).
        listed: the items of the answer (one page, or every page walked).
        total: the answer's `totalCount` when `listed` may be one page of more; None for a whole list. A
            missing item is judged only when `listed` is the whole answer (`len(listed) >= total`).
        known: ids the caller knows about, and whether each satisfies every filter sent (its own data, e.g.
            entities it created and read back, or its model). Known non-matching items must be absent,
            known matching ones present. Judged also for a filter the items cannot show (listBookings'
            `resourceId`).
    """
    filters = applied(operation_id, sent)
    if not filters:
        return
    wrong = []
    for item in listed:
        for name, list_filter in filters.items():
            if list_filter.admits(item, sent[name]) is False:
                seen = item.get(str(list_filter.field)) if list_filter.field else "no string field has it"
                wrong.append({"id": item.get("id"), "filter": name, list_filter.field or name: seen})
    asked = {name: sent[name] for name in filters}
    if listed:
        require(
            not wrong,
            "T12",
            f"{operation_id} lists items its filters exclude",
            wrong[:SHOWN],
            asked,
            operation_id,
        )
    if known:
        _judge_known(
            operation_id, asked, item_ids(listed), known, whole=total is None or len(listed) >= total
        )


def _judge_known(
    operation_id: str, asked: Mapping[str, Any], ids: Sequence[str], known: Mapping[str, bool], whole: bool
) -> None:
    present = set(ids)
    strays = sorted(key for key, matches in known.items() if not matches and key.lower() in present)
    require(
        not strays,
        "T12",
        f"{operation_id} lists known items that do not satisfy its filters",
        {"listed": strays[:SHOWN], "filters": asked},
        "none of them (each differs from a filter sent)",
        operation_id,
    )
    if not whole:
        return
    missing = sorted(key for key, matches in known.items() if matches and key.lower() not in present)
    require(
        not missing,
        "T12",
        f"{operation_id} leaves out known items that satisfy its filters",
        {"missing": missing[:SHOWN], "filters": asked},
        "every item satisfying all filters sent",
        operation_id,
    )

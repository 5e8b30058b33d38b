"""List filters (T12): every list operation with filters, each filter on run-made data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from caldasa_conformance.builders.factory import DataFactory, TenantWorld
from caldasa_conformance.builders.filter_scene import FilterScene, build_filter_scene, queries
from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.fixtures.data import SetupFailed, setup_failed
from caldasa_conformance.oracles.lists import judge_list_filters
from caldasa_conformance.spec import load_contract
from caldasa_conformance.support import operations as ops
from caldasa_conformance.support.filters import known_matches, list_filters
from caldasa_conformance.workflows.checks import Expect, check_answer


@pytest.fixture(scope="module")
def scene(factory: DataFactory, world: TenantWorld) -> FilterScene:
    try:
        return build_filter_scene(factory, world)
    except SetupFailed as error:
        setup_failed(error)


def _read(api: httpx.Client, operation_id: str, path: dict[str, str], params: dict[str, Any]) -> Any:
    """One page of the list, as large as the contract allows. A 200 is no evidence that a filter holds (the
    judge records T12 when it has judged something); anything else fails (§8 #24: valid filters never 400)."""
    largest = load_contract(BUNDLED_SPEC).max_page_size(operation_id)
    paging = {"pageSize": largest} if largest else {}
    response = ops.call(api, operation_id, path, params={**params, **paging})
    if response.status_code != 200:
        check_answer(response, Expect(200, "T12", why="a list filtered by valid values"), operation_id)
    return response.json()


@pytest.mark.pagination
@pytest.mark.req("T12")
@pytest.mark.parametrize(
    "operation_id", [pytest.param(op, marks=pytest.mark.operation(op)) for op in list_filters()]
)
def test_filtered_lists_hold_exactly_the_matching_items(
    operation_id: str, api: httpx.Client, world: TenantWorld, scene: FilterScene
) -> None:
    """Test purpose: a filter keeps every item that satisfies it and nothing else (T12).

    Method: the list's filters and what each means are read from the contract. Each filter is sent with
    values that some of the run's own items hold and others do not (booleans both ways; a range bound at an
    item's instant, in another UTC offset; a search for an item's name in other letter case), narrowed to
    the run's location where the list has that filter. Every listed item must satisfy every filter sent;
    the run's items that satisfy them all must be listed, the others must not. A list the scene has no items
    for (orders, reviews, ticket orders, form templates, deliveries) is queried with values its own first
    page holds, and judged on what it lists.
    """
    path = scene.path_values(world)
    missing = [name for name in ops.path_names(ops.OPERATIONS[operation_id][1]) if name not in path]
    if missing:
        pytest.skip(f"test data lacks {', '.join(missing)}")
    values = {name: path[name] for name in ops.path_names(ops.OPERATIONS[operation_id][1])}
    mine: list[dict[str, Any]] | None = scene.known.get(operation_id)
    if mine is None and values:  # a sub-collection of the run's own entity: all of it is the run's
        mine = list(_read(api, operation_id, values, {}).get("items", []))
    items = mine if mine is not None else list(_read(api, operation_id, values, {}).get("items", []))
    for sent in queries(operation_id, items, scene, anchored=mine is not None):
        body = _read(api, operation_id, values, sent)
        known = known_matches(operation_id, sent, mine) if mine is not None else None
        judge_list_filters(operation_id, sent, body["items"], total=body.get("totalCount"), known=known)

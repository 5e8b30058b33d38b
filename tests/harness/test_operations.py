"""The typed helpers of `support.operations` send the operations of the contract, with its methods and paths.

`OPERATIONS` is read from the contract; each helper names its operation in its docstring
(`createBooking: POST /bookings ...`) and must send exactly that request.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.spec import load_contract
from caldasa_conformance.support import operations as ops

CONTRACT = load_contract(BUNDLED_SPEC)
GENERIC = {"call", "path_names"}
WRAPPERS: dict[str, Callable[..., httpx.Response]] = {
    name: function
    for name, function in inspect.getmembers(ops, inspect.isfunction)
    if function.__module__ == ops.__name__ and not name.startswith("_") and name not in GENERIC
}
NAMED = re.compile(r"(\w+): ([A-Z]+) (/\S*?)\.?(?:\s|$)")


def _named(name: str) -> tuple[str, str, str]:
    """(operationId, method, path) as the helper's docstring names them."""
    match = NAMED.match(WRAPPERS[name].__doc__ or "")
    assert match, f"{name}: the docstring does not start with 'operationId: METHOD /path'"
    operation_id, method, path = match.groups()
    return operation_id, method, path


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def test_the_table_holds_every_operation_of_the_contract() -> None:
    contract = {op.operation_id: (op.method, op.path) for op in CONTRACT.operations.values()}
    assert dict(ops.OPERATIONS) == contract


def test_every_operation_of_the_contract_has_one_helper() -> None:
    assert sorted(_named(name)[0] for name in WRAPPERS) == sorted(CONTRACT.operations)


@pytest.mark.parametrize("name", sorted(WRAPPERS))
def test_each_helper_sends_the_operation_it_names(name: str) -> None:
    operation_id, method, path = _named(name)
    operation = CONTRACT.operations.get(operation_id)
    assert operation is not None, f"{name} names {operation_id}, which the contract does not have"
    assert (method, path) == (operation.method, operation.path), f"{name}: contract says {operation.label}"

    parameters = list(inspect.signature(WRAPPERS[name]).parameters)
    positional = [p for p in parameters[1:] if p not in ("body", "params", "headers")]
    assert positional == [_snake(p) for p in operation.path_parameters], "path values in the template's order"
    if "requestBody" in operation.raw:
        assert "body" in parameters, f"{operation_id} takes a request body"

    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    values = {p: f"{p} {index}/x" for index, p in enumerate(operation.path_parameters)}  # must be encoded
    body: dict[str, Any] = {"body": {"probe": 1}} if "body" in parameters else {}
    with httpx.Client(base_url="http://target.test", transport=httpx.MockTransport(record)) as client:
        WRAPPERS[name](client, *values.values(), params={"q": "1"}, headers={"X-Probe": "1"}, **body)

    (request,) = sent
    expected_path = re.sub(r"{([^}]+)}", lambda m: quote(values[m.group(1)], safe=""), operation.path)
    assert request.method == operation.method
    assert request.url.raw_path.split(b"?")[0].decode() == expected_path
    assert request.url.params["q"] == "1"
    assert request.headers["X-Probe"] == "1"
    if body:
        assert json.loads(request.content) == {"probe": 1}


def test_the_largest_page_size_comes_from_the_contract() -> None:
    """A pagination walk never asks past it (issue #13: a 5,000-customer tenant is walked in pages of 100)."""
    assert CONTRACT.max_page_size("listCustomers") == 100
    assert CONTRACT.max_page_size("listBusinessHours") is None  # a bounded list takes no pageSize


def test_the_machines_api_sends_through_the_one_call_path_and_encodes_path_values() -> None:
    """`Api.call` (the machines' caller) percent-encodes like the helpers, and its journal hook records it."""
    from caldasa_conformance.workflows.api import Api

    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    value = "a/b c?d"
    with httpx.Client(base_url="http://target.test", transport=httpx.MockTransport(record)) as client:
        api = Api(client)
        api.call("getBooking", path={"bookingId": value}, params={"skip": None, "flag": True})
        ops.get_booking(client, value)

    encoded = b"/bookings/a%2Fb%20c%3Fd"
    assert [request.url.raw_path for request in sent] == [encoded + b"?flag=true", encoded]
    (step,) = api.journal.steps
    assert [(r.method, r.url, r.status) for r in step.requests] == [
        ("GET", "http://target.test/bookings/a%2Fb%20c%3Fd?flag=true", 200)
    ], "the journal hook records the machine's request (only that one) with its answer"

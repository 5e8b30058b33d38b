"""V1 judges the request as sent: a generated invalid value that vanished on the wire is no violation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.failures import InvalidInputAccepted
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.spec import load_contract

CTX = OracleContext(contract=load_contract(BUNDLED_SPEC))


def accepted(method: str, url: str, body: Any = None) -> httpx.Response:
    """A 200 to the request as given (through a MockTransport)."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": [], "page": 1, "pageSize": 20, "totalCount": 0})

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test") as client:
        return client.request(method, url, json=body)


def judge(operation_id: str, response: httpx.Response, *locations: str) -> None:
    exchange = Exchange(operation_id, negative=True, invalid_locations=locations)
    run_oracles(CTX, response, exchange, only=["invalid_input_rejected"])


@pytest.mark.parametrize(
    "url",
    [
        "/orders?page=1",
        "/orders?page=1.0",  # JSON Schema counts 1.0 as an integer
        "/orders?pageSize=",  # an empty non-string value may be read as absent
        "/orders?pageSize=&pageSize=5",  # a repeated scalar: the valid value may be the one read
        "/orders",
        "/orders?pageSize=100&status=Paid",
        "/orders?bookingId=" + "0" * 8 + "-0000-4000-8000-" + "0" * 12,
    ],
)
def test_a_query_that_conforms_as_sent_is_not_a_v1_violation(url: str) -> None:
    judge("listOrders", accepted("GET", url), "query")


@pytest.mark.parametrize(
    "url",
    [
        "/orders?pageSize=-5",
        "/orders?pageSize=-5&pageSize=0",
        "/orders?page=one",
        "/orders?page=1.5",
        "/orders?status=Nope",
        "/orders?bookingId=not-a-uuid",
    ],
)
def test_a_query_still_invalid_as_sent_is_reported(url: str) -> None:
    with pytest.raises(InvalidInputAccepted):
        judge("listOrders", accepted("GET", url), "query")


def test_a_body_that_conforms_as_sent_is_not_a_v1_violation() -> None:
    judge("createCustomer", accepted("POST", "/customers", {"name": "Ada", "phone": "+4930"}), "body")


def test_a_body_still_invalid_as_sent_is_reported() -> None:
    with pytest.raises(InvalidInputAccepted):
        judge("createCustomer", accepted("POST", "/customers", {"name": 7}), "body")


@pytest.mark.parametrize("locations", [(), ("header",), ("path",), ("query", "header")])
def test_parts_not_checkable_here_keep_the_generator_s_verdict(locations: tuple[str, ...]) -> None:
    with pytest.raises(InvalidInputAccepted):
        judge("listOrders", accepted("GET", "/orders?page=1"), *locations)


def answered(status: int, method: str, url: str, body: Any = None) -> httpx.Response:
    """A `status` problem answer to the request as given."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"status": status, "title": "t"})

    with httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test") as client:
        return client.request(method, url, json=body)


@pytest.mark.parametrize("status", [400, 404, 413, 414, 431, 429, 500])
def test_a_rejection_of_invalid_input_is_no_v1_violation(status: int) -> None:
    """400, or a status that rejects before judging content (404: the path may name nothing; size limits);
    5xx and 429 are other rules' concern."""
    judge("createCustomer", answered(status, "POST", "/customers", {"name": 7}), "body")


@pytest.mark.parametrize("status", [409, 403, 422, 410])
def test_invalid_input_judged_as_if_valid_is_reported(status: int) -> None:
    with pytest.raises(InvalidInputAccepted, match="not rejected with 400"):
        judge("createCustomer", answered(status, "POST", "/customers", {"name": 7}), "body")


def test_a_conflict_to_input_that_conforms_as_sent_is_not_a_v1_violation() -> None:
    """The invalid value vanished on the wire: the 409 judged a valid request (a duplicate, say)."""
    judge("createCustomer", answered(409, "POST", "/customers", {"name": "Ada", "phone": "+4930"}), "body")

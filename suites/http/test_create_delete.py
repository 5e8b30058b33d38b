"""Create (T8) and delete (T7) semantics, unknown JSON properties (T8), and 429 handling (T5)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies
from caldasa_conformance.builders.factory import TenantWorld
from caldasa_conformance.failures import CreateSemanticsViolation, DeleteNotEffective, RetryAfterMissing
from caldasa_conformance.fixtures.data import Cleanup, track_created
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support import operations as ops

# create operation -> (strategy of bodies, the get operation that its Location resolves to)
CREATES: dict[str, tuple[Callable[[str], st.SearchStrategy[dict[str, Any]]], str]] = {
    "createCustomer": (lambda tag: strategies.customers(tag=tag), "getCustomer"),
    "createLocation": (lambda tag: strategies.locations(tag=tag), "getLocation"),
    "createResourceType": (lambda tag: strategies.resource_types(tag=tag), "getResourceType"),
    "createStaffMember": (lambda tag: strategies.staff_members(tag=tag), "getStaffMember"),
}
_HYPOTHESIS = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _unique(body: dict[str, Any], serial: int) -> dict[str, Any]:
    """Make names and emails unique in the run: Hypothesis may draw one body twice (a 409 duplicate)."""
    unique = dict(body)
    unique["name"] = f"{serial} {body['name']}"[:100]
    if isinstance(body.get("email"), str):
        unique["email"] = f"{serial}.{body['email']}"
    return unique


def _location_path(response: httpx.Response, operation_id: str) -> str:
    location = response.headers.get("Location")
    if not location:
        raise CreateSemanticsViolation(
            f"{response.status_code} without Location", "a Location header", operation_id=operation_id
        )
    return urlsplit(location).path


@pytest.mark.http
@pytest.mark.req("T8")
@pytest.mark.parametrize(
    "operation_id", [pytest.param(op, marks=pytest.mark.operation(op, CREATES[op][1])) for op in CREATES]
)
def test_created_location_resolves_to_an_equal_body(
    operation_id: str, api: httpx.Client, run_tag: str, cleanup: Cleanup, oracle_ctx: OracleContext
) -> None:
    """Test purpose: 201 carries a Location whose GET returns the body the 201 returned.

    Method: create entities from domain strategies; follow Location; compare bodies; delete where possible.
    """
    strategy, get_operation = CREATES[operation_id]

    serial = itertools.count()

    @_HYPOTHESIS
    @given(strategy(run_tag))
    def create_and_follow(body: dict[str, Any]) -> None:
        created = ops.call(api, operation_id, body=_unique(body, next(serial)))
        assert created.status_code == 201, (
            f"{operation_id} answered {created.status_code}: {created.text[:200]}"
        )
        track_created(cleanup, api, created)
        fetched = api.get(_location_path(created, operation_id))
        run_oracles(oracle_ctx, fetched, Exchange(get_operation, authenticated=True))
        if fetched.status_code != 200 or fetched.json() != created.json():
            raise CreateSemanticsViolation(
                f"GET Location -> {fetched.status_code} {fetched.text[:200]}",
                f"200 with the 201 body {created.text[:200]}",
                operation_id=operation_id,
            )

    create_and_follow()


@pytest.mark.http
@pytest.mark.req("T8")
@pytest.mark.operation("createCustomerNote", "listCustomerNotes")
def test_created_note_without_get_appears_in_its_list(
    api: httpx.Client, world: TenantWorld, cleanup: Cleanup
) -> None:
    """Test purpose: without a Get, Location names the canonical path and the list shows the item.

    Method: create a note; its Location is /customers/{c}/notes/{n}; the list holds an equal item.
    """
    customer_id = world.customer["id"]
    created = ops.create_customer_note(api, customer_id, body={"body": "http class note"})
    note = created.json()
    cleanup.push("note", note["id"], lambda: ops.delete_customer_note(api, customer_id, note["id"]))
    if _location_path(created, "createCustomerNote") != f"/customers/{customer_id}/notes/{note['id']}":
        raise CreateSemanticsViolation(
            created.headers["Location"],
            f"/customers/{customer_id}/notes/{note['id']}",
            operation_id="createCustomerNote",
        )
    listed = ops.list_customer_notes(api, customer_id, params={"pageSize": 100}).json()["items"]
    if note not in listed:
        raise CreateSemanticsViolation(
            "note missing from listCustomerNotes (or different)",
            "an equal item",
            operation_id="createCustomerNote",
        )


@pytest.mark.http
@pytest.mark.req("T8")
@pytest.mark.operation("createCustomer", "createLocation")
def test_unknown_json_properties_are_ignored(api: httpx.Client, run_tag: str, cleanup: Cleanup) -> None:
    """Test purpose: request objects are open; unknown properties are ignored, not rejected (§8 #8).

    Method: add unknown scalar and nested properties to valid creates; expect 201 without the extras echoed.
    """
    extras = {"unknownProperty": 1, "nestedUnknown": {"deep": [1, 2]}}
    customer = ops.create_customer(api, body={"name": f"{run_tag} Open", "phone": "+4930999", **extras})
    location = ops.create_location(
        api, body={"name": f"{run_tag} Open location", "timeZone": "UTC", **extras}
    )
    for operation_id, response in (("createCustomer", customer), ("createLocation", location)):
        if response.status_code != 201 or "unknownProperty" in response.text:
            raise CreateSemanticsViolation(
                f"{response.status_code} {response.text[:200]}",
                "201, extras ignored",
                operation_id=operation_id,
            )
    track_created(cleanup, api, customer)
    track_created(cleanup, api, location)


def _expect_gone(response: httpx.Response, operation_id: str, step: str) -> None:
    if response.status_code != 404:
        raise DeleteNotEffective(
            f"{step} -> {response.status_code}", f"{step} -> 404", operation_id=operation_id
        )


@pytest.mark.http
@pytest.mark.req("T7")
@pytest.mark.operation("deleteCustomerNote", "updateCustomerNote", "listCustomerNotes")
def test_deleted_note_is_gone(api: httpx.Client, world: TenantWorld, oracle_ctx: OracleContext) -> None:
    """Test purpose: DELETE 204, then the note is absent: PATCH 404, second DELETE 404, not listed.

    Method: create a note, delete it, then probe it three ways (no getCustomerNote exists).
    """
    customer_id = world.customer["id"]
    note = ops.create_customer_note(api, customer_id, body={"body": "to be deleted"}).json()
    deleted = ops.delete_customer_note(api, customer_id, note["id"])
    run_oracles(oracle_ctx, deleted, Exchange("deleteCustomerNote", authenticated=True))
    assert deleted.status_code == 204, f"deleteCustomerNote answered {deleted.status_code}"
    _expect_gone(
        ops.delete_customer_note(api, customer_id, note["id"]), "deleteCustomerNote", "second DELETE"
    )
    _expect_gone(
        ops.update_customer_note(api, customer_id, note["id"], body={"body": "x"}),
        "deleteCustomerNote",
        "PATCH after DELETE",
    )
    listed = ops.list_customer_notes(api, customer_id, params={"pageSize": 100}).json()["items"]
    if any(item["id"] == note["id"] for item in listed):
        raise DeleteNotEffective(
            "deleted note still listed",
            "note absent from listCustomerNotes",
            operation_id="deleteCustomerNote",
        )


DELETES = {
    "deleteResourceType": ("createResourceType", "getResourceType", "resourceTypeId"),
    "deleteLocation": ("createLocation", "getLocation", "locationId"),
    "deleteStaffMember": ("createStaffMember", "getStaffMember", "staffMemberId"),
    "deleteWebhook": ("createWebhook", None, "webhookId"),
}


def _create_body(operation_id: str, tag: str) -> dict[str, Any]:
    return {
        "createResourceType": {"name": f"{tag} gone type"},
        "createLocation": {"name": f"{tag} gone location", "timeZone": "UTC"},
        "createStaffMember": {"name": f"{tag} gone staff"},
        "createWebhook": {"url": "https://example.com/gone", "eventTypes": ["booking.created"]},
    }[operation_id]


@pytest.mark.http
@pytest.mark.req("T7")
@pytest.mark.parametrize(
    "operation_id", [pytest.param(op, marks=pytest.mark.operation(op)) for op in DELETES]
)
def test_delete_then_get_and_delete_again_are_404(
    operation_id: str, api: httpx.Client, run_tag: str, oracle_ctx: OracleContext
) -> None:
    """Test purpose: DELETE 204 -> GET 404 -> DELETE 404.

    Method: create a fresh unreferenced entity, delete it, read it back and delete it again.
    """
    create_operation, get_operation, parameter = DELETES[operation_id]
    created = ops.call(api, create_operation, body=_create_body(create_operation, run_tag))
    assert created.status_code == 201, f"{create_operation} answered {created.status_code}"
    values = {parameter: created.json()["id"]}
    deleted = ops.call(api, operation_id, values)
    run_oracles(oracle_ctx, deleted, Exchange(operation_id, authenticated=True))
    assert deleted.status_code == 204, f"{operation_id} answered {deleted.status_code}"
    if get_operation:
        _expect_gone(ops.call(api, get_operation, values), operation_id, "GET after DELETE")
    _expect_gone(ops.call(api, operation_id, values), operation_id, "second DELETE")


@pytest.mark.http
@pytest.mark.readonly
@pytest.mark.req("T5")
@pytest.mark.operation("getCurrentTenant")
def test_rate_limited_answers_carry_retry_after(
    client_factory: Callable[..., httpx.Client], oracle_ctx: OracleContext
) -> None:
    """Test purpose: a 429 has `Retry-After` (integer seconds) and a problem body; waiting that long helps.

    Method: send a bounded burst (60 GETs) without automatic retries; skip when the target never limits.
    """
    client = client_factory(retry_429=False)
    limited = next(
        (r for r in (ops.get_current_tenant(client) for _ in range(60)) if r.status_code == 429), None
    )
    if limited is None:
        pytest.skip("no 429 within 60 requests: the target does not rate-limit this client")
    run_oracles(oracle_ctx, limited, Exchange("getCurrentTenant", authenticated=True))
    retry_after = limited.headers.get("Retry-After", "")
    if not retry_after.isdigit():
        raise RetryAfterMissing(
            repr(retry_after), "Retry-After: <integer seconds>", operation_id="getCurrentTenant"
        )


def _world_creates(world: TenantWorld, tag: str) -> dict[str, tuple[dict[str, Any], str]]:
    """Creates whose bodies reference the session's test data: operation -> (body, get operation)."""
    location, starts = world.location["id"], world.day.isoformat() + "T00:00:00Z"
    return {
        "createReservable": (
            {
                "name": f"{tag} T8 service",
                "durationMinutes": 45,
                "priceCents": 1000,
                "businessLocationIds": [location],
                "staffMemberIds": [world.staff["id"]],
            },
            "getReservable",
        ),
        "createResource": (
            {
                "name": f"{tag} T8 unit",
                "resourceTypeId": world.resource_type["id"],
                "businessLocationId": location,
            },
            "getResource",
        ),
        "createEvent": (
            {
                "name": f"{tag} T8 event",
                "startsAt": starts.replace("T00", "T19"),
                "endsAt": starts.replace("T00", "T21"),
            },
            "getEvent",
        ),
    }


@pytest.mark.http
@pytest.mark.req("T8")
@pytest.mark.operation(
    "createReservable", "getReservable", "createResource", "getResource", "createEvent", "getEvent"
)
def test_created_dependent_entities_resolve_to_equal_bodies(
    api: httpx.Client, world: TenantWorld, run_tag: str, cleanup: Cleanup, oracle_ctx: OracleContext
) -> None:
    """Test purpose: creates that reference other entities also answer 201 + a Location with an equal body.

    Method: create a reservable, a resource and an event on the session's location; follow each Location.
    """
    for operation_id, (body, get_operation) in _world_creates(world, run_tag).items():
        created = ops.call(api, operation_id, body=body)
        track_created(cleanup, api, created)
        run_oracles(oracle_ctx, created, Exchange(operation_id, authenticated=True))
        assert created.status_code == 201, (
            f"{operation_id} answered {created.status_code}: {created.text[:200]}"
        )
        fetched = api.get(_location_path(created, operation_id))
        run_oracles(oracle_ctx, fetched, Exchange(get_operation, authenticated=True))
        if fetched.status_code != 200 or fetched.json() != created.json():
            raise CreateSemanticsViolation(
                f"GET Location -> {fetched.status_code} {fetched.text[:200]}",
                f"200 with the 201 body {created.text[:200]}",
                operation_id=operation_id,
            )


@pytest.mark.http
@pytest.mark.req("T7")
@pytest.mark.operation("deleteLocation", "deleteResourceType", "getLocation", "getResourceType")
def test_deleting_referenced_entities_is_a_conflict(
    api: httpx.Client, world: TenantWorld, oracle_ctx: OracleContext
) -> None:
    """Test purpose: deleting what live data references answers 409 in_use and removes nothing.

    Method: delete the session's location (it has resources and a live booking) and its resource type (it has
    resources); expect 409 with code in_use, and both still readable afterwards.
    """
    for operation_id, get_operation, values in (
        ("deleteLocation", "getLocation", {"locationId": world.location["id"]}),
        ("deleteResourceType", "getResourceType", {"resourceTypeId": world.resource_type["id"]}),
    ):
        response = ops.call(api, operation_id, values)
        run_oracles(oracle_ctx, response, Exchange(operation_id, authenticated=True))
        if response.status_code != 409 or response.json().get("code") != "in_use":
            raise DeleteNotEffective(
                f"{response.status_code} {response.text[:200]}",
                "409 with code in_use",
                title="Deleting an entity in use was not refused",
                operation_id=operation_id,
            )
        assert ops.call(api, get_operation, values).status_code == 200, f"{get_operation} lost the entity"

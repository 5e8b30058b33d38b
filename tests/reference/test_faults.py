"""Each core-area fault changes behaviour as its registry entry says; the clean server does not."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest

from caldasa_reference.faults import FAULTS
from tests.reference import test_faults_booking_rules as booking
from tests.reference import test_faults_catalog_races as catalog_races
from tests.reference import test_faults_contract_rules as contract
from tests.reference import test_faults_event_rules as events
from tests.reference import test_faults_lifecycle_rules as lifecycle
from tests.reference.conftest import (
    TOKEN_A,
    TOKEN_B,
    ServerFactory,
    client_for,
    created,
    make_customer,
    make_location,
)
from tests.reference.test_webhooks import Receiver, receiver, subscribe, verify  # noqa: F401 - fixture

Probe = Callable[[httpx.Client], bool]  # True = the faulty behaviour is observed


def _booking_without_public_id(c: httpx.Client) -> bool:
    booking_id = c.post("/_testing/states", json={"state": "deposit-booking", "params": {}}).json()["ids"][
        "bookingId"
    ]
    return "publicId" not in c.get(f"/bookings/{booking_id}").json()


def _malformed_created_at(c: httpx.Client) -> bool:
    return " " in c.post("/customers", json={"name": "M", "phone": "+1"}).json()["createdAt"]


def _undocumented_status(c: httpx.Client) -> bool:
    return c.post("/customers", json={"name": "U", "phone": "+1"}).status_code == 200


def _missing_location(c: httpx.Client) -> bool:
    return "location" not in c.post("/customers", json={"name": "L", "phone": "+1"}).headers


def _plain_text_404(c: httpx.Client) -> bool:
    return c.get(f"/customers/{uuid.uuid4()}").headers["content-type"].startswith("text/plain")


def _conflict(c: httpx.Client) -> httpx.Response:
    customer = make_customer(c)
    return c.post("/customers", json={"name": "Dup", "email": customer["email"]})


def _status_mismatch(c: httpx.Client) -> bool:
    response = _conflict(c)
    return bool(response.status_code == 409 and response.json()["status"] != 409)


def _stack_trace(c: httpx.Client) -> bool:
    return "Traceback" in (_conflict(c).json().get("detail") or "")


def _accepts_invalid(c: httpx.Client) -> bool:
    return c.post("/customers", json={"name": "x" * 201, "phone": "+1"}).status_code == 201


def _invalid_input_conflict(c: httpx.Client) -> bool:
    answer = c.post("/locations", json={"name": 7, "timeZone": "UTC"})
    return answer.status_code == 409 and answer.json().get("code") == "duplicate_name"


def _server_error(c: httpx.Client) -> bool:
    return c.get("/customers?search=100%25").status_code == 500


def _auth_bypass(c: httpx.Client) -> bool:
    with client_for(str(c.base_url), "made-up-token", check_contract=False) as stranger:
        return stranger.get("/tenant").status_code == 200


def _tenant_leak(c: httpx.Client) -> bool:
    customer = make_customer(c)
    with client_for(str(c.base_url), TOKEN_B, check_contract=False) as other:
        return other.get(f"/customers/{customer['id']}").status_code == 200


def _pagination_overlap(c: httpx.Client) -> bool:
    tag = uuid.uuid4().hex[:8]
    for i in range(4):
        make_customer(c, name=f"{tag} {i}")
    pages = [c.get(f"/customers?search={tag}&pageSize=2&page={p}").json()["items"] for p in (1, 2)]
    ids = [item["id"] for page in pages for item in page]
    return len(set(ids)) < len(ids)


def _delete_not_effective(c: httpx.Client) -> bool:
    customer = make_customer(c)
    note = c.post(f"/customers/{customer['id']}/notes", json={"body": "n"}).json()
    assert c.delete(f"/customers/{customer['id']}/notes/{note['id']}").status_code == 204
    return c.get(f"/customers/{customer['id']}/notes").json()["totalCount"] == 1


def _patch_null_clears(c: httpx.Client) -> bool:
    customer = make_customer(c, phone="+4930")
    return c.patch(f"/customers/{customer['id']}", json={"phone": None}).json()["phone"] is None


def _secret_leak(c: httpx.Client) -> bool:
    c.post("/webhooks", json={"url": "https://example.com/h", "eventTypes": ["webhook.test"]})
    return any("secret" in w for w in c.get("/webhooks").json()["items"])


def _missing_retry_after(c: httpx.Client) -> bool:
    limited = [r for r in (c.get("/tenant") for _ in range(30)) if r.status_code == 429]
    assert limited, "rate limit never hit"
    return "retry-after" not in limited[0].headers


def _other_tenant(c: httpx.Client) -> httpx.Client:
    return client_for(str(c.base_url), TOKEN_B, check_contract=False)


def _staff_foreign_location(c: httpx.Client) -> bool:
    location = make_location(c)
    with _other_tenant(c) as other:
        body = {"name": "Foreign", "businessLocationIds": [location["id"]]}
        return other.post("/staff", json=body).status_code == 201


def _locations_of_all_tenants(c: httpx.Client) -> bool:
    location = make_location(c)
    with _other_tenant(c) as other:
        listed = other.get("/locations", params={"pageSize": 100}).json()["items"]
    return any(item["id"] == location["id"] for item in listed)


def _page_size_clamped(c: httpx.Client) -> bool:
    return c.get("/customers", params={"pageSize": 101}).status_code == 200


def _tagged_customers(c: httpx.Client, count: int) -> str:
    tag = uuid.uuid4().hex[:8]
    for i in range(count):
        make_customer(c, name=f"{tag} {i}")
    return tag


def _page_past_end_repeats(c: httpx.Client) -> bool:
    tag = _tagged_customers(c, 2)
    return bool(c.get("/customers", params={"search": tag, "pageSize": 1, "page": 3}).json()["items"])


def _total_count_drifts(c: httpx.Client) -> bool:
    tag = _tagged_customers(c, 2)
    pages = [c.get("/customers", params={"search": tag, "pageSize": 1, "page": p}).json() for p in (1, 2)]
    return bool(pages[0]["totalCount"] != pages[1]["totalCount"])


def _second_delete_succeeds(c: httpx.Client) -> bool:
    path = f"/resource-types/{created(c.post('/resource-types', json={'name': uuid.uuid4().hex}))['id']}"
    assert c.delete(path).status_code == 204
    return c.delete(path).status_code == 204


def _delete_in_use_allowed(c: httpx.Client) -> bool:
    type_id = created(c.post("/resource-types", json={"name": uuid.uuid4().hex}))["id"]
    unit = {"name": "Room", "resourceTypeId": type_id, "businessLocationId": make_location(c)["id"]}
    created(c.post("/resources", json=unit))
    return c.delete(f"/resource-types/{type_id}").status_code == 204


def _unknown_property_rejected(c: httpx.Client) -> bool:
    body = {"name": uuid.uuid4().hex, "timeZone": "UTC", "unknownProperty": 1}
    return c.post("/locations", json=body).status_code == 400


def _created_body_differs(c: httpx.Client) -> bool:
    response = c.post("/locations", json={"name": uuid.uuid4().hex, "timeZone": "UTC"})
    return bool(c.get(response.headers["location"]).json() != response.json())


def _some_availability_query_hangs(c: httpx.Client) -> bool:
    try:
        for _ in range(7):
            c.get("/availability", timeout=1.0)
    except httpx.ReadTimeout:
        return True
    return False


def _some_json_body_is_cut(c: httpx.Client) -> bool:
    for _ in range(15):
        try:
            c.get("/locations").json()
        except ValueError:
            return True
    return False


def _some_answer_is_a_gateway_page(c: httpx.Client) -> bool:
    answers = [c.get("/locations") for _ in range(20)]
    return any(a.status_code == 502 and a.headers["content-type"].startswith("text/html") for a in answers)


def _customer_filter_ignored(c: httpx.Client) -> bool:
    """Two customers' bookings; listing the first customer's shows the second's too."""
    state = {"state": "deposit-booking", "params": {}}
    ids = [c.post("/_testing/states", json=state).json()["ids"] for _ in "ab"]
    listed = c.get("/bookings", params={"customerId": ids[0]["customerId"], "pageSize": 100}).json()["items"]
    return any(item["id"] == ids[1]["bookingId"] for item in listed)


PROBES: dict[str, Probe] = {
    "hang-every-n": _some_availability_query_hangs,
    "truncate-every-n": _some_json_body_is_cut,
    "gateway-page-every-n": _some_answer_is_a_gateway_page,
    "booking-missing-public-id": _booking_without_public_id,
    "malformed-created-at": _malformed_created_at,
    "undocumented-status": _undocumented_status,
    "missing-location-header": _missing_location,
    "plain-text-errors": _plain_text_404,
    "problem-status-mismatch": _status_mismatch,
    "stack-trace-in-detail": _stack_trace,
    "accepts-invalid-input": _accepts_invalid,
    "invalid-input-conflict": _invalid_input_conflict,
    "server-error-on-edge": _server_error,
    "auth-bypass": _auth_bypass,
    "tenant-leak": _tenant_leak,
    "pagination-overlap": _pagination_overlap,
    "delete-not-effective": _delete_not_effective,
    "patch-null-clears": _patch_null_clears,
    "webhook-secret-leak": _secret_leak,
    "missing-retry-after": _missing_retry_after,
    "staff-foreign-location": _staff_foreign_location,
    "locations-of-all-tenants": _locations_of_all_tenants,
    "page-size-clamped": _page_size_clamped,
    "page-past-end-repeats": _page_past_end_repeats,
    "total-count-drifts": _total_count_drifts,
    "second-delete-succeeds": _second_delete_succeeds,
    "delete-in-use-allowed": _delete_in_use_allowed,
    "unknown-property-rejected": _unknown_property_rejected,
    "created-body-differs": _created_body_differs,
    "list-filter-ignored": _customer_filter_ignored,
}
RATE_LIMITED = {"missing-retry-after"}
# Every probe of the registry, in one place: the section modules keep their probes next to their helpers.
SECTION_PROBES: dict[str, Probe] = {
    **booking.PROBES,
    **lifecycle.PROBES,
    **events.PROBES,
    **catalog_races.PROBES,
}
ALL_PROBES: dict[str, Probe] = {**PROBES, **SECTION_PROBES}
RECEIVER_PROBES = contract.PROBES  # these also take the loopback receiver


def _observe(name: str, client: httpx.Client, loopback: Receiver) -> bool:
    return RECEIVER_PROBES[name](client, loopback) if name in RECEIVER_PROBES else ALL_PROBES[name](client)


def test_registry_names_requirements_and_descriptions() -> None:
    names = [f.name for f in FAULTS]
    assert len(names) == len(set(names)) >= 20
    assert all(f.requirement and f.description for f in FAULTS)
    probed = set(ALL_PROBES) | set(RECEIVER_PROBES) | {"webhook-bad-signature"}
    assert probed <= set(names), f"probes of no fault: {sorted(probed - set(names))}"


@pytest.mark.parametrize("name", sorted({*ALL_PROBES, *RECEIVER_PROBES}))
def test_fault_changes_behaviour(core_server: ServerFactory, receiver: Receiver, name: str) -> None:  # noqa: F811
    rate = "10/s" if name in RATE_LIMITED else None
    with client_for(core_server(name, rate_limit=rate), TOKEN_A, check_contract=False) as faulty:
        assert _observe(name, faulty, receiver), f"fault {name} had no visible effect"


@pytest.mark.parametrize("name", sorted({*ALL_PROBES, *RECEIVER_PROBES}))
def test_clean_server_does_not_show_fault(core_server: ServerFactory, receiver: Receiver, name: str) -> None:  # noqa: F811
    rate = "10/s" if name in RATE_LIMITED else None
    with client_for(core_server(rate_limit=rate), TOKEN_A) as clean:
        assert not _observe(name, clean, receiver), f"clean server behaves like fault {name}"


@pytest.mark.parametrize("faulty", [False, True])
def test_webhook_bad_signature(core_server: ServerFactory, receiver: Receiver, faulty: bool) -> None:  # noqa: F811
    url = core_server("webhook-bad-signature") if faulty else core_server()
    with client_for(url, check_contract=False) as c:
        hook = subscribe(c, receiver.url, "webhook.test")
        c.post(f"/webhooks/{hook['id']}/test")
    headers, body = receiver.received[-1]
    if faulty:
        with pytest.raises(Exception, match="signature"):
            verify(hook["secret"], headers, body)
    else:
        verify(hook["secret"], headers, body)

"""Framework behaviour: routing, auth, validation, precedence, errors (§8 #13–#16, #21–#22)."""

from __future__ import annotations

import re
import uuid

import httpx

from tests.reference.conftest import (
    ServerFactory,
    assert_field_error,
    assert_problem,
    client_for,
    make_customer,
)

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def test_missing_or_unknown_token_is_401_problem_with_challenge(core_server: ServerFactory) -> None:
    for token in (None, "not-a-known-token"):
        with client_for(core_server(), token) as anonymous:
            response = anonymous.get("/tenant")
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


def test_tenant_is_bound_to_token(client: httpx.Client, client_b: httpx.Client) -> None:
    a, b = client.get("/tenant").json(), client_b.get("/tenant").json()
    assert (a["name"], b["name"]) == ("Demo Salon A", "Demo Salon B")
    assert TIMESTAMP.match(a["createdAt"])


def test_unknown_path_is_404_problem(client: httpx.Client) -> None:
    assert_problem(client.get("/no-such-thing"), 404, "not_found")
    assert_problem(client.get("/customers/"), 404, "not_found")
    assert_problem(client.get("/customers/%0A"), 400)  # a (malformed) id, not an unknown path


def test_undocumented_method_is_405_problem_with_allow(client: httpx.Client) -> None:
    response = client.delete("/tenant")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"


def test_literal_segment_beats_template(client: httpx.Client) -> None:
    assert client.get("/webhooks/event-types").status_code == 200
    response = client.delete("/webhooks/event-types")  # not deleteWebhook with webhookId="event-types"
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"


def test_precedence_405_before_401_before_400(core_server: ServerFactory) -> None:
    with client_for(core_server(), None) as anonymous:
        assert anonymous.put("/tenant").status_code == 405
        assert anonymous.get("/customers?pageSize=0").status_code == 401


def test_precedence_schema_400_before_entity_404(client: httpx.Client) -> None:
    unknown = str(uuid.uuid4())
    assert_field_error(client.patch(f"/customers/{unknown}", json={"name": ""}), "name")
    assert_problem(client.patch(f"/customers/{unknown}", json={"name": "ok"}), 404, "not_found")


def test_malformed_path_uuid_is_400_naming_parameter(client: httpx.Client) -> None:
    assert_field_error(client.get("/customers/not-a-uuid"), "customerId")


def test_path_uuid_accepted_in_any_case(client: httpx.Client) -> None:
    customer = make_customer(client)
    response = client.get(f"/customers/{customer['id'].upper()}")
    assert response.status_code == 200
    assert response.json()["id"] == customer["id"]


def test_validation_errors_use_camel_case_paths(client: httpx.Client) -> None:
    assert_field_error(client.get("/customers?pageSize=101"), "pageSize")
    assert_field_error(client.post("/customers", content=b"{not json"), "body")
    assert_field_error(client.post("/customers", json={"email": "x@example.com"}), "name")
    hours = {"entries": [{"dayOfWeek": 1, "opensAt": "9:00", "closesAt": "17:00:00"}]}
    location = client.post("/locations", json={"name": str(uuid.uuid4()), "timeZone": "UTC"}).json()
    assert_field_error(
        client.put(f"/locations/{location['id']}/business-hours", json=hours), "entries[0].opensAt"
    )


def test_body_is_json_whatever_content_type(client: httpx.Client) -> None:
    response = client.post(
        "/customers", content=b'{"name": "Plain", "phone": "+491"}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 201


def test_integral_float_accepted_string_integer_rejected(client: httpx.Client) -> None:
    assert client.get("/customers?pageSize=25.0").json()["pageSize"] == 25
    body = {
        "name": "R",
        "durationMinutes": "30",
        "priceCents": 100,
        "businessLocationIds": [str(uuid.uuid4())],
    }
    assert_field_error(client.post("/reservables", json=body), "durationMinutes")


def test_query_booleans_are_exactly_true_false(client: httpx.Client) -> None:
    assert client.get("/locations?isActive=true").status_code == 200
    assert_field_error(client.get("/locations?isActive=yes"), "isActive")


def test_date_time_outside_year_range_is_400(client: httpx.Client) -> None:
    staff = client.post("/staff", json={"name": "Far"}).json()
    block = {"startsAt": "9999-12-31T23:00:00-05:00", "endsAt": "9999-12-31T23:30:00-05:00"}
    assert_field_error(client.post(f"/staff/{staff['id']}/blocks", json=block), "startsAt")


def test_unknown_properties_are_ignored(client: httpx.Client) -> None:
    response = client.post("/customers", json={"name": "Extra", "phone": "+1", "favouriteColour": "teal"})
    assert response.status_code == 201
    assert "favouriteColour" not in response.json()


def test_pagination_page_past_end_and_totals(client: httpx.Client) -> None:
    search = uuid.uuid4().hex[:10]
    ids = {make_customer(client, name=f"P {search} {i}")["id"] for i in range(5)}
    pages = [client.get(f"/customers?search={search}&pageSize=2&page={p}").json() for p in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    assert {p["totalCount"] for p in pages} == {5}
    assert {item["id"] for p in pages for item in p["items"]} == ids


def test_rate_limit_answers_429_with_integer_retry_after(core_server: ServerFactory) -> None:
    with client_for(core_server(rate_limit="3/s")) as limited:
        statuses = [limited.get("/tenant") for _ in range(6)]
    too_many = [r for r in statuses if r.status_code == 429]
    assert too_many, [r.status_code for r in statuses]
    assert_problem(too_many[0], 429)
    assert int(too_many[0].headers["retry-after"]) >= 1


def test_testing_api_is_404_when_disabled() -> None:
    from caldasa_reference.server import serve_in_thread
    from caldasa_reference.services import ServerConfig

    with serve_in_thread(ServerConfig()) as url, client_for(url) as c:
        assert_problem(c.get("/_testing/states"), 404)


def test_testing_api_requires_auth_and_lists_states(core_server: ServerFactory, client: httpx.Client) -> None:
    with client_for(core_server(), None) as anonymous:
        assert anonymous.get("/_testing/states").status_code == 401
    states = client.get("/_testing/states").json()["states"]
    assert {"form-templates", "signed-form", "expired-download-url", "pending-review"} <= set(states)
    assert_field_error(client.post("/_testing/states", json={"state": "no-such-state"}), "state")

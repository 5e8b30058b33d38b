"""Customers, notes, messages and activities (K1–K4, §8 #56–#59), plus tenant isolation (T1)."""

from __future__ import annotations

import uuid

import httpx

from tests.reference.conftest import assert_field_error, assert_problem, created, make_customer


def test_create_get_equal_and_defaults(client: httpx.Client) -> None:
    customer = make_customer(client)
    assert (customer["optInEmail"], customer["optInSms"], customer["updatedAt"]) == (False, False, None)
    assert client.get(f"/customers/{customer['id']}").json() == customer


def test_customer_needs_email_or_phone(client: httpx.Client) -> None:
    body = assert_problem(client.post("/customers", json={"name": "Nobody"}), 400)
    assert {"email", "phone"} & set(body["errors"])


def test_duplicate_email_case_insensitive_is_409(client: httpx.Client) -> None:
    customer = make_customer(client)
    response = client.post("/customers", json={"name": "Dup", "email": customer["email"].upper()})
    assert_problem(response, 409, "duplicate_email")
    other = make_customer(client)
    patch = client.patch(f"/customers/{other['id']}", json={"email": customer["email"]})
    assert_problem(patch, 409, "duplicate_email")


def test_patch_null_or_omitted_leaves_fields_unchanged(client: httpx.Client) -> None:
    customer = make_customer(client, phone="+4930111")
    response = client.patch(f"/customers/{customer['id']}", json={"email": None, "phone": None})
    assert response.json() == customer
    assert client.patch(f"/customers/{customer['id']}", json={}).json()["updatedAt"] is None
    changed = client.patch(f"/customers/{customer['id']}", json={"optInSms": True}).json()
    assert changed["optInSms"] is True
    assert changed["email"] == customer["email"]
    assert changed["updatedAt"] is not None
    assert changed["updatedAt"] >= changed["createdAt"]


def test_search_and_newest_first(client: httpx.Client) -> None:
    tag = uuid.uuid4().hex[:8]
    first, second = make_customer(client, name=f"{tag} one"), make_customer(client, name=f"{tag} TWO")
    items = client.get(f"/customers?search={tag.upper()}").json()["items"]
    assert [c["id"] for c in items] == [second["id"], first["id"]]
    assert client.get(f"/customers?search={tag}%25").json()["items"] == []


def test_notes_lifecycle(client: httpx.Client) -> None:
    customer = make_customer(client)
    base = f"/customers/{customer['id']}/notes"
    note = created(client.post(base, json={"body": "Prefers mornings"}))
    assert client.post(base, json={"body": ""}).status_code == 400
    assert note["authorName"] == "API"
    assert note["updatedAt"] is None
    edited = client.patch(f"{base}/{note['id']}", json={"body": "Prefers evenings"}).json()
    assert edited["body"] == "Prefers evenings"
    assert edited["updatedAt"] is not None
    assert client.get(base).json()["items"][0]["id"] == note["id"]
    other = make_customer(client)
    assert_problem(client.patch(f"/customers/{other['id']}/notes/{note['id']}", json={"body": "x"}), 404)
    assert client.delete(f"{base}/{note['id']}").status_code == 204
    assert_problem(client.delete(f"{base}/{note['id']}"), 404, "not_found")
    assert_problem(client.patch(f"{base}/{note['id']}", json={"body": "x"}), 404, "not_found")
    kinds = [a["kind"] for a in client.get(f"/customers/{customer['id']}/activities").json()["items"]]
    assert kinds == ["NoteCreated"]  # deleting keeps the entry (§8 #58)


def test_send_message_email_and_sms_rules(client: httpx.Client) -> None:
    customer = make_customer(client)
    base = f"/customers/{customer['id']}/messages"
    response = client.post(base, json={"channel": "Email", "body": "Hello"})
    assert response.status_code == 202
    result = response.json()
    assert (result["status"], result["recipient"], result["channel"]) == (
        "Queued",
        customer["email"],
        "Email",
    )
    assert_problem(client.post(base, json={"channel": "Sms", "body": "Hi"}), 409, "no_phone")
    client.patch(f"/customers/{customer['id']}", json={"phone": "+4917000"})
    assert_problem(client.post(base, json={"channel": "Sms", "body": "Hi"}), 409, "sms_not_permitted")
    phone_only = make_customer(client, email=None, phone="+4917001")
    no_email = client.post(f"/customers/{phone_only['id']}/messages", json={"channel": "Email", "body": "x"})
    assert_problem(no_email, 409, "no_email")
    bad_booking = {"channel": "Email", "body": "x", "bookingId": str(uuid.uuid4())}
    assert_field_error(client.post(base, json=bad_booking), "bookingId")
    activities = client.get(f"/customers/{customer['id']}/activities").json()["items"]
    assert [(a["kind"], a["messageId"], a["messageChannel"]) for a in activities] == [
        ("MessageSent", result["messageId"], "Email")
    ]
    outbox = client.get(f"/_testing/outbox?customerId={customer['id']}").json()["items"]
    assert [(o["template"], o["subject"]) for o in outbox] == [
        ("CustomerMessage", "Message from Demo Salon A")
    ]


def test_activities_limit_and_kind_filter(client: httpx.Client) -> None:
    customer = make_customer(client)
    for i in range(3):
        client.post(f"/customers/{customer['id']}/notes", json={"body": f"n{i}"})
    client.post(f"/customers/{customer['id']}/messages", json={"channel": "Email", "body": "x"})
    base = f"/customers/{customer['id']}/activities"
    assert len(client.get(f"{base}?limit=2").json()["items"]) == 2
    assert {a["kind"] for a in client.get(f"{base}?kind=MessageSent").json()["items"]} == {"MessageSent"}
    everything = client.get(base).json()["items"]
    assert [a["occurredAt"] for a in everything] == sorted(
        (a["occurredAt"] for a in everything), reverse=True
    )


def test_customers_are_tenant_isolated(client: httpx.Client, client_b: httpx.Client) -> None:
    customer = make_customer(client)
    assert_problem(client_b.get(f"/customers/{customer['id']}"), 404, "not_found")
    assert_problem(client_b.patch(f"/customers/{customer['id']}", json={"name": "x"}), 404)
    assert_problem(client_b.get(f"/customers/{customer['id']}/notes"), 404)
    assert client_b.get(f"/customers?search={customer['email']}").json()["totalCount"] == 0
    # the same email is free in the other tenant
    assert client_b.post("/customers", json={"name": "B", "email": customer["email"]}).status_code == 201

"""Form templates, signed forms with time-limited PDF URLs (K5, §8 #55) and review moderation (K6, §8 #52)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.reference.conftest import assert_field_error, assert_problem


def state(client: httpx.Client, name: str, **params: Any) -> dict[str, Any]:
    response = client.post("/_testing/states", json={"state": name, "params": params})
    assert response.status_code == 200, response.text
    assert response.json()["state"] == name
    ids: dict[str, Any] = response.json()["ids"]
    return ids


@pytest.fixture
def booking_id(client: httpx.Client) -> str:
    """A booking made through the booking domain's `deposit-booking` provider state."""
    return str(state(client, "deposit-booking")["bookingId"])


def test_form_templates_state_is_idempotent(client: httpx.Client) -> None:
    first, second = state(client, "form-templates"), state(client, "form-templates")
    assert first == second
    templates = client.get("/form-templates").json()["items"]
    assert {t["id"] for t in templates} >= {first["waiverTemplateId"], first["intakeTemplateId"]}
    waivers = client.get("/form-templates?kind=Waiver").json()["items"]
    assert {t["kind"] for t in waivers} == {"Waiver"}
    template = client.get(f"/form-templates/{first['intakeTemplateId']}").json()
    assert template["kind"] == "Intake"
    assert template["version"] == 1
    assert template["fields"]
    assert_problem(client.get(f"/form-templates/{uuid.uuid4()}"), 404, "not_found")


def test_signed_form_listed_and_downloadable_without_auth(client: httpx.Client, booking_id: str) -> None:
    ids = state(client, "signed-form", bookingId=booking_id, signerName="Alex")
    forms = client.get(f"/bookings/{booking_id}/signed-forms").json()["items"]
    assert [(f["id"], f["signerName"], f["kind"]) for f in forms] == [(ids["signedFormId"], "Alex", "Waiver")]
    response = client.get(f"/bookings/{booking_id}/signed-forms/{ids['signedFormId']}/download-url")
    assert response.headers["cache-control"] == "no-store"
    download = response.json()
    expires = dt.datetime.fromisoformat(download["expiresAt"].replace("Z", "+00:00"))
    now = dt.datetime.now(dt.timezone.utc)
    assert now < expires <= now + dt.timedelta(minutes=15)
    assert urlsplit(download["url"]).netloc == urlsplit(str(client.base_url)).netloc
    pdf = httpx.get(download["url"], trust_env=False)  # no Authorization header
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert download["fileName"].endswith(".pdf")
    tampered = download["url"].replace("signature=", "signature=0")
    assert not httpx.get(tampered, trust_env=False).is_success
    activities = client.get(f"/customers/{ids['customerId']}/activities?kind=FormSigned").json()["items"]
    assert [a["bookingId"] for a in activities] == [booking_id]


def test_expired_download_url_is_refused(client: httpx.Client, booking_id: str) -> None:
    form = state(client, "signed-form", bookingId=booking_id, kind="Intake")
    expired = state(client, "expired-download-url", bookingId=booking_id, signedFormId=form["signedFormId"])
    assert not httpx.get(expired["url"], trust_env=False).is_success


def test_signed_form_of_another_booking_is_404(client: httpx.Client, booking_id: str) -> None:
    form = state(client, "signed-form", bookingId=booking_id)
    other = state(client, "deposit-booking")["bookingId"]
    response = client.get(f"/bookings/{other}/signed-forms/{form['signedFormId']}/download-url")
    assert_problem(response, 404, "not_found")
    assert_problem(client.get(f"/bookings/{uuid.uuid4()}/signed-forms"), 404)


def test_signed_form_state_validates_params(client: httpx.Client) -> None:
    assert_field_error(
        client.post("/_testing/states", json={"state": "signed-form", "params": {}}), "params.bookingId"
    )


def test_review_moderation(client: httpx.Client, booking_id: str) -> None:
    ids = state(client, "pending-review", bookingId=booking_id, rating=5, comment="Great")
    assert ids["bookingId"] == booking_id
    assert ids["staffMemberId"]
    assert ids["businessLocationId"]
    pending = client.get("/reviews?status=Pending&minRating=5").json()["items"]
    assert ids["reviewId"] in {r["id"] for r in pending}
    url = f"/reviews/{ids['reviewId']}/moderate"
    approved = client.post(url, json={"status": "Approved", "reason": "fine"}).json()
    assert (approved["status"], approved["moderationReason"]) == ("Approved", "fine")
    assert approved["moderatedAt"]
    again = client.post(url, json={"status": "Approved"}).json()  # same-status re-moderation → 200
    assert again["status"] == "Approved"
    assert again["moderationReason"] is None
    assert client.post(url, json={"status": "Rejected"}).json()["status"] == "Rejected"
    assert_field_error(client.post(url, json={"status": "Pending"}), "status")
    assert_problem(client.post(f"/reviews/{uuid.uuid4()}/moderate", json={"status": "Approved"}), 404)
    kinds = {a["kind"] for a in client.get(f"/customers/{ids['customerId']}/activities").json()["items"]}
    assert "ReviewSubmitted" in kinds


def test_review_without_booking_and_filters(client: httpx.Client) -> None:
    ids = state(client, "pending-review", rating=2)
    assert ids["bookingId"] is None
    assert ids["customerId"]
    low = {r["id"] for r in client.get("/reviews?maxRating=2&pageSize=100").json()["items"]}
    assert ids["reviewId"] in low
    assert client.get("/reviews?minRating=4&maxRating=2").json()["items"] == []

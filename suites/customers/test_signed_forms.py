"""Signed-form download URLs: short-lived, usable without the token, scoped to their booking (K5)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from caldasa_conformance.states import require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer, require
from caldasa_conformance.workflows.timeutil import now, parse

MAX_LIFETIME = timedelta(minutes=15)
CLOCK_SKEW = timedelta(seconds=120)  # design §8 #68


@pytest.mark.customers
@pytest.mark.req("K5")
@pytest.mark.operation("getSignedFormDownloadUrl", "listSignedForms")
def test_download_url_is_short_lived_public_and_scoped(api: httpx.Client) -> None:
    """Test Purpose: a signed form's PDF link works without credentials, briefly, and only for its booking.

    Test Method: take a booking (provider state `deposit-booking`) with a signed form (`signed-form`); the
    download URL must expire within 15 minutes, serve a PDF without the bearer token, and the form must be
    unreachable under another booking's path (404).
    """
    booking = require_state("deposit-booking", depositCents=1000)
    other = require_state("deposit-booking", depositCents=1000)
    form = require_state("signed-form", bookingId=booking["bookingId"])
    response = ops.get_signed_form_download_url(api, booking["bookingId"], form["signedFormId"])
    download = check_answer(response, Expect(200, "K5"), "getSignedFormDownloadUrl")
    lifetime = parse(download["expiresAt"]) - now()
    require(
        timedelta(0) < lifetime <= MAX_LIFETIME + CLOCK_SKEW,
        "K5",
        "The download URL does not expire soon",
        download["expiresAt"],
        "within 15 minutes from now",
        "getSignedFormDownloadUrl",
    )
    with httpx.Client(timeout=api.timeout) as anonymous:
        pdf = anonymous.get(httpx.URL(str(api.base_url)).join(download["url"]))
    require(
        pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"),
        "K5",
        "The download URL does not serve the PDF without credentials",
        pdf.status_code,
        "200 and a %PDF- body",
        "getSignedFormDownloadUrl",
    )
    foreign = ops.get_signed_form_download_url(api, other["bookingId"], form["signedFormId"])
    check_answer(
        foreign, Expect(404, "K5", why="the form belongs to another booking"), "getSignedFormDownloadUrl"
    )

"""Signed-form download URLs: short-lived, usable without the token, scoped to their booking (K5)."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance.oracles.customers import signed_form_download
from caldasa_conformance.states import require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.target import Target
from caldasa_conformance.workflows.timeutil import now


@pytest.mark.customers
@pytest.mark.req("K5")
@pytest.mark.operation("getSignedFormDownloadUrl", "listSignedForms")
def test_download_url_is_short_lived_public_and_scoped(api: httpx.Client, workflow_target: Target) -> None:
    """Test Purpose: a signed form's PDF link works without credentials, briefly, and only for its booking.

    Test Method: take a booking (provider state `deposit-booking`) with a signed form (`signed-form`); the
    download URL must expire within 15 minutes, serve a PDF without the bearer token, and the form must be
    unreachable under another booking's path (404).
    """
    booking = require_state("deposit-booking", workflow_target.states, depositCents=1000)
    other = require_state("deposit-booking", workflow_target.states, depositCents=1000)
    form = require_state("signed-form", workflow_target.states, bookingId=booking["bookingId"])
    response = ops.get_signed_form_download_url(api, booking["bookingId"], form["signedFormId"])
    download = check_answer(response, Expect(200, "K5"), "getSignedFormDownloadUrl")
    signed_form_download(download=download, now=now())
    with httpx.Client(timeout=api.timeout) as anonymous:
        pdf = anonymous.get(httpx.URL(str(api.base_url)).join(download["url"]))
    signed_form_download(pdf=pdf)
    foreign = ops.get_signed_form_download_url(api, other["bookingId"], form["signedFormId"])
    check_answer(
        foreign, Expect(404, "K5", why="the form belongs to another booking"), "getSignedFormDownloadUrl"
    )

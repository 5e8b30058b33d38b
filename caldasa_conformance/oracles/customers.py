"""Oracles of the class `customers`: one judge per rule, K1 and K3–K6.

Each function evaluates its rule on what the target answered and what the caller expects (the customers
machine's model or a fixed scenario), records the requirement as held when it holds (`checks.require`) and
raises a `DomainViolation` naming it when it does not. The keyword arguments are the facets of a rule a caller
has observed; a facet left out is not judged. The customers and catalog machines and the fixed tests of
`suites/customers` call these same functions.

K2 has no judge here: a duplicate email is a predicted answer (`Expect(409, "K2", "duplicate_email")`) that
`check_answer` judges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import httpx

from caldasa_conformance import policy
from caldasa_conformance.workflows.checks import require, violation
from caldasa_conformance.workflows.timeutil import parse

Json = Mapping[str, Any]
CUSTOMER_FIELDS = ("name", "email", "phone", "optInEmail", "optInSms")
QUEUED_STATUSES = ("Queued", "Sent")  # the contract's enum: the message is accepted for sending
QUEUED_POLICY = "the 202 answer says Queued, not Sent (design §8 #56)"  # requirements.yaml K4
_NOTES, _TIMELINE = "listCustomerNotes", "listCustomerActivities"
SIGNED_URL_LIFETIME = timedelta(minutes=15)
CLOCK_SKEW = timedelta(seconds=120)  # design §8 #68


def patch_keeps_unsent_fields(dto: Json, wanted: Json, operation_id: str) -> None:
    """K1: after a PATCH, fields sent as null or omitted keep their values.

    Args:
        dto: the entity as the target shows it (the PATCH answer or a later GET).
        wanted: field → the value it must have (the values sent, else the earlier ones).
        operation_id: the operation that showed `dto`.
    """
    seen = {name: dto.get(name) for name in wanted}
    require(
        seen == wanted,
        "K1",
        "A PATCH changed a field sent as null or omitted",
        seen,
        dict(wanted),
        operation_id,
    )


def note_lifecycle(
    *,
    listed: Sequence[Any] | None = None,
    notes: Iterable[str] | None = None,
    newest: str | None = None,
    edited: Json | None = None,
    body: str | None = None,
    activities: Mapping[str, int] | None = None,
    created: int = 0,
) -> None:
    """K3: notes are listed (newest first) and on the timeline; an edit sets the new body and updatedAt.

    Args:
        listed: the ids listCustomerNotes shows, which must be the live `notes` and/or start with `newest`.
        edited: updateCustomerNote's answer, which must carry `body` and an updatedAt.
        activities: activity kind → count on the customer's timeline, with `created` NoteCreated entries.
    """
    if listed is not None and notes is not None:
        modelled = list(notes)
        seen = list(listed)
        require(sorted(seen) == sorted(modelled), "K3", "Notes differ from the model", seen, modelled, _NOTES)
    if listed is not None and newest is not None:
        seen = list(listed)
        require(seen[:1] == [newest], "K3", "The newest note is not listed first", seen, newest, _NOTES)
    if edited is not None:
        shown = {"body": edited.get("body"), "updatedAt set": edited.get("updatedAt") is not None}
        wanted = {"body": body, "updatedAt set": True}
        title = "An edited note lacks its new body or updatedAt"
        require(shown == wanted, "K3", title, shown, wanted, "updateCustomerNote")
    if activities is not None:
        counted = activities.get("NoteCreated", 0)
        title = "The timeline has the wrong number of NoteCreated entries"
        require(counted == created, "K3", title, dict(activities), f"{created} NoteCreated", _TIMELINE)


def message_needs_address_and_consent(
    *,
    result: Json | None = None,
    recipient: str | None = None,
    statuses: Sequence[str] = QUEUED_STATUSES,
    activities: Mapping[str, int] | None = None,
    sent: int = 0,
) -> None:
    """K4: a message is accepted (Queued) to the customer's own address and adds a MessageSent activity.

    Args:
        result: sendCustomerMessage's 202 answer: one of `statuses`, to `recipient`.
        activities: activity kind → count on the customer's timeline, with `sent` MessageSent entries.
    """
    if result is not None:
        shown = {"status": result.get("status"), "recipient": result.get("recipient")}
        require(
            shown["status"] in statuses and shown["recipient"] == recipient,
            "K4",
            "The message result is not queued to the customer's address",
            shown,
            {"status": " or ".join(statuses), "recipient": recipient},
            "sendCustomerMessage",
        )
        _queued_as_the_reference(shown["status"])
    if activities is not None:
        counted = activities.get("MessageSent", 0)
        title = "The timeline does not show exactly the messages sent"
        require(counted == sent, "K4", title, dict(activities), f"{sent} MessageSent", _TIMELINE)


def _queued_as_the_reference(status: object) -> None:
    """K4's reference policy: the reference answers Queued; the contract also allows Sent."""

    def fail() -> None:
        title = "The message result says Sent where the reference answers Queued"
        raise violation("K4", title, status, "Queued", "sendCustomerMessage")

    policy.judge(status == "Queued", "K4", QUEUED_POLICY, fail)


def signed_form_download(
    *, download: Json | None = None, now: datetime | None = None, pdf: httpx.Response | None = None
) -> None:
    """K5: a signed form's download URL expires within 15 minutes and serves the PDF without credentials.

    Args:
        download: getSignedFormDownloadUrl's answer; with `now`, its expiresAt must be soon.
        pdf: the answer to fetching its `url` without a token.
    """
    if download is not None and now is not None:
        lifetime = parse(download["expiresAt"]) - now
        require(
            timedelta(0) < lifetime <= SIGNED_URL_LIFETIME + CLOCK_SKEW,
            "K5",
            "The download URL does not expire soon",
            download["expiresAt"],
            "within 15 minutes from now",
            "getSignedFormDownloadUrl",
        )
    if pdf is not None:
        require(
            pdf.status_code == 200 and pdf.content.startswith(b"%PDF-"),
            "K5",
            "The download URL does not serve the PDF without credentials",
            pdf.status_code,
            "200 and a %PDF- body",
            "getSignedFormDownloadUrl",
        )


def moderation_sets_status(review: Json | None, operation_id: str, *, status: str | None = None) -> None:
    """K6: a moderated review has the `status` it was given (if judged) and a moderatedAt.

    Args:
        review: the review as the target shows it (None: it is missing from a list).
    """
    if review is None:
        raise violation("K6", "The moderated review is missing", None, {"moderatedAt": "set"}, operation_id)
    shown = {"status": review.get("status"), "moderatedAt set": review.get("moderatedAt") is not None}
    wanted = {"status": status if status is not None else shown["status"], "moderatedAt set": True}
    require(
        shown == wanted, "K6", "Moderation did not set status and moderatedAt", shown, wanted, operation_id
    )

"""Customer rules as short fixed scenarios (class `customers`: K1–K4, K6).

The customers state machine explores these rules at random; these tests meet each rule on every run, so a
target that breaks one fails deterministically. Customers carry the run tag in name and email (the API has
no deleteCustomer: they are reported as leftovers); notes are deleted at session end.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from caldasa_conformance.fixtures.data import Cleanup, track_created
from caldasa_conformance.naming import unique_email, unique_name
from caldasa_conformance.oracles import customers as oracles
from caldasa_conformance.oracles.customers import CUSTOMER_FIELDS
from caldasa_conformance.states import require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.target import Target

NOTE_SPACING_SECONDS = 0.05  # timestamps have millisecond precision (design §8 #22)


def _email(run_tag: str, stem: str) -> str:
    return unique_email(run_tag, stem)


def _create_customer(
    api: httpx.Client, cleanup: Cleanup, run_tag: str, requirement: str, **fields: Any
) -> dict[str, Any]:
    body = {"name": unique_name(run_tag, f"{requirement} customer"), **fields}
    response = ops.create_customer(api, body=body)
    track_created(cleanup, api, response)
    created: dict[str, Any] = check_answer(response, Expect(201, requirement), "createCustomer")
    return created


def _note_deleter(api: httpx.Client, customer_id: str, note_id: str) -> Callable[[], httpx.Response]:
    return lambda: ops.delete_customer_note(api, customer_id, note_id)


def _activity_kinds(api: httpx.Client, customer_id: str, requirement: str) -> Counter[str]:
    listed = check_answer(
        ops.list_customer_activities(api, customer_id, params={"limit": 100}),
        Expect(200, requirement),
        "listCustomerActivities",
    )
    return Counter(item.get("kind") for item in listed.get("items", []))


@pytest.mark.customers
@pytest.mark.req("K1")
@pytest.mark.operation("createCustomer", "updateCustomer", "getCustomer")
def test_patch_leaves_null_and_omitted_fields_unchanged(
    api: httpx.Client, cleanup: Cleanup, run_tag: str
) -> None:
    """Test Purpose: PATCH changes only the fields it sends with a value (K1).

    Test Method: create a customer with email and phone; PATCH with `phone: null`, `email` omitted and a
    new name; the answer and a later GET show the new name and the original email and phone.
    """
    email = _email(run_tag, "k1")
    customer = _create_customer(api, cleanup, run_tag, "K1", email=email, phone="+4930100100", optInSms=True)
    new_name = unique_name(run_tag, "K1 renamed")
    wanted = {**{name: customer.get(name) for name in CUSTOMER_FIELDS}, "name": new_name}
    body = {"name": new_name, "phone": None, "optInSms": None}
    answer = check_answer(
        ops.update_customer(api, customer["id"], body=body), Expect(200, "K1"), "updateCustomer"
    )
    stored = check_answer(ops.get_customer(api, customer["id"]), Expect(200, "K1"), "getCustomer")
    for operation_id, dto in (("updateCustomer", answer), ("getCustomer", stored)):
        oracles.patch_keeps_unsent_fields(dto, wanted, operation_id)


@pytest.mark.customers
@pytest.mark.req("K2")
@pytest.mark.operation("createCustomer", "updateCustomer")
def test_duplicate_email_in_any_case_is_refused(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> None:
    """Test Purpose: an email already in use, in any letter case, answers 409 duplicate_email (K2).

    Test Method: create a customer with a lower-case email; create a second customer with the same email
    upper-cased → 409 duplicate_email; create a third customer without email and PATCH it to the upper-cased
    email → 409 duplicate_email.
    """
    email = _email(run_tag, "k2")
    _create_customer(api, cleanup, run_tag, "K2", email=email)
    duplicate = Expect(409, "K2", "duplicate_email", why="the email is in use in another letter case")
    body = {"name": f"{run_tag} K2 duplicate", "email": email.upper()}
    response = ops.create_customer(api, body=body)
    track_created(cleanup, api, response)  # a wrongly created duplicate is still reported as a leftover
    check_answer(response, duplicate, "createCustomer")
    other = _create_customer(api, cleanup, run_tag, "K2", phone="+4930100200")
    check_answer(
        ops.update_customer(api, other["id"], body={"email": email.upper()}), duplicate, "updateCustomer"
    )


@pytest.mark.customers
@pytest.mark.req("K3")
@pytest.mark.operation(
    "createCustomerNote",
    "listCustomerNotes",
    "updateCustomerNote",
    "deleteCustomerNote",
    "listCustomerActivities",
)
def test_note_lifecycle(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> None:
    """Test Purpose: a note is listed first and on the timeline, edits set updatedAt, deletes stick (K3).

    Test Method: create two customers and two notes on the first; the newer note is listed first and the
    timeline has two NoteCreated entries; PATCH it → new body and updatedAt set; under the second customer's
    path the note answers 404; DELETE → 204, then DELETE again and PATCH → 404.
    """
    owner = _create_customer(api, cleanup, run_tag, "K3", email=_email(run_tag, "k3"))
    stranger = _create_customer(api, cleanup, run_tag, "K3", email=_email(run_tag, "k3-other"))
    notes = []
    for text in ("first", "second"):
        time.sleep(NOTE_SPACING_SECONDS)  # distinct createdAt: "newest first" must not rest on the tiebreak
        response = ops.create_customer_note(api, owner["id"], body={"body": f"{run_tag} {text}"})
        note = check_answer(response, Expect(201, "K3"), "createCustomerNote")
        cleanup.push("note", note["id"], _note_deleter(api, owner["id"], note["id"]))
        notes.append(note)
    listed = check_answer(ops.list_customer_notes(api, owner["id"]), Expect(200, "K3"), "listCustomerNotes")
    ids = [item.get("id") for item in listed.get("items", [])]
    oracles.note_lifecycle(listed=ids, newest=notes[1]["id"])
    oracles.note_lifecycle(activities=_activity_kinds(api, owner["id"], "K3"), created=2)
    _edit_and_delete_note(api, owner["id"], stranger["id"], notes[1]["id"], run_tag)


def _edit_and_delete_note(
    api: httpx.Client, owner_id: str, stranger_id: str, note_id: str, run_tag: str
) -> None:
    """PATCH the note (new body, updatedAt); it answers 404 under the stranger's path and after its DELETE."""
    text = f"{run_tag} edited"
    edited = check_answer(
        ops.update_customer_note(api, owner_id, note_id, body={"body": text}),
        Expect(200, "K3"),
        "updateCustomerNote",
    )
    oracles.note_lifecycle(edited=edited, body=text)

    foreign = Expect(404, "K3", why="the note belongs to another customer")
    response = ops.update_customer_note(api, stranger_id, note_id, body={"body": "moved"})
    check_answer(response, foreign, "updateCustomerNote")
    check_answer(ops.delete_customer_note(api, stranger_id, note_id), foreign, "deleteCustomerNote")
    check_answer(ops.delete_customer_note(api, owner_id, note_id), Expect(204, "K3"), "deleteCustomerNote")
    gone = Expect(404, "K3", why="the note was deleted")
    check_answer(ops.delete_customer_note(api, owner_id, note_id), gone, "deleteCustomerNote")
    response = ops.update_customer_note(api, owner_id, note_id, body={"body": "again"})
    check_answer(response, gone, "updateCustomerNote")


@pytest.mark.customers
@pytest.mark.req("K4")
@pytest.mark.operation("sendCustomerMessage", "listCustomerActivities")
def test_messages_need_an_address_and_sms_consent(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> None:
    """Test Purpose: messages are queued only to an address the customer has, SMS only with consent (K4).

    Test Method: a customer with email and phone but no SMS consent: Email → 202 Queued to that email and a
    MessageSent activity; Sms → 409 sms_not_permitted. A customer with only a phone: Email → 409 no_email.
    A customer with only an email: Sms → 409 no_phone. Refused messages add no activity.
    """
    email = _email(run_tag, "k4")
    both = _create_customer(api, cleanup, run_tag, "K4", email=email, phone="+4930100300", optInSms=False)
    message = {"channel": "Email", "subject": f"{run_tag} K4", "body": "Hello from the conformance suite"}
    sent = check_answer(
        ops.send_customer_message(api, both["id"], body=message), Expect(202, "K4"), "sendCustomerMessage"
    )
    oracles.message_needs_address_and_consent(result=sent, recipient=email)
    sms = {"channel": "Sms", "body": "Hello from the conformance suite"}
    refusals = [
        (both, sms, Expect(409, "K4", "sms_not_permitted", why="optInSms is false")),
        (
            _create_customer(api, cleanup, run_tag, "K4", phone="+4930100301"),
            message,
            Expect(409, "K4", "no_email", why="the customer has no email"),
        ),
        (
            _create_customer(api, cleanup, run_tag, "K4", email=_email(run_tag, "k4-mail")),
            sms,
            Expect(409, "K4", "no_phone", why="the customer has no phone"),
        ),
    ]
    for customer, body, expect in refusals:
        check_answer(ops.send_customer_message(api, customer["id"], body=body), expect, "sendCustomerMessage")
    oracles.message_needs_address_and_consent(activities=_activity_kinds(api, both["id"], "K4"), sent=1)


@pytest.mark.customers
@pytest.mark.req("K6")
@pytest.mark.operation("moderateReview", "listReviews")
def test_review_moderation_sets_status_and_moderated_at(api: httpx.Client, workflow_target: Target) -> None:
    """Test Purpose: moderation moves Pending to Approved or Rejected, again if asked, with moderatedAt (K6).

    Test Method: provider state `pending-review`; approve it, then reject it; each answer and the review as
    listed under `status=Rejected` carry the new status and a moderatedAt.
    """
    review = require_state("pending-review", workflow_target.states, rating=4, comment="Lovely")
    review_id = review["reviewId"]
    for status in ("Approved", "Rejected"):
        response = ops.moderate_review(api, review_id, body={"status": status, "reason": "conformance"})
        dto = check_answer(response, Expect(200, "K6", why="re-moderation is allowed"), "moderateReview")
        oracles.moderation_sets_status(dto, "moderateReview", status=status)
    listed = check_answer(
        ops.list_reviews(api, params={"status": "Rejected", "pageSize": 100}),
        Expect(200, "K6"),
        "listReviews",
    )
    review = next((item for item in listed.get("items", []) if item.get("id") == review_id), None)
    oracles.moderation_sets_status(review, "listReviews")

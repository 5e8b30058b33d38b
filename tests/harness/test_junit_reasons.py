"""The one-line reason of a failure and the requirements it counts under, as the summary shows them."""

from __future__ import annotations

import pytest

from caldasa_conformance.reporting.junit import Outcome


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "caldasa_conformance.failures.DomainViolation: A retry stored a second booking [createBooking]",
            "A retry stored a second booking [createBooking]",
        ),
        ('failed on setup with "httpx.ReadTimeout: timed out"', "in setup: ReadTimeout: timed out"),
        (
            "AcceptedNegativeData(operation='GET /webhooks', title='Schema-violating request accepted', "
            "message='Invalid data should have been rejected', case_id=None) "
            "[single exception in FailureGroup]",
            "Schema-violating request accepted [GET /webhooks]",
        ),
        ("", "(no message)"),
    ],
)
def test_the_reason_is_the_readable_title(message: str, reason: str) -> None:
    assert Outcome("t", "m", "failed", message=message).reason == reason


def test_a_schemathesis_check_counts_under_the_requirement_it_stands_for() -> None:
    message = (
        "IgnoredAuth(operation='GET /customers', title='API accepts invalid authentication', message='')"
    )
    details = "| schemathesis.openapi.checks.UndefinedStatusCode: Undocumented HTTP status code"
    outcome = Outcome("t", "m", "failed", requirements=("T7", "T8"), message=message, details=details)
    assert outcome.failing_requirements == ("T2", "S2")


def test_a_failure_naming_nothing_counts_under_the_test_s_requirements() -> None:
    outcome = Outcome("t", "m", "failed", requirements=("T7", "T8"), message="httpx.ReadTimeout: timed out")
    assert outcome.failing_requirements == ("T7", "T8")


def test_the_reason_of_a_conformance_failure_is_what_was_expected_and_what_came() -> None:
    from caldasa_conformance.failures import DomainViolation

    failure = DomainViolation(
        '201 body={"id": "b-1", "items": []}',
        "409 code=slot_unavailable (the staff member is booked 10:00–10:30)",
        requirement_id="B1",
        title="createBooking answered differently from the model",
        operation_id="createBooking",
    )
    outcome = Outcome("t", "m", "failed", message=f"{type(failure).__module__}.DomainViolation: {failure}")
    assert outcome.reason == (
        "Expected: 409 code=slot_unavailable (the staff member is booked 10:00–10:30); received 201 "
        "[createBooking]"
    )
    assert outcome.title == "createBooking answered differently from the model [createBooking]"

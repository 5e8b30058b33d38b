"""The one-line reason of a failure, as the summary and the conformance table show it."""

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

"""Domain checks shared by the workflows: predicted answers and the failures they raise.

A workflow predicts every answer from its model as an `Expect` (status, problem `code`, offending field, and
the requirement the prediction rests on). `check_answer` compares the response with it and raises a
`DomainViolation` naming that requirement, so a failure says which rule the target broke.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from caldasa_conformance import evidence
from caldasa_conformance.failures import DomainViolation
from caldasa_conformance.workflows.journal import shorten


@dataclass(frozen=True)
class Expect:
    """A predicted answer.

    Attributes:
        status: the HTTP status the model predicts.
        requirement: the requirement id the prediction rests on (named by the failure).
        code: the problem `code` of a 409/404, if the contract fixes one.
        field: a key that must appear in `errors` of a 400.
        why: a short reason for the reader of a failure.
    """

    status: int
    requirement: str
    code: str | None = None
    field: str | None = None
    why: str = ""

    def describe(self) -> str:
        text = str(self.status)
        if self.code:
            text += f" code={self.code}"
        if self.field:
            text += f" errors[{self.field}]"
        return text + (f" ({self.why})" if self.why else "")


def violation(
    requirement: str, title: str, received: Any, expected: Any, operation_id: str | None = None
) -> DomainViolation:
    """Build the failure for a broken rule (received/expected are rendered compactly and redacted)."""
    return DomainViolation(
        shorten(received),
        shorten(expected),
        requirement_id=requirement,
        title=title,
        operation_id=operation_id,
    )


def body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


def problem_code(response: httpx.Response) -> str | None:
    body = body_of(response)
    return body.get("code") if isinstance(body, dict) else None


def error_keys(response: httpx.Response) -> set[str]:
    """The `errors` keys of a 400, normalised as §8 #40 says (strip `$.`, lower-case)."""
    body = body_of(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return set()
    return {key.removeprefix("$.").lower() for key in errors}


def answer_matches(response: httpx.Response, expect: Expect) -> bool:
    if response.status_code != expect.status:
        return False
    if expect.code is not None and problem_code(response) != expect.code:
        return False
    return expect.field is None or any(
        _names_field(key, expect.field.lower()) for key in error_keys(response)
    )


def _names_field(key: str, field: str) -> bool:
    """`key` names `field` itself or something inside it (`items[0].x` names `items[0]` and `items`)."""
    return key == field or key.startswith((field + ".", field + "["))


def check_answer(response: httpx.Response, expect: Expect, operation_id: str) -> Any:
    """Raise a `DomainViolation` unless `response` is the predicted answer; return its JSON body."""
    if not answer_matches(response, expect):
        code = problem_code(response)
        received = f"{response.status_code}" + (f" code={code}" if code else "")
        if response.status_code == 400:
            received += f" errors={sorted(error_keys(response))}"
        received += f" body={shorten(body_of(response))}"
        raise violation(
            "S4" if response.status_code >= 500 else expect.requirement,  # a 5xx is never a rule's verdict
            f"{operation_id} answered differently from the model",
            received,
            expect.describe(),
            operation_id,
        )
    evidence.held(expect.requirement)
    return body_of(response)


def require(
    condition: bool,
    requirement: str,
    title: str,
    received: Any,
    expected: Any,
    operation_id: str | None = None,
) -> None:
    """Raise a `DomainViolation` for `requirement` unless `condition` holds."""
    if not condition:
        raise violation(requirement, title, received, expected, operation_id)
    evidence.held(requirement)

"""Typed conformance failures with one message shape.

Every failure is an `AssertionError` (pytest reports it as a failed test, not an error); its message::

    <title>

    Received: <what the target did>
    Expected: <what the contract says>
    Requirement: <id>
    <one-line remedy>

The tree (one subclass per property; the class carries the default requirement id and remedy)::

    ConformanceFailure
    ├── ContractViolation
    │   ├── SchemaViolation .............. S1
    │   ├── UndocumentedStatus ........... S2
    │   ├── WrongContentType ............. S3
    │   ├── MissingHeader ................ S3
    │   └── ServerError .................. S4
    ├── ErrorFormatViolation
    │   ├── ProblemShapeViolation ........ T6
    │   └── LeakyErrorDetail ............. T6
    ├── ValidationViolation
    │   ├── InvalidInputAccepted ......... V1
    │   └── ValidationFieldMissing ....... V1
    ├── AuthNotEnforced .................. T2
    ├── SuspiciousAuthRejection .......... T2 (the real token is rejected: the run proves nothing)
    ├── TenantLeak ....................... T1
    ├── PaginationViolation .............. T3
    ├── OrderingViolation ................ T4
    ├── RetryAfterMissing ................ T5
    ├── DeleteNotEffective ............... T7
    ├── CreateSemanticsViolation ......... T8
    └── DomainViolation .................. (stateful classes; requirement given per raise)
"""

from __future__ import annotations

from typing import ClassVar


class ConformanceFailure(AssertionError):
    """A target behaviour that contradicts a requirement.

    Args:
        received: what the target did (short; a status, a value, a key).
        expected: what the contract requires.
        requirement_id: overrides the class default.
        title: overrides the class default.
        remedy: overrides the class default one-line remedy.
        operation_id: the operation the failure was seen on, if any.
    """

    title: ClassVar[str] = "Conformance failure"
    requirement: ClassVar[str] = ""
    also_breaks: ClassVar[tuple[str, ...]] = ()  # further requirements the same observation breaks
    remedy: ClassVar[str] = "Make the target behave as the contract documents."
    severity: ClassVar[str] = "critical"

    def __init__(
        self,
        received: str,
        expected: str,
        *,
        requirement_id: str | None = None,
        title: str | None = None,
        remedy: str | None = None,
        operation_id: str | None = None,
    ) -> None:
        self.received = received
        self.expected = expected
        self.requirement_id = requirement_id or self.requirement
        self.failure_title = title or self.title
        self.failure_remedy = remedy or self.remedy
        self.operation_id = operation_id
        self.reproduction: str | None = None
        super().__init__(self.render())

    def attach_reproduction(self, curl: str) -> None:
        """Append a (redacted) curl command that reproduces the failing request to the message."""
        self.reproduction = curl
        self.args = (self.render(),)

    def render(self) -> str:
        """The message: title, Received, Expected, requirement id and remedy."""
        where = f" [{self.operation_id}]" if self.operation_id else ""
        return (
            f"{self.failure_title}{where}\n\n"
            f"Received: {self.received}\n"
            f"Expected: {self.expected}\n"
            + "".join(f"Requirement: {rid}\n" for rid in (self.requirement_id, *self.also_breaks))
            + f"{self.failure_remedy}"
            + (f"\n\nReproduce with: {self.reproduction}" if self.reproduction else "")
        )

    @property
    def dedup_key(self) -> tuple[str, str, str | None, str]:
        """Two failures with the same key are the same finding (used to report each finding once)."""
        return (type(self).__name__, self.requirement_id, self.operation_id, self.received[:200])


class ContractViolation(ConformanceFailure):
    """The response contradicts the OpenAPI document itself."""


class SchemaViolation(ContractViolation):
    title = "Response body violates the documented schema"
    requirement = "S1"
    remedy = "Emit every required property with its documented type and format."


class UndocumentedStatus(ContractViolation):
    title = "Response status is not documented for this operation"
    requirement = "S2"
    remedy = "Answer with one of the documented statuses, or document the status in the contract."


class WrongContentType(ContractViolation):
    title = "Response has the wrong content type"
    requirement = "S3"
    remedy = "Send the media type the contract documents for this status."


class MissingHeader(ContractViolation):
    title = "A required response header is missing"
    requirement = "S3"
    remedy = "Send the header the contract requires for this status."


class ServerError(ContractViolation):
    title = "The target answered with a server error"
    requirement = "S4"
    remedy = "Handle this input: answer 4xx for bad input instead of failing with 5xx."


class ErrorFormatViolation(ConformanceFailure):
    """An error body does not follow RFC 9457 as the contract requires."""


class ProblemShapeViolation(ErrorFormatViolation):
    title = "Error response is not a valid problem+json document"
    requirement = "T6"
    remedy = "Answer errors as application/problem+json whose `status` equals the HTTP status."


class LeakyErrorDetail(ErrorFormatViolation):
    title = "Error detail leaks implementation internals"
    requirement = "T6"
    remedy = "Keep stack traces and SQL out of problem `detail`; log them server-side instead."


class ValidationViolation(ConformanceFailure):
    """Schema-invalid input was not rejected as the contract requires."""


class InvalidInputAccepted(ValidationViolation):
    title = "Schema-invalid input was accepted"
    requirement = "V1"
    remedy = "Validate the request against the contract and answer 400 ValidationProblemDetails."


class ValidationFieldMissing(ValidationViolation):
    title = "Validation error does not name the offending field"
    requirement = "V1"
    remedy = "Put the offending field's path as a key of `errors` in the 400 body."


class AuthNotEnforced(ConformanceFailure):
    title = "Request without valid credentials was not rejected with 401"
    requirement = "T2"
    remedy = "Reject missing, malformed and unknown bearer tokens with 401 before any other processing."


class SuspiciousAuthRejection(ConformanceFailure):
    title = "The configured token is rejected: this run cannot prove anything"
    requirement = "T2"
    remedy = "Check CALDASA_TOKEN (and the base URL): every authenticated request answered 401."


class TenantLeak(ConformanceFailure):
    title = "Data of another tenant is reachable"
    requirement = "T1"
    remedy = "Scope every lookup by the tenant of the bearer token; answer 404 for other tenants' ids."


class PaginationViolation(ConformanceFailure):
    title = "Pagination is inconsistent"
    requirement = "T3"
    remedy = "Page over a stable order with a unique tiebreaker; report the true totalCount on every page."


class OrderingViolation(ConformanceFailure):
    title = "List is not in its documented order"
    requirement = "T4"
    remedy = "Sort by the documented keys and break ties by id."


class RetryAfterMissing(ConformanceFailure):
    title = "429 response without a valid Retry-After"
    requirement = "T5"
    remedy = "Send `Retry-After: <seconds>` on every 429."


class DeleteNotEffective(ConformanceFailure):
    title = "DELETE did not remove the resource"
    requirement = "T7"
    remedy = "After a 204, the resource must answer 404 to GET and to a second DELETE."


class CreateSemanticsViolation(ConformanceFailure):
    title = "Create does not follow the 201 + Location contract"
    requirement = "T8"
    remedy = "Answer 201 with a Location whose GET returns the same body; ignore unknown JSON properties."


class DomainViolation(ConformanceFailure):
    title = "A business rule is broken"
    remedy = "Enforce the rule named by the requirement id."


class TargetUnwell(ConformanceFailure):
    """The transport or a gateway failed: no answer in time, a body cut short, an HTML error page.

    It ends the affected test with this cause, once (the test's own rule stays unverified, not failed), and
    a replay that cannot reproduce it is still reported as this failure, never as flakiness.
    """

    title = "The target is unwell"
    requirement = "S4"
    remedy = "Check the target's health (timeouts, proxies, gateways) before reading the rule failures."


class NoAnswerInTime(TargetUnwell):
    title = "No answer within the timeout"


class UnparsableBody(TargetUnwell):
    title = "A JSON answer that is not valid JSON"
    requirement = "S1"


class GatewayErrorPage(TargetUnwell):
    title = "A server error page instead of an API answer"
    also_breaks = ("T6",)  # an error that is not problem+json

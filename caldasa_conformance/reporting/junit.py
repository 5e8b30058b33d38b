"""Read pytest's `junit.xml` into typed outcomes (the single source of the runner's counts).

pytest writes one `<testcase>` per test; the suite's plugin adds the properties `caldasa_class`,
`caldasa_requirements` (space separated) and `caldasa_operation`. A failure or error child means failed; a
`<skipped type="pytest.xfail">` means xfailed (a known failure declared in the expectations); any other
`<skipped>` means skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

UNCLASSIFIED = "unclassified"
# A ConformanceFailure names the requirement it proves broken on a line of its own.
# pytest prefixes failure lines with "E"; exception groups draw their members behind "| ".
_REQUIREMENT_LINE = re.compile(r"^\s*(?:E\s+)?(?:\|\s*)*Requirement:\s*([A-Za-z]+\d+)", re.MULTILINE)
# pytest prefixes the message with the exception class. Our failures' titles speak for themselves, so their
# prefix goes; for anything else (httpx.ReadTimeout: timed out) the bare class name stays, as it explains.
_OWN_PREFIX = re.compile(r"^(?:AssertionError|(?:[A-Za-z_]\w*\.)*failures\.[A-Z]\w*): ")
_PHASE_ERROR = re.compile(r'^failed on (setup|teardown) with "(.*)"?$')
_MODULE_PATH = re.compile(r"^(?:[A-Za-z_]\w*\.)+(?=[A-Z]\w*: )")
# A Schemathesis check failure reaches the message as its repr: `AcceptedNegativeData(operation='GET /x',
# title='Schema-violating request accepted', message=...)`; its title is the readable part.
_SCHEMATHESIS_REPR = re.compile(r"^[A-Z]\w*\(operation='(?P<operation>[^']*)', title='(?P<title>[^']*)'")
STATUSES = ("passed", "failed", "skipped", "xfailed")
# Schemathesis' checks fail with these classes, naming no requirement; each stands for the rule it saw broken.
SCHEMATHESIS_REQUIREMENTS = {
    "JsonSchemaError": "S1",
    "DiscriminatorMismatch": "S1",
    "ContentDeserializationError": "S1",
    "MalformedJson": "S1",
    "UndefinedStatusCode": "S2",
    "MissingContentType": "S3",
    "UndefinedContentType": "S3",
    "MalformedMediaType": "S3",
    "MissingHeaders": "S3",
    "ServerError": "S4",
    "ContentTypeServerError": "S4",
    "AcceptedNegativeData": "V1",
    "MissingHeaderNotRejected": "V1",
    "IgnoredAuth": "T2",
    "ObjectLevelAuthorizationViolation": "T1",
    "UseAfterFree": "T7",
    "EnsureResourceAvailability": "T8",
}
_SCHEMATHESIS_FAILURE = re.compile(rf"\b({'|'.join(SCHEMATHESIS_REQUIREMENTS)})(?=[(:])")


@dataclass(frozen=True)
class Outcome:
    """What happened to one test case."""

    name: str
    classname: str
    status: str
    conformance_class: str = UNCLASSIFIED
    requirements: tuple[str, ...] = ()
    evaluated: tuple[str, ...] = ()  # requirements whose checks ran and held (see `evidence`)
    notes: tuple[str, ...] = ()  # reference policies the target does not follow (see `policy`)
    operation: str = ""
    message: str = ""
    details: str = field(default="", repr=False)
    kind: str = ""  # `generative` or `fixed` (caldasa_conformance.kinds), empty for a project test

    @property
    def test_id(self) -> str:
        """A readable id: `module.path::name` as pytest reports it in JUnit."""
        return f"{self.classname}::{self.name}" if self.classname else self.name

    @property
    def failing_requirements(self) -> tuple[str, ...]:
        """The requirements this failure proves broken: those its message names (or the Schemathesis checks it
        failed stand for), else all the test checks.

        A named requirement counts even when the test is not marked with it: a 429 without Retry-After met
        while building an availability test's data breaks T5, not the availability rule the test was after.
        """
        return requirements_named(f"{self.message}\n{self.details}") or self.requirements

    @property
    def reason(self) -> str:
        """The best one-line account of the failure: what the contract expected and what came instead,
        when the message says so (`Expected: 409 code=slot_unavailable (…); received 201 [createBooking]`),
        else its title, the first non-empty line."""
        title = self.title
        observed = _observed(self.message or self.details)
        if observed is None:
            return title
        operation = _TITLE_OPERATION.search(title)
        return observed + (f" {operation.group(0)}" if operation else "")

    @property
    def title(self) -> str:
        """The first non-empty line of the failure message, made readable."""
        for line in (self.message or self.details).splitlines():
            if line.strip():
                return _readable(line.strip())
        return "(no message)"


_TITLE_OPERATION = re.compile(r"\[[A-Za-z][\w /{}.-]*\]$")
# A ConformanceFailure's message carries `Received:` and `Expected:` lines (pytest may prefix them with "E").
_RECEIVED_LINE = re.compile(r"^\s*(?:E\s+)?Received:\s*(.+)$", re.MULTILINE)
_EXPECTED_LINE = re.compile(r"^\s*(?:E\s+)?Expected:\s*(.+)$", re.MULTILINE)
_SIDE_WIDTH = 160


def _observed(text: str) -> str | None:
    """`Expected: <expected>; received <received>` from a ConformanceFailure's message, each side cut short
    (a received body is left out: its status or value is what a reader of a job summary needs)."""
    expected = _EXPECTED_LINE.search(text)
    received = _RECEIVED_LINE.search(text)
    if expected is None or received is None:
        return None
    got = received.group(1).split(" body=", 1)[0].strip()
    return f"Expected: {_cut(expected.group(1).strip())}; received {_cut(got)}"


def _cut(text: str) -> str:
    return text if len(text) <= _SIDE_WIDTH else text[: _SIDE_WIDTH - 1] + "…"


def requirements_named(text: str) -> tuple[str, ...]:
    """The requirements a failure's text names (`Requirement: B1` lines, Schemathesis checks), in order."""
    named = _REQUIREMENT_LINE.findall(text)
    named += [SCHEMATHESIS_REQUIREMENTS[check] for check in _SCHEMATHESIS_FAILURE.findall(text)]
    return tuple(dict.fromkeys(named))


def _readable(line: str) -> str:
    """`failed on setup with "httpx.ReadTimeout: timed out"` → `in setup: ReadTimeout: timed out`;
    `AcceptedNegativeData(operation='GET /x', title='Schema-violating request accepted', …)` →
    `Schema-violating request accepted [GET /x]`."""
    phase = _PHASE_ERROR.match(line)
    if phase:
        return f"in {phase.group(1)}: {_readable(phase.group(2).rstrip(chr(34)))}"
    check = _SCHEMATHESIS_REPR.match(line)
    if check:
        return f"{check['title']} [{check['operation']}]"
    return _MODULE_PATH.sub("", _OWN_PREFIX.sub("", line, count=1), count=1)


def _properties(case: ET.Element) -> dict[str, str]:
    return {prop.get("name", ""): prop.get("value", "") for prop in case.iter("property")}


def _status_and_message(case: ET.Element) -> tuple[str, str, str]:
    for tag in ("failure", "error"):
        element = case.find(tag)
        if element is not None:
            return "failed", element.get("message", ""), element.text or ""
    skipped = case.find("skipped")
    if skipped is not None:
        status = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        return status, skipped.get("message", ""), skipped.text or ""
    return "passed", "", ""


def _outcome(case: ET.Element) -> Outcome:
    props = _properties(case)
    status, message, details = _status_and_message(case)
    return Outcome(
        name=case.get("name", ""),
        classname=case.get("classname", ""),
        status=status,
        conformance_class=props.get("caldasa_class") or UNCLASSIFIED,
        requirements=tuple(props.get("caldasa_requirements", "").split()),
        evaluated=tuple(props.get("caldasa_evaluated", "").split()),
        notes=tuple(props.get("caldasa_notes", "").splitlines()),
        operation=props.get("caldasa_operation", ""),
        message=message,
        details=details,
        kind=props.get("caldasa_kind", ""),
    )


def read_outcomes(path: Path) -> list[Outcome]:
    """Parse `path` (a pytest junit.xml) into one outcome per test; a missing file yields no outcomes.

    pytest writes a second `<testcase>` for a test whose call failed and whose teardown then failed too (the
    JUnit schema allows one failure or error per testcase); both are one test, failed once (`_one_test`).

    Raises:
        ET.ParseError: the file is not well-formed XML.
    """
    if not path.is_file():
        return []
    root = ET.parse(path).getroot()
    by_test: dict[tuple[str, str], list[Outcome]] = {}
    for case in root.iter("testcase"):
        outcome = _outcome(case)
        by_test.setdefault((outcome.classname, outcome.name), []).append(outcome)
    return [_one_test(outcomes) for outcomes in by_test.values()]


def _one_test(outcomes: list[Outcome]) -> Outcome:
    """The test that `outcomes` (its testcases, in the file's order) report: failed if any of them failed,
    with the first failure's message, and the later failures (a teardown's error) after its details."""
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    if len(outcomes) == 1 or not failed:
        return outcomes[0]
    first, *later = failed
    return replace(
        first,
        details="\n\n".join([first.details, *(f"{each.message}\n{each.details}" for each in later)]),
        evaluated=tuple(dict.fromkeys(rid for outcome in outcomes for rid in outcome.evaluated)),
        notes=tuple(dict.fromkeys(note for outcome in outcomes for note in outcome.notes)),
    )


def count(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """Counts by status, every status present (zero when absent)."""
    counts = dict.fromkeys(STATUSES, 0)
    for outcome in outcomes:
        counts[outcome.status] += 1
    return counts

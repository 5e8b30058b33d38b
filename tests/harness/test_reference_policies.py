"""Reference policies (`basis: reference-policy`, `caldasa_conformance.policy`): a rule only with
`--profile reference`; on any other profile a target that chose differently gets a note, never a failure.

The P1 test (null staff → lowest id, unpinned unit → first by name) runs in a pytest process against the
reference server, with and without the legal variant `staff-highest-id`, which differs on exactly that policy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from caldasa_conformance import evidence, policy
from caldasa_conformance.failures import DomainViolation
from caldasa_conformance.oracles import bookings
from tests.harness.reference_server import reference_server

ROOT = Path(__file__).resolve().parents[2]
MODULE = "suites/bookings/test_reference_policies.py"


def _run_policy_test(env: dict[str, str], profile: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """Run the P1 test; return its outcome (`passed`, `failed: …`, `skipped`) and its JUnit properties."""
    junit = tmp_path / f"{profile}.xml"
    command = [
        *(sys.executable, "-m", "pytest", MODULE, "-q", "-p", "no:randomly"),
        *("--caldasa-profile", profile, "--caldasa-budget", "smoke"),
        *("--caldasa-report-dir", str(tmp_path / "reports"), f"--junitxml={junit}"),
    ]
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith("CALDASA_")}
    subprocess.run(command, cwd=ROOT, env={**clean_env, **env}, capture_output=True, timeout=240, check=False)
    (case,) = ET.parse(junit).getroot().iter("testcase")
    properties = {node.get("name", ""): node.get("value", "") for node in case.iter("property")}
    for node in case:
        if node.tag in ("failure", "error"):
            return f"failed: {node.get('message')}", properties
        if node.tag == "skipped":
            return "skipped", properties
    return "passed", properties


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """(server, profile) → outcome of the P1 test."""
    results = {}
    for variants in ((), ("staff-highest-id",)):
        name = variants[0] if variants else "reference"
        with reference_server(variants=variants) as server:
            for profile in ("reference", "staging"):
                tmp_path = tmp_path_factory.mktemp(f"{name}-{profile}")
                results[name, profile] = _run_policy_test(server.env, profile, tmp_path)
    return results


def test_the_reference_follows_its_own_policy_on_every_profile(outcomes: dict) -> None:  # type: ignore[type-arg]
    for profile in ("reference", "staging"):
        outcome, properties = outcomes["reference", profile]
        assert outcome == "passed", (profile, outcome)
        assert "P1" in properties.get("caldasa_evaluated", "").split()
        assert "caldasa_notes" not in properties


def test_a_variant_that_differs_fails_only_the_reference_profile(outcomes: dict) -> None:  # type: ignore[type-arg]
    outcome, _ = outcomes["staff-highest-id", "reference"]
    assert outcome.startswith("failed"), outcome
    assert "P1" in outcome


def test_a_variant_that_differs_gets_a_note_on_staging(outcomes: dict) -> None:  # type: ignore[type-arg]
    outcome, properties = outcomes["staff-highest-id", "staging"]
    assert outcome == "passed", outcome
    assert "differs from the reference in P1" in properties.get("caldasa_notes", "")
    assert "P1" not in properties.get("caldasa_evaluated", "").split()  # a note is no evidence


def test_judge_raises_when_enforced_and_notes_otherwise() -> None:
    with evidence.recording(evidence.Ledger(enforce_policies=False)) as ledger:
        bookings.judge_reference_allocation("b", "a", what="staff")
    assert ledger.evaluated() == ()
    assert ledger.notes() == (policy.differs_note("P1", bookings.STAFF_POLICY),)
    with evidence.recording(), pytest.raises(DomainViolation):
        bookings.judge_reference_allocation("b", "a", what="staff")
    with pytest.raises(DomainViolation):  # outside a test, policies are enforced
        bookings.judge_reference_allocation("b", "a", what="staff")


def test_only_the_reference_profile_enforces() -> None:
    assert policy.enforced_for("reference")
    assert not any(policy.enforced_for(profile) for profile in ("staging", "mock", "readonly"))


def _judged(enforced: bool, judge: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Run `judge` (a callable) in a fresh ledger with policies enforced or not: (held, notes)."""
    with evidence.recording(evidence.Ledger(enforce_policies=enforced)) as ledger:
        judge()  # type: ignore[operator]
    return ledger.evaluated(), ledger.notes()


def test_a_message_sent_at_once_is_a_k4_note_not_a_failure_off_the_reference_profile() -> None:
    from caldasa_conformance.oracles import customers

    sent = {"status": "Sent", "recipient": "a@example.com"}
    held, notes = _judged(
        False, lambda: customers.message_needs_address_and_consent(result=sent, recipient="a@example.com")
    )
    assert held == ("K4",)  # the contract part held: Sent is in the contract's enum, to the right address
    assert notes == (policy.differs_note("K4", customers.QUEUED_POLICY),)
    with pytest.raises(DomainViolation, match="Sent"):
        _judged(
            True, lambda: customers.message_needs_address_and_consent(result=sent, recipient="a@example.com")
        )


def test_a_service_name_worded_otherwise_is_a_b9_note_not_a_failure_off_the_reference_profile() -> None:
    held, notes = _judged(
        False, lambda: bookings.judge_service_names(["Haircut (60 min)"], ["Haircut – 60 min"], "getBooking")
    )
    assert held == ()
    assert notes == (policy.differs_note("B9", bookings.SERVICE_NAME_POLICY),)
    with pytest.raises(DomainViolation, match="B9"):
        _judged(
            True,
            lambda: bookings.judge_service_names(["Haircut (60 min)"], ["Haircut – 60 min"], "getBooking"),
        )
    assert _judged(
        True, lambda: bookings.judge_service_names(["Haircut – 60 min"], ["Haircut – 60 min"], "x")
    )[0] == ("B9",)

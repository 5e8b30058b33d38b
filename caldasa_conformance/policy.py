"""Reference policies: choices the design made only so that the reference server is deterministic.

The contract (and the RFCs it cites) binds every target; design §8 sometimes fixes a choice the contract
leaves open (which staff member a null `staffMemberId` gets, the wording of `serviceName`, whether a message
is still `Queued` when the answer leaves). Such a choice binds only the reference server. A requirement is
marked `basis: reference-policy` in `openapi/requirements.yaml` when all of it is such a choice; a contract
requirement that also carries a policy assertion lists it under `reference_policies`, and its judge calls
`judge` below instead of `require`.

With `--profile reference` a policy is checked like any rule: the plugin sets `enforce_policies` on the
running test's ledger from the profile (see `evidence`), and outside a test policies are enforced. On every
other profile a target that chose differently is not wrong: the check becomes a note, "differs from the
reference in …", shown in the summary, never a failure, and it is no evidence that the policy holds (a policy
requirement then stays unverified).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from caldasa_conformance import evidence
from caldasa_conformance.requirements import load_requirements

REFERENCE_PROFILE = "reference"


def enforced_for(profile: str) -> bool:
    """Only the reference profile holds a target to the reference's own choices."""
    return profile == REFERENCE_PROFILE


def differs_note(requirement: str, policy: str) -> str:
    """The summary's wording for a reference policy the target does not follow."""
    return f"differs from the reference in {requirement}: {policy}"


def judge(holds: bool, requirement: str, policy: str, fail: Callable[[], None]) -> None:
    """Judge one policy assertion of `requirement`.

    Args:
        holds: whether the target made the reference's choice.
        policy: what the reference chooses, in a few words (the note names it).
        fail: raises the requirement's failure; called only when policies are enforced.
    """
    if holds:
        evidence.held(requirement)  # the target makes the reference's choice: that much is seen to hold
        return
    if evidence.enforces_policies():
        fail()
        return
    evidence.note(differs_note(requirement, policy))
    if requirement in _policy_requirements():
        evidence.retract(requirement)  # all of it is policy: this test is no evidence that it holds


@functools.cache
def _policy_requirements() -> frozenset[str]:
    """The ids whose basis is `reference-policy` (a contract requirement keeps its contract evidence)."""
    return frozenset(rid for rid, requirement in load_requirements().items() if requirement.is_policy)

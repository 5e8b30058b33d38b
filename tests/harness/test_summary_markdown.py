"""summary.md reads well on a CI job page: a title naming profile and target, skips grouped by reason, and
no list of leftovers for an embedded server that is thrown away."""

from __future__ import annotations

from typing import Any

from caldasa_conformance.reporting.junit import Outcome
from caldasa_conformance.reporting.summary import build_summary, render_markdown


def _summary(outcomes: list[Outcome], **run: Any) -> dict[str, Any]:
    base = {"target": "http://127.0.0.1:38941", "profile": "default", "exit_code": 0, "leftovers": []}
    return build_summary(outcomes, ["B1"], run={**base, **run}, locate={})


def _skipped(reason: str) -> Outcome:
    return Outcome("t" + reason, "m", "skipped", message=reason)


def test_the_title_names_the_profile_and_the_embedded_server_not_its_random_port() -> None:
    markdown = render_markdown(_summary([], embedded=True, reference_faults=["tenant-leak"]))
    first = markdown.splitlines()[0]
    assert (
        first == "## Caldasa conformance · profile default · embedded reference server (faults: tenant-leak)"
    )
    assert "127.0.0.1" not in first


def test_the_title_names_a_remote_target_by_its_url() -> None:
    markdown = render_markdown(_summary([], target="https://staging.example.com", profile="staging"))
    assert (
        markdown.splitlines()[0] == "## Caldasa conformance · profile staging · https://staging.example.com"
    )


def test_skips_are_grouped_by_reason_most_frequent_first() -> None:
    outcomes = [_skipped("no second token"), _skipped("no second token"), _skipped("GET-only profile")]
    outcomes[1] = Outcome("other", "m", "skipped", message="no second token")
    markdown = render_markdown(_summary(outcomes))
    section = markdown.split("### Skipped tests (3), by reason\n\n", 1)[1].splitlines()
    assert section[:2] == ["- 2 × no second token", "- 1 × GET-only profile"]


def test_an_embedded_server_s_leftovers_are_one_line_a_remote_target_s_are_listed() -> None:
    leftovers = [{"kind": "customers", "id": "c-1", "reason": "the API has no operation to delete it"}]
    embedded = render_markdown(_summary([], embedded=True, leftovers=leftovers))
    assert "1 entities were left on the embedded reference server (discarded with it)." in embedded
    assert "c-1" not in embedded
    remote = render_markdown(_summary([], leftovers=leftovers))
    assert "### Leftovers that could not be removed (1)" in remote
    assert "- customers `c-1`: the API has no operation to delete it" in remote


def test_reference_policies_not_followed_are_notes_not_failures() -> None:
    note = "differs from the reference in P1: a null staffMemberId gets the lowest id"
    outcomes = [
        Outcome("a", "m", "passed", requirements=("P1",), notes=(note,)),
        Outcome("b", "m", "passed", requirements=("P1",), notes=(note,)),
    ]
    summary = _summary(outcomes)
    assert summary["notes"] == [note]  # once, however many tests saw it
    assert summary["failures"] == []
    markdown = render_markdown(summary)
    assert "### Notes: reference policies this target does not follow (not failures)" in markdown
    assert f"- {note}" in markdown
    assert "Notes:" not in render_markdown(_summary([Outcome("c", "m", "passed")]))

"""The run tag is recognised as a whole token of the fields the suite writes, never as a substring."""

from __future__ import annotations

import pytest

from caldasa_conformance.naming import carries_tag, new_run_tag, run_tag_problem, unique_email, unique_name

TAG = "cc-1a2b3c4d"


@pytest.mark.parametrize(
    "entity",
    [
        {"name": unique_name(TAG, "Location")},
        {"email": unique_email(TAG, "customer")},
        {"customerName": f"{TAG} Alex Morgan"},
        {"name": f"tier 1 {TAG} gw0 t 5"},
        {"description": TAG},
    ],
)
def test_what_the_suite_writes_carries_the_tag(entity: dict[str, str]) -> None:
    assert carries_tag(entity, TAG)


@pytest.mark.parametrize(
    "entity",
    [
        {"name": f"x{TAG} Studio"},  # inside a word
        {"name": f"{TAG}5 Location"},  # another run whose tag starts with this one
        {"name": f"{TAG}-old Location"},
        {"email": f"{TAG}-old.customer-1@example.com"},
        {"name": "Xylophone Studio"},
        {"phone": TAG, "notes": TAG},  # fields the suite never writes the tag into
        {"name": None},
    ],
)
def test_look_alikes_do_not_carry_the_tag(entity: dict[str, object]) -> None:
    assert not carries_tag(entity, TAG)


def test_generated_tags_have_the_run_format() -> None:
    assert run_tag_problem(new_run_tag()) is None
    assert run_tag_problem("y") is not None
    assert run_tag_problem("CC-1A2B3C4D") is not None  # emails are lower-cased: the tag would be lost

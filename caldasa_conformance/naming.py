"""Names and emails for the entities a run creates: unique in the run, and carrying its run tag.

The run tag starts every name, so leftovers can be found and attributed (`caldasa-conformance cleanup`). Names
must also be unique across the pytest-xdist workers of one run, which share the run tag: the target rejects a
second location of the same name (409 `duplicate_name`) and a second customer of the same email (K2).

The tag is recognised as a whole token of the fields the suite writes, never as a substring: a cleanup by tag
must not touch "Xylophone Studio" for the tag `y`, nor another run's `cc-1a2b3c4d5` for `cc-1a2b3c4d`.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
from collections.abc import Mapping

_serial = itertools.count(1)

# The one format of a run tag: `cc-` and 3-29 lower-case letters, digits or '-' (emails are lower-cased, so
# an upper-case tag could not be recognised in them).
RUN_TAG_FORMAT = re.compile(r"^cc-[a-z0-9][a-z0-9-]{2,28}$")
RUN_TAG_RULE = "'cc-' then 3-29 lower-case letters, digits or '-' (as `run` generates: cc-1a2b3c4d)"
# The fields into which the suite writes the run tag (names, descriptions, emails).
TAGGED_FIELDS = ("name", "customerName", "description", "email", "customerEmail")
# Tokens of a tagged field: a tag never contains whitespace, '.', '+' or '@'.
_TOKEN_SEPARATORS = re.compile(r"[\s.+@]+")


def new_run_tag() -> str:
    return f"cc-{secrets.token_hex(4)}"


def run_tag_problem(value: str) -> str | None:
    """None for a valid run tag, else what is wrong with it."""
    return None if RUN_TAG_FORMAT.match(value) else f"expected {RUN_TAG_RULE}, got {value!r}"


def carries_tag(entity: Mapping[str, object], run_tag: str) -> bool:
    """True when `run_tag` is a whole token of one of the fields the suite writes it into."""
    return any(
        isinstance(value, str) and run_tag in _TOKEN_SEPARATORS.split(value)
        for value in (entity.get(name) for name in TAGGED_FIELDS)
    )


def _prefix(run_tag: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... ; unset without xdist
    return f"{run_tag} {worker}" if worker else run_tag


def unique_name(run_tag: str, kind: str) -> str:
    """`<run tag> [<worker>] <kind> <n>`, e.g. `cc-1a2b3c4d gw1 Location 7`."""
    return f"{_prefix(run_tag)} {kind} {next(_serial)}"


def unique_email(run_tag: str, kind: str) -> str:
    """`<run tag>.[<worker>-]<kind>-<n>@example.com`, lower case, no spaces; the '.' ends the tag's token."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    rest = f"{worker} {kind} {next(_serial)}" if worker else f"{kind} {next(_serial)}"
    return f"{run_tag}.{rest.lower().replace(' ', '-')}@example.com"

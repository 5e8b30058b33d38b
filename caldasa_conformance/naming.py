"""Names and emails for the entities a run creates: unique in the run, and carrying its run tag.

The run tag starts every name, so leftovers can be found and attributed (`caldasa-conformance cleanup`). Names
must also be unique across the pytest-xdist workers of one run, which share the run tag: the target rejects a
second location of the same name (409 `duplicate_name`) and a second customer of the same email (K2).
"""

from __future__ import annotations

import itertools
import os

_serial = itertools.count(1)


def _prefix(run_tag: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... ; unset without xdist
    return f"{run_tag} {worker}" if worker else run_tag


def unique_name(run_tag: str, kind: str) -> str:
    """`<run tag> [<worker>] <kind> <n>`, e.g. `cc-1a2b3c4d gw1 Location 7`."""
    return f"{_prefix(run_tag)} {kind} {next(_serial)}"


def unique_email(run_tag: str, kind: str) -> str:
    """`<run tag>-[<worker>-]<kind>-<n>@example.com`, lower case, no spaces."""
    local_part = f"{_prefix(run_tag)} {kind} {next(_serial)}".lower().replace(" ", "-")
    return f"{local_part}@example.com"

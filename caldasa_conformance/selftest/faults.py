"""The reference server's fault and variant registries, read through its command line (never imported: the
suite must not depend on the server's code, only on what it documents)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

FAULTS_TIMEOUT = 60.0


class FaultListError(RuntimeError):
    """`caldasa-reference faults --json` failed or printed something unexpected."""


@dataclass(frozen=True)
class Fault:
    """One deliberate defect of the reference server and the requirement it breaks."""

    name: str
    requirement: str
    description: str


def parse_faults(text: str) -> list[Fault]:
    """Parse the JSON list printed by `caldasa-reference faults --json`.

    Raises:
        FaultListError: the text is not a list of {name, requirement, description}.
    """
    try:
        raw = json.loads(text)
        return [Fault(str(item["name"]), str(item["requirement"]), str(item["description"])) for item in raw]
    except (ValueError, TypeError, KeyError) as error:
        raise FaultListError(f"unexpected output of `caldasa-reference faults --json`: {error}") from None


def list_faults() -> list[Fault]:
    """Every fault of the reference server, in registry order."""
    return parse_faults(_registry("faults"))


def parse_variants(text: str) -> list[str]:
    """The names in the JSON list printed by `caldasa-reference variants --json`.

    Raises:
        FaultListError: the text is not a list of objects with a name.
    """
    try:
        return [str(item["name"]) for item in json.loads(text)]
    except (ValueError, TypeError, KeyError) as error:
        raise FaultListError(f"unexpected output of `caldasa-reference variants --json`: {error}") from None


def list_variants() -> list[str]:
    """Every legal variant of the reference server, in registry order."""
    return parse_variants(_registry("variants"))


def _registry(command: str) -> str:
    argv = [sys.executable, "-m", "caldasa_reference", command, "--json"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=FAULTS_TIMEOUT, check=True)
    except (OSError, subprocess.SubprocessError) as error:
        raise FaultListError(f"cannot list the reference server's {command}: {error}") from None
    return done.stdout

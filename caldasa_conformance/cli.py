"""`caldasa-conformance`: the command users run."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `caldasa-conformance` console script."""
    print("caldasa-conformance: not implemented yet", file=sys.stderr)
    return 2

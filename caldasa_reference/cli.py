"""`caldasa-reference`: serve the reference server."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `caldasa-reference` console script."""
    print("caldasa-reference: not implemented yet", file=sys.stderr)
    return 2

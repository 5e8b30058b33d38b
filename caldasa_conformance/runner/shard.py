"""pytest plugin (loaded by `caldasa_conformance.plugin`): run shard K of N (the `shard` option,
`--caldasa-shard K/N` or `CALDASA_SHARD`), a stable partition of the test node ids.

A test belongs to shard `1 + sha256(nodeid) mod N`: the same on every machine and every run, independent of
collection order, so N CI jobs together run every test exactly once.
"""

from __future__ import annotations

import hashlib

import pytest

from caldasa_conformance.options import Invalid, shard
from caldasa_conformance.session import run_session


def parse_shard(text: str) -> tuple[int, int]:
    """Parse `K/N` (1 ≤ K ≤ N), validated by the option table's converter.

    Raises:
        ValueError: with a message saying what form is expected.
    """
    try:
        k, _, n = shard(text).partition("/")
    except Invalid as expected:
        raise ValueError(f"--shard expects {expected}, got {text!r}") from None
    return int(k), int(n)


def shard_of(nodeid: str, total: int) -> int:
    """The 1-based shard a node id belongs to."""
    digest = hashlib.sha256(nodeid.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % total


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect every item outside this shard."""
    session = run_session(config)
    if session is None or session.config.shard is None:
        return
    k, n = parse_shard(session.config.shard)
    kept = [item for item in items if shard_of(item.nodeid, n) == k]
    dropped = [item for item in items if shard_of(item.nodeid, n) != k]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

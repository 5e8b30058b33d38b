"""pytest plugin (loaded by `caldasa_conformance.plugin`): run shard K of N (`--caldasa-shard K/N`), a stable
partition of the test node ids.

A test belongs to shard `1 + sha256(nodeid) mod N`: the same on every machine and every run, independent of
collection order, so N CI jobs together run every test exactly once.
"""

from __future__ import annotations

import hashlib

import pytest


def parse_shard(text: str) -> tuple[int, int]:
    """Parse `K/N` (1 ≤ K ≤ N).

    Raises:
        ValueError: with a message saying what form is expected.
    """
    index, slash, total = text.partition("/")
    if not slash or not index.strip().isdigit() or not total.strip().isdigit():
        raise ValueError(f"--shard expects K/N with whole numbers, like 1/4, got {text!r}")
    k, n = int(index), int(total)
    if n < 1 or not 1 <= k <= n:
        raise ValueError(f"--shard K/N needs 1 <= K <= N, got {text!r}")
    return k, n


def shard_of(nodeid: str, total: int) -> int:
    """The 1-based shard a node id belongs to."""
    digest = hashlib.sha256(nodeid.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % total


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register `--caldasa-shard`."""
    parser.getgroup("caldasa").addoption(
        "--caldasa-shard", default=None, metavar="K/N", help="Run only shard K of N (stable by node id)."
    )


def pytest_configure(config: pytest.Config) -> None:
    """Validate the shard early, as a usage error."""
    value = config.getoption("caldasa_shard")
    if value:
        try:
            parse_shard(value)
        except ValueError as error:
            raise pytest.UsageError(str(error)) from None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect every item outside this shard."""
    value = config.getoption("caldasa_shard")
    if not value:
        return
    k, n = parse_shard(value)
    kept = [item for item in items if shard_of(item.nodeid, n) == k]
    dropped = [item for item in items if shard_of(item.nodeid, n) != k]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

"""A pytest plugin for `pytest --collect-only`: write every collected item's conformance markers as JSON.

Loaded with `-p caldasa_conformance.selftest.collect --selftest-collect-to FILE`; it changes nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caldasa_conformance.requirements import CLASSES


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--selftest-collect-to", metavar="FILE", help="write collected markers as JSON")


def _marker_args(item: pytest.Item, name: str) -> list[str]:
    return [str(arg) for marker in item.iter_markers(name) for arg in marker.args]


def pytest_collection_finish(session: pytest.Session) -> None:
    target = session.config.getoption("--selftest-collect-to")
    if not target:
        return
    items = [
        {
            "nodeid": item.nodeid,
            "classes": [name for name in CLASSES if item.get_closest_marker(name) is not None],
            "requirements": sorted(set(_marker_args(item, "req"))),
            "operations": sorted(set(_marker_args(item, "operation"))),
        }
        for item in session.items
    ]
    Path(target).write_text(json.dumps(items, indent=1), encoding="utf-8")

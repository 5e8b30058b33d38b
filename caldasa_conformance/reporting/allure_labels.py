"""pytest plugin: map the requirement model onto Allure labels (loaded by `caldasa_conformance.plugin`).

For every collected test it adds: epic = conformance class, feature = the operation's OpenAPI tag,
story = operationId, one `requirement` label per requirement id, and severity from the strongest level among
them (MUST → critical, SHOULD → normal, MAY → minor). It only acts when allure-pytest writes results
(`--alluredir`), so it is harmless everywhere else.

It also gives each test item its own identity. allure-pytest derives `testCaseId` from the test function
alone and `historyId` from it plus the pytest parameters, so the items of one `@schema.parametrize()` test
(which carry no pytest parameters, only an id like `[POST /customers]`) all shared both, and Allure showed
them as retries of one test with the last one's status. Here both ids are the md5 of the full node id.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
import yaml

from caldasa_conformance import requirements as requirement_model
from caldasa_conformance.spec import load_contract

SEVERITY_BY_LEVEL = {"MUST": "critical", "SHOULD": "normal", "MAY": "minor"}
_LEVEL_ORDER = ("MUST", "SHOULD", "MAY")
SPEC_PATH = requirement_model.OPENAPI_DIR / "caldasa.yaml"
_OPERATION_IN_NAME = re.compile(r"\[(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) (/[^\]\s]*)\]")
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@functools.cache
def requirement_levels() -> dict[str, str]:
    """Requirement id → level; empty when the requirements file cannot be read (the harness reports that)."""
    try:
        return {rid: req.level for rid, req in requirement_model.load_requirements().items()}
    except (OSError, ValueError, yaml.YAMLError):
        return {}


@functools.cache
def _operations(spec_path: Path = SPEC_PATH) -> dict[tuple[str, str], tuple[str, str]]:
    """(METHOD, path) → (operationId, first tag) of the bundled contract (empty when it is missing)."""
    try:
        spec = load_contract(spec_path).document
    except (OSError, yaml.YAMLError):
        return {}
    operations: dict[tuple[str, str], tuple[str, str]] = {}
    for path, path_item in (spec or {}).get("paths", {}).items():
        for method, operation in (path_item or {}).items():
            if method in _HTTP_METHODS and isinstance(operation, dict) and operation.get("operationId"):
                tag = (operation.get("tags") or [""])[0]
                operations[(method.upper(), path)] = (operation["operationId"], tag)
    return operations


def operation_tags() -> dict[str, str]:
    """operationId → first OpenAPI tag."""
    return dict(_operations().values())


def operations_of(item: pytest.Item) -> list[str]:
    """The item's `operation` markers, else the operation named in a Schemathesis id like `[POST /events]`."""
    marked = _marker_args(item, "operation")
    if marked:
        return marked
    match = _OPERATION_IN_NAME.search(item.name)
    found = _operations().get((match.group(1), match.group(2))) if match else None
    return [found[0]] if found else []


def _marker_args(item: pytest.Item, name: str) -> list[str]:
    return [str(arg) for marker in item.iter_markers(name=name) for arg in marker.args]


def labels_for(item: pytest.Item) -> list[tuple[str, str]]:
    """The (label type, value) pairs for one test item."""
    labels = [("epic", name) for name in requirement_model.CLASSES if item.get_closest_marker(name)]
    for operation in operations_of(item):
        tag = operation_tags().get(operation)
        if tag:
            labels.append(("feature", tag))
        labels.append(("story", operation))
    requirement_ids = _marker_args(item, "req")
    labels += [("requirement", rid) for rid in requirement_ids]
    levels = [requirement_levels().get(rid) for rid in requirement_ids]
    known = [level for level in levels if level in SEVERITY_BY_LEVEL]
    if known:
        strongest = min(known, key=_LEVEL_ORDER.index)
        labels.append(("severity", SEVERITY_BY_LEVEL[strongest]))
    return labels


def _allure_active(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "allure_report_dir", None))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Attach the labels as `allure_label` markers, which allure-pytest reads when it writes each result."""
    if not _allure_active(config):
        return
    allure_label: Any = pytest.mark.allure_label
    for item in items:
        for label_type, value in labels_for(item):
            item.add_marker(allure_label(value, label_type=label_type))


def item_identity(item: pytest.Item) -> str:
    """The item's full node id with its file part written as the module's dotted name (so that it does not
    depend on where pytest's rootdir is): `suites.schema.test_generated::test_x[POST /customers]`."""
    path, separator, rest = item.nodeid.partition("::")
    module = getattr(getattr(item, "module", None), "__name__", None)
    return f"{module or path}{separator}{rest}"


def identity_hash(identity: str) -> str:
    """The Allure `testCaseId` and `historyId` of a test with this identity (stable across runs)."""
    return hashlib.md5(identity.encode("utf-8")).hexdigest()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, Any, None]:
    """Set the ids after allure-pytest set its own (its teardown wrapper, inside this one, sets historyId)."""
    yield
    listener = item.config.pluginmanager.get_plugin("allure_listener")
    result = listener.allure_logger.get_test(None) if listener is not None else None
    if result is not None:
        result.testCaseId = result.historyId = identity_hash(item_identity(item))

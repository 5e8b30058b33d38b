"""The pytest plugin of the suite: options, markers, configuration, selection, expectations, run files.

Loaded by the root `conftest.py` (or `-p caldasa_conformance.plugin`). It loads its sub-plugins itself
(`pytest_plugins` below): sharding, Allure labels, the fixtures and the attachments, so a plain
`pytest suites --caldasa-base-url URL` gets what `caldasa-conformance run` gets; the per-class progress lines
are registered when a target is configured. It stays harmless for the project's own tests: without a target
nothing is sent and no file is written; suite tests (those with a class marker) skip with one reason.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Collection
from contextvars import Token
from pathlib import Path
from typing import Any

import pytest

from caldasa_conformance import evidence
from caldasa_conformance.budget import BUDGETS_BY_NAME
from caldasa_conformance.config import OPTIONS, ConfigError, SuiteConfig, resolve_config
from caldasa_conformance.expectations import Expectation, FileProblem, load_expectations
from caldasa_conformance.kinds import KIND_PROPERTY, test_kind
from caldasa_conformance.reporting.junit import requirements_named
from caldasa_conformance.reporting.run_files import run_totals
from caldasa_conformance.requirements import CLASSES, STATELESS_CLASSES, Requirement, load_requirements
from caldasa_conformance.runner import progress
from caldasa_conformance.scheduling import conformance_class, run_order
from caldasa_conformance.session import SESSION_KEY, RunSession, run_session
from caldasa_conformance.states import load_manifest
from caldasa_conformance.support.operations import OPERATIONS

REQUIREMENTS_KEY = pytest.StashKey[dict[str, Requirement]]()
STARTED_KEY = pytest.StashKey[float]()  # when this pytest session began (its run files are newer)
EXPECTATIONS_KEY = pytest.StashKey[list[Expectation]]()
KNOWN_KEY = pytest.StashKey[list[Expectation]]()
GLOBS_CHECKED_KEY = pytest.StashKey[bool]()  # an item's expectations that name a requirement
UNWELL_REPORTED_KEY = pytest.StashKey[bool]()  # a report of the item already gives its unwell cause
BoundLedger = tuple[evidence.Ledger, Token[evidence.Ledger | None]]
LEDGER_KEY = pytest.StashKey[BoundLedger]()  # the test's evidence ledger, bound while it runs
NO_TARGET_REASON = "no target configured: pass --caldasa-base-url URL or set CALDASA_BASE_URL"
# Imported by pytest with this module (before the command line is parsed, so their options exist).
pytest_plugins = (
    "caldasa_conformance.fixtures.client",
    "caldasa_conformance.fixtures.data",
    "caldasa_conformance.reporting.attachments",  # a test's exchanges, attached when it ends
    "caldasa_conformance.reporting.allure_labels",  # epic/feature/story/requirement/severity labels
    "caldasa_conformance.runner.shard",  # --caldasa-shard K/N
    "caldasa_conformance.support.generated",  # Schemathesis' cases, parametrized with the run's schema
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("caldasa", "Caldasa conformance suite (value order: CLI > env CALDASA_* > ini)")
    for option in OPTIONS:
        default = f" [default: {option.default}]" if option.default else ""
        group.addoption(
            option.flag,
            dest=option.ini,
            default=None,
            metavar=option.name.upper(),
            help=f"{option.help} (env {option.env}, ini {option.ini}){default}",
        )
        parser.addini(option.ini, help=option.help, default=None)


def pytest_configure(config: pytest.Config) -> None:
    for name in CLASSES:
        config.addinivalue_line("markers", f"{name}: test of the '{name}' conformance class")
    config.addinivalue_line(
        "markers", "req(*ids): requirement ids (openapi/requirements.yaml) the test checks"
    )
    config.addinivalue_line("markers", "operation(*operation_ids): operationIds the test exercises")
    config.addinivalue_line(
        "markers", "readonly: the test sends GET requests only (kept by --caldasa-profile readonly)"
    )
    suite_config = _resolve(config)
    config.stash[SESSION_KEY] = RunSession(suite_config)
    config.stash[STARTED_KEY] = time.time()
    requirements = load_requirements()
    config.stash[REQUIREMENTS_KEY] = requirements
    config.stash[EXPECTATIONS_KEY] = _load_expectations(suite_config.expectations, requirements)
    _check_manifest(suite_config.states)
    _register_hypothesis_profiles(suite_config)
    if suite_config.base_url is not None and not config.pluginmanager.has_plugin(progress.PLUGIN_NAME):
        config.pluginmanager.register(
            progress.ClassProgress(config, suite_config.report_dir / ".caldasa"), progress.PLUGIN_NAME
        )


def _resolve(config: pytest.Config) -> SuiteConfig:
    cli = {option.name: config.getoption(option.ini) for option in OPTIONS}
    ini = {option.name: config.getini(option.ini) for option in OPTIONS}
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    shared_tag = "cc-" + str(workerinput["testrunuid"])[:8] if workerinput else None
    try:
        return resolve_config(cli, os.environ, ini, default_run_tag=shared_tag)
    except ConfigError as error:
        raise pytest.UsageError(f"caldasa: {error}") from None


def _load_expectations(path: Path | None, requirement_ids: Collection[str]) -> list[Expectation]:
    if path is None:
        return []
    try:
        return load_expectations(path, requirement_ids)
    except FileProblem as problem:
        raise pytest.UsageError(f"caldasa: {problem}") from None


def _check_manifest(path: Path | None) -> None:
    """A bad manifest is one usage error now, not a set-up error in every test that asks for a state."""
    if path is not None:
        try:
            load_manifest(path)
        except FileProblem as problem:
            raise pytest.UsageError(f"caldasa: {problem}") from None


def _register_hypothesis_profiles(suite_config: SuiteConfig) -> None:
    from hypothesis import HealthCheck, Phase, settings

    for budget in BUDGETS_BY_NAME.values():
        # The smoke budget wants a verdict fast: it reports the failing example as found (with its curl
        # reproduction) instead of shrinking it, which against a slow target costs minutes per failing test.
        shrink = [Phase.shrink] if budget.shrink else []
        settings.register_profile(
            f"caldasa-{budget.name}",
            max_examples=budget.hypothesis_examples,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, *shrink],
        )
    if suite_config.base_url and not os.environ.get("HYPOTHESIS_PROFILE"):
        settings.load_profile(f"caldasa-{suite_config.budget}")


def pytest_report_header(config: pytest.Config) -> list[str]:
    session = run_session(config)
    if session is None:
        return []
    return ["caldasa: " + line for line in session.config.describe()]


def _marker_args(item: pytest.Item, name: str) -> list[str]:
    return [str(arg) for mark in item.iter_markers(name) for arg in mark.args]


_LABEL = re.compile(r"\[(GET|PUT|POST|DELETE|PATCH) (/[^\]]*)\]")


def item_operations(item: pytest.Item) -> list[str]:
    """operationIds of a test: its `operation` markers, else the `[METHOD /path]` of a Schemathesis item."""
    named = _marker_args(item, "operation")
    if named:
        return named
    match = _LABEL.search(item.name)
    if match is None:
        return []
    by_label = {(method, path): op for op, (method, path) in OPERATIONS.items()}
    operation = by_label.get((match.group(1), match.group(2)))
    return [operation] if operation else []


def _validate_markers(item: pytest.Item, requirements: dict[str, Requirement]) -> None:
    for operation_id in _marker_args(item, "operation"):
        if operation_id not in OPERATIONS:
            raise pytest.UsageError(f"caldasa: {item.nodeid} names unknown operationId {operation_id!r}")
    for requirement_id in _marker_args(item, "req"):
        if requirement_id not in requirements:
            raise pytest.UsageError(
                f"caldasa: {item.nodeid} cites unknown requirement id {requirement_id!r} "
                "(see openapi/requirements.yaml)"
            )


def _keep(item: pytest.Item, suite_config: SuiteConfig, klass: str) -> bool:
    if suite_config.profile == "mock" and klass not in STATELESS_CLASSES:
        return False
    if suite_config.profile == "readonly":
        return item.get_closest_marker("readonly") is not None or "[GET " in item.name
    return True


def _apply_expectations(item: pytest.Item, expectations: list[Expectation]) -> set[Expectation]:
    """Mark `item` by the expectations that select it; return those.

    A test-only expectation makes the test a strict xfail; one that names a requirement is kept on the item
    and judged against the failure itself (`pytest_runtest_makereport`).
    """
    selected = {entry for entry in expectations if entry.selects(item.nodeid)}
    for entry in selected:
        if entry.requirement is None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"known failure: {entry.reason}"))
    item.stash[KNOWN_KEY] = [entry for entry in selected if entry.requirement is not None]
    return selected


def _check_every_glob_selects(expectations: list[Expectation], used: set[Expectation], path: Path) -> None:
    unused = [entry for entry in expectations if entry.test is not None and entry not in used]
    if unused:
        raise pytest.UsageError(
            f"caldasa: {unused[0].where(path)}: test {unused[0].test!r} matches no selected test: "
            "fix the glob, or drop the expectation"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """With xdist the workers collect: the controller checks the globs against what the first one kept."""
    config = node.config
    suite_config = config.stash[SESSION_KEY].config
    if suite_config.expectations is None or config.stash.get(GLOBS_CHECKED_KEY, False):
        return
    config.stash[GLOBS_CHECKED_KEY] = True
    expectations = config.stash[EXPECTATIONS_KEY]
    used = {entry for entry in expectations if any(entry.selects(nodeid) for nodeid in ids)}
    try:
        _check_every_glob_selects(expectations, used, suite_config.expectations)
    except pytest.UsageError as error:
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)


def _report_blocked(report: pytest.TestReport, call: pytest.CallInfo[None]) -> None:
    """A set-up that cannot proceed, and broke no rule by its answer, is blocked: a skip with its cause."""
    from caldasa_conformance.fixtures.data import SetupFailed

    error = call.excinfo.value if call.excinfo is not None else None
    if isinstance(error, SetupFailed) and error.requirement is None and report.failed:
        report.outcome = "skipped"
        report.longrepr = (str(item_path(report)), 0, f"blocked: could not build test data: {error}")


def _report_unwell_target(item: pytest.Item, report: pytest.TestReport, session: RunSession | None) -> None:
    """A test that met an unwell answer ends with that cause, once: not with what followed from it (a
    model out of step, a set-up error) nor with Hypothesis' complaint that a replay did not reproduce it.

    Only its first failing phase says so: a teardown that fails after it (the session's cleanup, run in the
    last test's teardown) keeps its own words, and the reports count the test once (`read_outcomes`).
    """
    unwell = session.health.first_for_test() if session is not None else None
    if report.failed and unwell is not None and not item.stash.get(UNWELL_REPORTED_KEY, False):
        report.longrepr = str(unwell)
        item.stash[UNWELL_REPORTED_KEY] = True


def item_path(report: pytest.TestReport) -> str:
    return report.location[0] if report.location else report.nodeid


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failure that names only expected requirements is a known failure; a requirement whose check held
    despite its expectation is an unexpected pass (strict)."""
    outcome = yield
    known = item.stash.get(KNOWN_KEY, [])
    report = outcome.get_result()
    _report_blocked(report, call)
    _report_unwell_target(item, report, run_session(item.config))
    if not known or report.when != "call":
        return
    expected = {entry.requirement for entry in known}
    if report.failed:
        named = set(requirements_named(str(report.longrepr)) or _marker_args(item, "req"))
        if named and named <= expected:
            report.outcome = "skipped"
            report.wasxfail = "known failure: " + "; ".join(e.reason for e in known if e.requirement in named)
        return
    evaluated = {
        rid for key, value in item.user_properties if key == "caldasa_evaluated" for rid in str(value).split()
    }
    held = sorted(rid for rid in expected & evaluated if rid is not None)
    if report.passed and held:
        report.outcome = "failed"
        report.longrepr = f"[XPASS(strict)] the known failure of {', '.join(held)} did not happen: it held"


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    suite_config = config.stash[SESSION_KEY].config
    requirements = config.stash[REQUIREMENTS_KEY]
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    used: set[Expectation] = set()
    for item in items:
        klass = conformance_class(item)
        if klass is None:
            kept.append(item)
            continue
        _validate_markers(item, requirements)
        if not _keep(item, suite_config, klass):
            deselected.append(item)
            continue
        kept.append(item)
        item.user_properties.append(("caldasa_class", klass))
        item.user_properties.append(("caldasa_requirements", " ".join(_marker_args(item, "req"))))
        item.user_properties.append(("caldasa_operation", " ".join(item_operations(item))))
        item.user_properties.append((KIND_PROPERTY, test_kind(item)))
        if suite_config.base_url is None:
            item.add_marker(pytest.mark.skip(reason=NO_TARGET_REASON))
        used |= _apply_expectations(item, config.stash[EXPECTATIONS_KEY])
    if suite_config.expectations is not None and not hasattr(config, "workerinput"):
        _check_every_glob_selects(config.stash[EXPECTATIONS_KEY], used, suite_config.expectations)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    items[:] = run_order(kept, int(workerinput["workercount"]) if workerinput else 1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Any:
    """Bind the test's evidence ledger: checks that hold from now on (set-up included) are its evidence."""
    session = run_session(item.config)
    if conformance_class(item) is not None and session is not None:
        ledger = evidence.Ledger(enforce_policies=session.enforces_policies)
        item.stash[LEDGER_KEY] = (ledger, evidence.bind(ledger))
        session.health.start_test()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Record which requirements the test really evaluated (`caldasa_evaluated`), whatever its outcome."""
    yield
    ledger = _unbind_ledger(item)
    if ledger is None:
        return
    item.user_properties.append(("caldasa_evaluated", " ".join(ledger.evaluated())))
    if ledger.notes():
        item.user_properties.append(("caldasa_notes", "\n".join(ledger.notes())))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    _unbind_ledger(item)  # the set-up failed, so the call never ran: the next test must not inherit it


def _unbind_ledger(item: pytest.Item) -> evidence.Ledger | None:
    """End the test's ledger (once; teardown's checks are no evidence, cleanup is not the test)."""
    bound = item.stash.get(LEDGER_KEY, None)
    if bound is None:
        return None
    del item.stash[LEDGER_KEY]
    ledger, token = bound
    evidence.unbind(token)
    return ledger


@pytest.hookimpl(trylast=True)  # after pytest's own teardown of what is left of the session's fixtures
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    run = run_session(session.config)
    if run is not None:
        run.close_clients()  # the cleanup stack has run: nothing needs them any more
        run.receiver.close()
    if run is None or run.config.base_url is None:
        return
    # The session's own worker id, not the environment's: a pytester run inside an xdist worker inherits it.
    workerinput: dict[str, Any] | None = getattr(session.config, "workerinput", None)
    worker = str(workerinput["workerid"]) if workerinput else "main"
    directory = run.config.report_dir / ".caldasa"
    directory.mkdir(parents=True, exist_ok=True)
    requests = {
        "requests": run.requests.requests,
        "retries_429": run.requests.retries_429,
        **run.health.counts,
    }
    (directory / f"requests-{worker}.json").write_text(json.dumps(requests), encoding="utf-8")
    (directory / f"leftovers-{worker}.json").write_text(json.dumps(run.leftovers, indent=2), encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    run = run_session(config)
    if run is None or run.config.base_url is None:
        return
    # Every process of this session (xdist workers included) has written its files by now.
    counters, leftovers = run_totals(run.config.report_dir, since=config.stash[STARTED_KEY])
    terminalreporter.write_line(
        f"caldasa: {counters['requests']} requests sent, {counters['retries_429']} retried after 429, "
        f"{len(leftovers)} entities the tests could not remove (run tag {run.config.run_tag})"
    )

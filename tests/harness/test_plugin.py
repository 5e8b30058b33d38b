"""The pytest plugin, exercised in isolated pytest runs (pytester)."""

from __future__ import annotations

import json

import pytest

pytest_plugins = ["pytester"]

SUITE_TEST = """
import pytest

@pytest.mark.schema
@pytest.mark.req("S1")
@pytest.mark.operation("getCustomer")
def test_schema(caldasa_config):
    pass

def test_plain():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    for name in (
        "CALDASA_BASE_URL",
        "CALDASA_TOKEN",
        "CALDASA_TOKEN_SECONDARY",
        "CALDASA_BUDGET",
        "CALDASA_PROFILE",
        "HYPOTHESIS_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    pytester.makeconftest('pytest_plugins = ["caldasa_conformance.plugin"]')
    pytester.makepyfile(test_suite=SUITE_TEST)
    return pytester


def test_suite_tests_skip_with_one_reason_without_a_target(suite: pytest.Pytester) -> None:
    result = suite.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["*no target configured: pass --caldasa-base-url URL or set CALDASA_BASE_URL*"]
    )


def test_header_shows_values_and_sources_cli_over_env_over_ini(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite.makeini("[pytest]\ncaldasa_budget = deep\ncaldasa_timeout = 4\ncaldasa_profile = readonly\n")
    monkeypatch.setenv("CALDASA_BUDGET", "smoke")
    monkeypatch.setenv("CALDASA_PROFILE", "mock")
    monkeypatch.setenv("CALDASA_TOKEN", "very-secret-token")
    result = suite.runpytest("--caldasa-profile", "staging")
    result.stdout.fnmatch_lines(
        [
            "caldasa: profile: staging (from cli)",
            "caldasa: budget: smoke (from env CALDASA_BUDGET)",
            "caldasa: timeout: 4.0 (from ini caldasa_timeout)",
            "caldasa: token: [[]REDACTED[]] (from env CALDASA_TOKEN)",
        ]
    )
    assert "very-secret-token" not in result.stdout.str()


def test_bad_value_is_a_one_line_usage_error(suite: pytest.Pytester) -> None:
    result = suite.runpytest("--caldasa-budget", "huge")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: caldasa: invalid --caldasa-budget='huge' (from cli): expected one of smoke, default, deep"]
    )


def test_markers_are_registered_for_strict_markers(suite: pytest.Pytester) -> None:
    result = suite.runpytest("--strict-markers", "--markers")
    result.stdout.fnmatch_lines(
        ["@pytest.mark.schema:*", "@pytest.mark.req(*ids)*", "@pytest.mark.operation(*"]
    )


def test_unknown_requirement_id_is_rejected_at_collection(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_typo="""
import pytest

@pytest.mark.http
@pytest.mark.req("T77")
def test_typo():
    pass
"""
    )
    result = suite.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_typo.py::test_typo cites unknown requirement id 'T77'*"])


def test_expectations_become_strict_xfails(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_known="""
import pytest

from caldasa_conformance import evidence

@pytest.mark.tenancy
@pytest.mark.req("T1")
def test_known_failure():
    assert False

@pytest.mark.tenancy
@pytest.mark.req("T1")
def test_fixed_meanwhile():
    evidence.held("T1")

@pytest.mark.tenancy
@pytest.mark.req("T1")
def test_never_evaluates_t1():
    pass
"""
    )
    suite.makefile(".yaml", expectations="expectations:\n  - requirement: T1\n    reason: leaks, ticket 42\n")
    result = suite.runpytest(
        "--caldasa-base-url",
        "http://127.0.0.1:9",
        "--caldasa-expectations",
        "expectations.yaml",
        "test_known.py",
        "-p",
        "no:cacheprovider",
    )
    result.assert_outcomes(xfailed=1, failed=1, passed=1)
    result.stdout.fnmatch_lines(["*XPASS(strict)*the known failure of T1 did not happen*"])


def test_mock_profile_deselects_stateful_classes(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_stateful="""
import pytest

@pytest.mark.bookings
@pytest.mark.req("B1")
def test_b1():
    pass
"""
    )
    result = suite.runpytest("--caldasa-profile", "mock", "test_stateful.py", "test_suite.py")
    result.assert_outcomes(passed=1, skipped=1, deselected=1)


def test_readonly_profile_keeps_only_get_tests(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_ro="""
import pytest

@pytest.mark.pagination
@pytest.mark.readonly
@pytest.mark.req("T3")
def test_reads():
    pass

@pytest.mark.http
@pytest.mark.req("T8")
def test_writes():
    pass
"""
    )
    result = suite.runpytest("--caldasa-profile", "readonly", "test_ro.py")
    result.assert_outcomes(skipped=1, deselected=1)


def test_junit_properties_name_class_requirements_and_operation(suite: pytest.Pytester) -> None:
    result = suite.runpytest("--junitxml=junit.xml")
    result.assert_outcomes(passed=1, skipped=1)
    xml = (suite.path / "junit.xml").read_text()
    assert '<property name="caldasa_class" value="schema"' in xml
    assert '<property name="caldasa_requirements" value="S1"' in xml
    assert '<property name="caldasa_operation" value="getCustomer"' in xml
    assert '<property name="caldasa_kind" value="fixed"' in xml


def test_generative_only_keeps_the_hypothesis_driven_tests(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_kinds_mix="""
import pytest
from hypothesis import given, strategies as st

@pytest.mark.errors
@pytest.mark.req("V1")
@given(st.integers())
def test_drawn(number):
    pass

@pytest.mark.errors
@pytest.mark.req("V1")
def test_fixed():
    pass
"""
    )
    result = suite.runpytest(
        "-p", "caldasa_conformance.generative_only", "test_kinds_mix.py", "--junitxml=k.xml"
    )
    result.assert_outcomes(
        skipped=1, deselected=1
    )  # no target: the generative test skips, the fixed one is gone
    assert '<property name="caldasa_kind" value="generative"' in (suite.path / "k.xml").read_text()


def test_run_files_are_written_when_a_target_is_configured(suite: pytest.Pytester) -> None:
    result = suite.runpytest(
        "--caldasa-base-url", "http://127.0.0.1:9", "--caldasa-report-dir", "out", "-k", "test_plain"
    )
    result.assert_outcomes(passed=1, deselected=1)
    counts = json.loads((suite.path / "out" / ".caldasa" / "requests-main.json").read_text())
    assert isinstance(counts["requests"], int)
    assert (suite.path / "out" / ".caldasa" / "leftovers-main.json").read_text() == "[]"


def test_schemathesis_style_item_names_map_to_operation_ids() -> None:
    from caldasa_conformance.plugin import item_operations

    class Item:
        name = "test_generated[POST /customers/{customerId}/notes]"

        def iter_markers(self, name: str) -> list[object]:
            return []

    assert item_operations(Item()) == ["createCustomerNote"]  # type: ignore[arg-type]


def test_the_run_order_places_every_class_once_with_the_stateless_ones_first() -> None:
    """A class missing from RUN_ORDER would run last unnoticed; a stateful one early would slow fail-fast."""
    from caldasa_conformance.requirements import CLASSES, STATELESS_CLASSES
    from caldasa_conformance.scheduling import RUN_ORDER

    assert sorted(RUN_ORDER) == sorted(CLASSES)
    assert set(RUN_ORDER[: len(STATELESS_CLASSES)]) == set(STATELESS_CLASSES)


class _Item:
    """Just enough of a collected item for the run order: its class marker and whether it is a machine."""

    def __init__(self, name: str, klass: str, machine: bool = False) -> None:
        self.name, self.machine = name, machine
        self.mark = pytest.mark.__getattr__(klass).mark

    def iter_markers(self, name: str | None = None) -> list[object]:
        return [self.mark]

    @property
    def obj(self) -> object:
        """The test method: a machine's names its machine class, as `WorkflowMachine.test_case()` does."""
        from caldasa_conformance.workflows.world_machine import WorldMachine

        test_case = WorldMachine.test_case()
        return test_case.runTest if self.machine else lambda: None

    def __repr__(self) -> str:
        return self.name


def _worksteal_shares(items: list[object], workers: int) -> list[list[object]]:
    """pytest-xdist's worksteal start: worker i takes the next `remaining // (workers - i)` items."""
    shares, start = [], 0
    for worker in range(workers):
        size = (len(items) - start) // (workers - worker)
        shares.append(items[start : start + size])
        start += size
    return shares


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_with_several_workers_every_share_starts_with_its_machines(workers: int) -> None:
    from caldasa_conformance.scheduling import run_order

    classes = ["bookings", "catalog", "events"]
    machines = [_Item(f"m{n}", klass, machine=True) for n, klass in enumerate(classes)]
    fixed = [_Item(f"f{n}", ["schema", "auth", "bookings"][n % 3]) for n in range(40)]
    ordered = run_order([*fixed, *machines], workers)  # type: ignore[list-item]
    assert sorted(map(repr, ordered)) == sorted(map(repr, [*fixed, *machines]))
    dealing = [
        machines[0],
        machines[2],
        machines[1],
    ]  # longest-running classes first: bookings, events, catalog
    for worker, share in enumerate(_worksteal_shares(ordered, workers)):
        dealt = dealing[worker::workers]
        assert share[: len(dealt)] == dealt
        assert not any(item.machine for item in share[len(dealt) :])  # type: ignore[attr-defined]


def test_with_one_worker_the_cheap_and_wide_classes_run_first() -> None:
    from caldasa_conformance.scheduling import run_order

    items = [_Item("m", "bookings", machine=True), _Item("b", "bookings"), _Item("s", "schema")]
    assert [i.name for i in run_order(items, 1)] == ["s", "m", "b"]  # type: ignore[arg-type]

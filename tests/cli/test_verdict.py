"""The verdict says what was verified: CONFORMANT only when a check ran and held, NOTHING VERIFIED otherwise
(exit 2 when the configuration is why, else 1), and --strict fails on an unverified MUST requirement."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import TOKEN, clean_env


def _run(run_cli, fake_target: str, suite: Path, *args: str, **env: str):
    return run_cli(
        "run", "--base-url", fake_target, "--suite-path", str(suite), *args,
        env=clean_env(CALDASA_TOKEN=TOKEN, **env),
    )  # fmt: skip


def test_conformant_names_its_scope(run_cli, fake_target: str, stand_in_suite: Path) -> None:
    result = _run(run_cli, fake_target, stand_in_suite)
    assert result.code == 0, result.stdout + result.stderr
    summary = result.summary()
    assert summary["requirements"]["S1"] == "verified"
    assert summary["requirements"]["B2"] == "unverified"
    assert summary["unverified"]["B2"] == "skipped: provider state not available"
    verified, total = summary["scope"]["verified"], summary["scope"]["requirements"]
    assert f"CONFORMANT: {verified}/{total} requirements verified (" in result.stdout
    assert "B2: skipped: provider state not available" in result.stdout  # listed among unverified MUSTs
    assert "### Unverified MUST requirements" in (result.report_dir / "summary.md").read_text()


def test_tests_that_evaluate_nothing_verify_nothing(run_cli, fake_target: str, stand_in_suite: Path) -> None:
    result = _run(run_cli, fake_target, stand_in_suite, FAKE_VACUOUS="1")
    assert result.code == 1, result.stdout + result.stderr
    assert "NOTHING VERIFIED: 0/" in result.stdout
    assert result.summary()["unverified"]["S1"] == "a test passed without evaluating it"


def test_no_test_run_is_a_configuration_error(run_cli, stand_in_suite: Path) -> None:
    reports = str(stand_in_suite.parent / "reports")
    result = run_cli(
        "run", "--suite-path", str(stand_in_suite), "--report-dir", reports, "--", "--collect-only"
    )
    assert result.code == 2, result.stdout + result.stderr
    assert "NOTHING VERIFIED" in result.stdout
    assert "no test ran" in result.stdout


def test_every_test_skipped_for_a_missing_token_exits_2(
    run_cli, fake_target: str, stand_in_suite: Path
) -> None:
    result = _run(run_cli, fake_target, stand_in_suite, "--classes", "tenancy")
    assert result.code == 2, result.stdout + result.stderr
    assert "NOTHING VERIFIED" in result.stdout
    assert "CALDASA_TOKEN_SECONDARY" in result.stdout


def test_strict_fails_on_an_unverified_must_requirement(
    run_cli, fake_target: str, stand_in_suite: Path
) -> None:
    result = _run(run_cli, fake_target, stand_in_suite, "--strict", "--classes", "bookings")
    assert result.code == 1, result.stdout + result.stderr
    assert "NOT CERTIFIED" in result.stdout
    assert "B2" in result.summary()["scope"]["unverified_must"]


def test_a_setup_broken_by_the_target_fails_the_rule_it_broke(run_cli) -> None:
    """With createCustomer answering an undocumented 200, the world cannot be built: that is S2's failure,
    not a failure of S1 or S3, which the schema tests were about to check."""
    args = ("--classes", "schema", "--budget", "smoke", "--reference-fault", "undocumented-status")
    result = run_cli("run", *args, "--seed", "7")
    assert result.code == 1, result.stdout + result.stderr
    statuses = result.summary()["requirements"]
    assert statuses["S2"] == "failed"
    assert statuses["S1"] != "failed"
    assert statuses["S3"] != "failed"

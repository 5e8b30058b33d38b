"""`--workers`: a whole number of at least 1, or `auto`, sized once the target is known (`runner.sizing`)."""

from __future__ import annotations

import dataclasses
import os

import pytest

from caldasa_conformance.cli import build_parser
from caldasa_conformance.runner.options import (
    AUTO_WORKERS,
    RunOptions,
    UsageError,
    _workers,
    options_from_args,
)
from caldasa_conformance.runner.run import _sized_workers
from caldasa_conformance.runner.sizing import (
    CPU_PER_REQUEST_S,
    LOCAL_RTT_S,
    MAX_WORKERS,
    auto_workers,
)


def test_auto_is_left_for_the_runner_to_size() -> None:
    assert _workers("auto") == AUTO_WORKERS


def test_a_number_is_taken_as_given() -> None:
    assert _workers("3") == 3


@pytest.mark.parametrize("text", ["0", "-1", "many", "2.5", ""])
def test_anything_else_says_what_is_expected(text: str) -> None:
    with pytest.raises(UsageError, match="at least 1 or 'auto'"):
        _workers(text)


@pytest.mark.parametrize("cores", [1, 2, 8])
def test_a_local_or_unmeasured_target_gets_one_worker_per_core(cores: int) -> None:
    assert auto_workers(None, cores) == cores
    assert auto_workers(0.001, cores) == cores
    assert auto_workers(LOCAL_RTT_S / 2, cores) == cores


def test_a_distant_target_gets_more_workers_than_cores_up_to_the_cap() -> None:
    assert auto_workers(0.040, 2) == MAX_WORKERS  # 2 * 45 / 5 = 18 wanted, capped
    assert auto_workers(0.040, 1) == 4  # at most four per core
    assert auto_workers(1.0, 4) == MAX_WORKERS
    assert auto_workers(1.0, 16) == 16  # never fewer than one per core


def test_the_count_grows_with_the_round_trip_between_the_bounds() -> None:
    counts = [auto_workers(rtt, 2) for rtt in (0.005, 0.010, 0.020, 0.040, 0.200)]
    assert counts == sorted(counts)
    assert auto_workers(0.005, 2) == 4  # 2 * (5 + 5) / 5: each round trip hides one more request's CPU
    assert auto_workers(0.0075, 2, cpu_per_request_s=CPU_PER_REQUEST_S) == 5


def test_more_cores_never_get_fewer_workers() -> None:
    for rtt in (None, 0.002, 0.010, 0.040):
        counts = [auto_workers(rtt, cores) for cores in range(1, 17)]
        assert counts == sorted(counts)
        assert all(count >= min(cores, MAX_WORKERS) for cores, count in enumerate(counts, 1))


def test_zero_cores_count_as_one() -> None:
    assert auto_workers(None, 0) == 1


def _options(**changes: object) -> RunOptions:
    """`run`'s options as the CLI gives them for `caldasa-conformance run` with no other flag."""
    options = options_from_args(build_parser().parse_args(["run"]))
    return dataclasses.replace(options, **changes)  # type: ignore[arg-type]


def test_auto_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALDASA_WORKERS", raising=False)
    assert _options().workers == AUTO_WORKERS


def test_caldasa_workers_sets_the_default_and_the_option_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALDASA_WORKERS", "3")
    assert _options().workers == 3
    assert options_from_args(build_parser().parse_args(["run", "--workers", "2"])).workers == 2
    monkeypatch.setenv("CALDASA_WORKERS", "many")
    with pytest.raises(UsageError, match="CALDASA_WORKERS: expected"):
        _options()


def test_auto_runs_one_worker_for_a_fixed_receiver_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """A tunnel's fixed port can be bound by one process only: auto then stays at one worker."""
    monkeypatch.delenv("CALDASA_WORKERS", raising=False)
    sized = _sized_workers(_options(webhook_receiver_port=8099), rtt=0.040)
    assert sized.workers == 1
    assert _sized_workers(_options(), rtt=0.040).workers == auto_workers(0.040, os.cpu_count() or 1)

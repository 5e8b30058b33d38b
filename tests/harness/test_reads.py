"""`workflows.reads`: an invariant's reads go out at once and come back in the order they were asked."""

from __future__ import annotations

import threading
import time

import pytest

from caldasa_conformance import evidence
from caldasa_conformance.workflows.reads import MAX_IN_FLIGHT, read_all, read_groups


def test_answers_keep_the_callers_order_whatever_finishes_first() -> None:
    def late(value: int) -> int:
        time.sleep(0.01 * (5 - value))  # the first asked finishes last
        return value

    assert read_all([lambda v=v: late(v) for v in range(5)]) == [0, 1, 2, 3, 4]


def test_reads_overlap_but_never_more_than_the_bound() -> None:
    lock, in_flight, peak = threading.Lock(), [0], [0]

    def read() -> None:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.02)
        with lock:
            in_flight[0] -= 1

    read_all([read] * (MAX_IN_FLIGHT * 2))
    assert 1 < peak[0] <= MAX_IN_FLIGHT


def test_the_first_failure_in_call_order_is_raised_after_all_ended() -> None:
    ended: list[int] = []

    def read(value: int) -> int:
        ended.append(value)
        if value in (1, 3):
            raise ValueError(f"read {value}")
        return value

    with pytest.raises(ValueError, match="read 1"):
        read_all([lambda v=v: read(v) for v in range(5)])
    assert sorted(ended) == [0, 1, 2, 3, 4]


def test_what_a_read_records_is_the_running_tests_evidence() -> None:
    with evidence.recording() as ledger:
        read_all([lambda: evidence.held("T8"), lambda: evidence.held("T7")])
    assert ledger.evaluated() == ("T7", "T8")


def test_groups_come_back_as_they_were_asked() -> None:
    assert read_groups([lambda: 1, lambda: 2], [], [lambda: 3]) == [[1, 2], [], [3]]

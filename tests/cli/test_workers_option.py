"""`--workers`: a whole number of at least 1, or `auto` for one worker per CPU."""

from __future__ import annotations

import os

import pytest

from caldasa_conformance.runner.options import UsageError, _workers


def test_auto_is_one_worker_per_cpu() -> None:
    assert _workers("auto") == (os.cpu_count() or 1)


def test_a_number_is_taken_as_given() -> None:
    assert _workers("3") == 3


@pytest.mark.parametrize("text", ["0", "-1", "many", "2.5", ""])
def test_anything_else_says_what_is_expected(text: str) -> None:
    with pytest.raises(UsageError, match="at least 1 or 'auto'"):
        _workers(text)

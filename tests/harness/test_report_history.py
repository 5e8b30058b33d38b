"""Rendering one run twice (HTML, then single-file) counts it once in the Allure history."""

from __future__ import annotations

from pathlib import Path

from caldasa_conformance.runner.html import _history_as_before_this_run


def _render(report_dir: Path, point: str) -> None:
    """What `report` does to the history: restore it as before this run, then Allure appends the run."""
    _history_as_before_this_run(report_dir)
    with (report_dir / "history.jsonl").open("a", encoding="utf-8") as history:
        history.write(point + "\n")


def test_a_second_render_of_the_same_run_does_not_add_it_again(tmp_path: Path) -> None:
    (tmp_path / "history.jsonl").write_text("earlier run\n", encoding="utf-8")
    _render(tmp_path, "this run")
    _render(tmp_path, "this run, rendered again")
    history = (tmp_path / "history.jsonl").read_text(encoding="utf-8")
    assert history == "earlier run\nthis run, rendered again\n"


def test_the_first_run_without_history_renders_twice_as_one(tmp_path: Path) -> None:
    _render(tmp_path, "first")
    _render(tmp_path, "first again")
    assert (tmp_path / "history.jsonl").read_text(encoding="utf-8") == "first again\n"

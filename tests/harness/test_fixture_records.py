"""The Allure results keep the fixture records that tell something about a test, and only those."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from caldasa_conformance.reporting.allure_extras import trim_fixture_records
from caldasa_conformance.runner.html import HIDDEN_LABELS, allure_config


def _record(name: str, status: str | None = "passed", **extra: Any) -> dict[str, Any]:
    return {"name": name, "status": status, "steps": [], "attachments": [], "start": 1, "stop": 2, **extra}


def _container(results: Path, name: str, children: int, befores: list[Any], afters: list[Any]) -> Path:
    path = results / f"{name}-container.json"
    kids = [f"t{i}" for i in range(children)]
    body = {"uuid": name, "children": kids, "befores": befores, "afters": afters}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_records_that_say_nothing_are_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    attachment = [{"name": "requests (1)", "source": "a-attachment.txt", "type": "text/plain"}]
    failed = _record("api", "broken", statusDetails={"message": "token rejected"})
    lambda_after = _record("x::<lambda>", None)
    session = _container(tmp_path, "session", 300, [_record("caldasa_config")], [lambda_after])
    shared = _container(
        tmp_path,
        "shared",
        5,
        [failed, _record("cleanup")],
        [_record("cleanup::1", attachments=attachment), _record("cleanup::<lambda>", None)],
    )
    own_afters = [_record("world::1"), _record("world::<lambda>", None)]
    own = _container(tmp_path, "own", 1, [_record("world")], own_afters)
    assert trim_fixture_records(tmp_path) == 5
    assert not session.exists()  # nothing left in it
    kept = json.loads(shared.read_text(encoding="utf-8"))
    assert [record["name"] for record in kept["befores"]] == ["api"]
    assert [record["name"] for record in kept["afters"]] == ["cleanup::1"]
    mine = json.loads(own.read_text(encoding="utf-8"))  # a fixture of one test is part of that test
    assert [record["name"] for record in mine["befores"] + mine["afters"]] == ["world", "world::1"]
    assert trim_fixture_records(tmp_path) == 0


def test_the_report_hides_the_labels_every_test_shares() -> None:
    config = allure_config(Path("/out"), Path("/reports"), single_file=True, name="x")
    body = json.loads(config.removeprefix("export default ").rstrip().removesuffix(";"))
    assert body["hideLabels"] == list(HIDDEN_LABELS)
    assert not {"epic", "feature", "story", "requirement", "severity", "tag"} & set(HIDDEN_LABELS)


def test_a_private_fixture_of_one_test_goes_unless_it_tells_something(tmp_path: Path) -> None:
    failed = _record("_bind", "broken", statusDetails={"message": "no target"})
    quiet = _container(tmp_path, "quiet", 1, [_record("_bind_workflow_target")], [])
    loud = _container(tmp_path, "loud", 1, [failed], [])
    assert trim_fixture_records(tmp_path) == 1
    assert not quiet.exists()
    assert [record["name"] for record in json.loads(loud.read_text(encoding="utf-8"))["befores"]] == ["_bind"]


def test_the_timeline_leaves_out_the_short_tests() -> None:
    config = allure_config(Path("/out"), Path("/reports"), single_file=True, name="x")
    body = json.loads(config.removeprefix("export default ").rstrip().removesuffix(";"))
    assert body["plugins"]["awesome"]["options"]["timeline"]["minDuration"] >= 10


def test_a_single_file_report_keeps_a_few_runs_of_history_a_hosted_one_all() -> None:
    def options(single_file: bool) -> dict[str, Any]:
        text = allure_config(Path("/out"), Path("/reports"), single_file=single_file, name="x")
        parsed: dict[str, Any] = json.loads(text.removeprefix("export default ").rstrip().removesuffix(";"))
        return parsed

    assert 1 <= options(single_file=True)["historyLimit"] <= 5
    assert "historyLimit" not in options(single_file=False)

"""Schemathesis' generated cases get real ids in their paths: every operation with an id in its path meets
its 2xx branch at the default budget, and a share of cases still meets the 404 branch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

from caldasa_conformance.support.path_ids import (
    fill_path,
    is_destructive,
    read_status_classes,
    record_status,
)
from tests.harness.reference_server import reference_server

ROOT = Path(__file__).resolve().parents[2]
# Operations whose 2xx the generated test cannot meet, with the reason.
NO_2XX = {
    "sendTestEvent": "needs an active subscription; the suite's webhooks stay inactive, nothing is sent out",
}


def _case(path: dict[str, str], body: Any = None) -> Any:
    return SimpleNamespace(path_parameters=dict(path), body=body, meta=None)


def test_a_share_keeps_random_ids_and_the_rest_get_a_set_naming_every_parameter() -> None:
    sets = [{"locationId": "L1"}, {"locationId": "L2", "staffMemberId": "S2"}]
    kept = filled = 0
    for index in range(400):
        case = fill_path(_case({"locationId": f"rnd-{index}", "staffMemberId": f"rs-{index}"}), sets)
        if case.path_parameters["locationId"].startswith("rnd-"):
            kept += 1
        else:
            assert case.path_parameters == {"locationId": "L2", "staffMemberId": "S2"}
            filled += 1
    assert 0.15 < kept / 400 < 0.35, kept  # about 1 / RANDOM_SHARE
    assert filled > 0


def test_the_choice_depends_on_the_generated_values_only() -> None:
    sets = [{"locationId": "L1"}, {"locationId": "L2"}]
    first = [fill_path(_case({"locationId": f"v{i}"}), sets).path_parameters for i in range(50)]
    again = [fill_path(_case({"locationId": f"v{i}"}), sets).path_parameters for i in range(50)]
    assert first == again
    assert {"L1", "L2"} <= {p["locationId"] for p in first}


def test_a_filled_positive_body_gets_the_sets_location_and_an_ordered_window() -> None:
    body = {
        "businessLocationId": "random",
        "startsAt": "2031-05-01T10:00:00Z",
        "endsAt": "2019-01-01T00:00:00Z",
    }
    for index in range(20):
        case = fill_path(
            _case({"staffMemberId": f"s{index}"}, dict(body)), [{"staffMemberId": "S", "locationId": "L"}]
        )
        if case.path_parameters["staffMemberId"] == "S":
            assert case.body["businessLocationId"] == "L"
            assert "2031-05-01T10:00:00Z" < case.body["endsAt"] < "2031-05-01T18:01:00Z"
            return
    raise AssertionError("no case was filled")


def test_reads_and_creates_share_sets_and_every_other_operation_gets_its_own() -> None:
    assert [is_destructive(op) for op in ("getLocation", "listStaffShifts", "createStaffShift")] == [
        False
    ] * 3
    assert all(is_destructive(op) for op in ("deleteLocation", "updateWebhook", "cancelEvent"))


def test_status_classes_are_read_from_every_process_log(tmp_path: Path) -> None:
    record_status(tmp_path, "getLocation", 200, True)
    record_status(tmp_path, "getLocation", 404, False)
    (tmp_path / ".caldasa" / "statuses-1.jsonl").write_text(
        '{"operationId": "getStaffMember", "status": 404, "realIds": false}\n', encoding="utf-8"
    )
    assert read_status_classes(tmp_path) == {"getLocation": {"2xx", "4xx"}, "getStaffMember": {"4xx"}}


def _operations_with_path_ids() -> list[str]:
    document = yaml.safe_load((ROOT / "openapi" / "caldasa.yaml").read_text(encoding="utf-8"))
    return [
        operation["operationId"]
        for path, item in document["paths"].items()
        if "{" in path
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_every_operation_with_an_id_in_its_path_meets_its_2xx_branch(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    with reference_server() as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CALDASA_", "PYTEST_"))}
        env.update(server.env, CALDASA_BUDGET="default", CALDASA_REPORT_DIR=str(reports))
        command = [
            sys.executable,
            "-m",
            "pytest",
            "suites/schema/test_generated.py",
            "-q",
            "-p",
            "no:randomly",
        ]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    classes = read_status_classes(reports)
    operations = _operations_with_path_ids()
    assert len(operations) >= 60
    missing = [op for op in operations if "2xx" not in classes.get(op, set()) and op not in NO_2XX]
    assert not missing, {op: sorted(classes.get(op, set())) for op in missing}
    with_404 = [op for op in operations if "4xx" in classes.get(op, set())]
    assert len(with_404) > len(operations) // 2  # the random share still meets the 404 branch

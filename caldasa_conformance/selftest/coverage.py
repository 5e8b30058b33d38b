"""Coverage of the contract by the suites: operations → tests, requirements → tests and faults.

Definitions (honest ones):
- An operation is *exercised* when a collected suite test carries `operation("<operationId>")` (the marked
  tests, stateful workflows included), or when a Schemathesis-parametrized item is generated for it (its test
  id ends in `[METHOD /path]`, which the schema and errors classes produce for every operation). The table
  lists both, so "generated only" operations stand out.
- A MUST requirement is *proven* when some test carries `req("<id>")` AND the reference server has a fault
  breaking it (the self-test shows the fault is caught by a failure naming the id).
- Anything else must be exempted in openapi/ineligible.yaml with a reason.

The suites are collected with `pytest --collect-only` in a child process: they need a target only to run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.requirements import load_ineligible, load_requirements
from caldasa_conformance.runner.session import installed_suites
from caldasa_conformance.selftest.faults import list_faults
from caldasa_conformance.spec import load_contract

COLLECT_TIMEOUT = 300.0
_GENERATED_ID = re.compile(r"\[(GET|PUT|POST|PATCH|DELETE|HEAD|OPTIONS) (/[^\]]*)\]$")
HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


class CollectionError(RuntimeError):
    """The suites could not be collected; the message carries pytest's last lines."""


@dataclass
class OperationRow:
    operation: str
    tests: list[str] = field(default_factory=list)  # tests marked operation(...)
    generated: list[str] = field(default_factory=list)  # Schemathesis items generated for it
    exemption: str | None = None

    @property
    def covered(self) -> bool:
        return bool(self.tests or self.generated or self.exemption)


@dataclass
class RequirementRow:
    requirement: str
    level: str
    conformance_class: str
    tests: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    exemption: str | None = None
    basis: str = "contract"  # or `reference-policy` (requirements.yaml)
    reference_policies: list[str] = field(default_factory=list)  # policy assertions of a contract rule

    @property
    def covered(self) -> bool:
        if self.level != "MUST":
            return True
        return bool(self.tests and self.faults) or self.exemption is not None


@dataclass
class CoverageTable:
    operations: list[OperationRow]
    requirements: list[RequirementRow]

    @property
    def complete(self) -> bool:
        return all(row.covered for row in self.operations) and all(row.covered for row in self.requirements)

    def gaps(self) -> list[str]:
        """One line per uncovered operation or MUST requirement."""
        lines = [
            f"operation {row.operation}: no test and not ineligible"
            for row in self.operations
            if not row.covered
        ]
        for row in self.requirements:
            if not row.covered:
                missing = " and ".join(
                    what
                    for what, present in (("no test", row.tests), ("no fault", row.faults))
                    if not present
                )
                lines.append(f"requirement {row.requirement} (MUST): {missing}, and not ineligible")
        return lines


def spec_operations(spec_path: Path = BUNDLED_SPEC) -> dict[tuple[str, str], str]:
    """(METHOD, path) → operationId of every operation in the contract."""
    document = load_contract(spec_path).document
    return {
        (method.upper(), path): str(operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def collect_items(suite_path: Path | None = None) -> list[dict[str, Any]]:
    """Collect the suites in a child pytest (no target) and return each item's markers.

    Raises:
        CollectionError: pytest could not collect them.
    """
    suites = suite_path or installed_suites()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CALDASA_")}
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "items.json"
        command = [
            sys.executable, "-m", "pytest", str(suites), "--collect-only", "-q", "-p", "no:cacheprovider",
            "-p", "caldasa_conformance.plugin", "-p", "caldasa_conformance.selftest.collect",
            f"--selftest-collect-to={target}",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=COLLECT_TIMEOUT)
        if done.returncode != 0 or not target.exists():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise CollectionError(f"collecting {suites} failed (exit {done.returncode}):\n{tail}")
        items: list[dict[str, Any]] = json.loads(target.read_text(encoding="utf-8"))
    return items


def _base_test(nodeid: str) -> str:
    """The test without its parameters (`file::test`): one line per test function in the table."""
    return nodeid.split("[", 1)[0]


def build_coverage(
    items: list[dict[str, Any]] | None = None, fault_requirements: dict[str, str] | None = None
) -> CoverageTable:
    """The coverage table from collected items and the fault registry (both read when not given)."""
    items = collect_items() if items is None else items
    if fault_requirements is None:
        fault_requirements = {fault.name: fault.requirement for fault in list_faults()}
    requirements = load_requirements()
    exemptions = load_ineligible(requirement_ids=requirements)
    by_path = spec_operations()
    operations = {op: OperationRow(op) for op in sorted(set(by_path.values()))}
    rows = {
        rid: RequirementRow(
            rid,
            requirement.level,
            requirement.conformance_class,
            basis=requirement.basis,
            reference_policies=list(requirement.reference_policies),
        )
        for rid, requirement in requirements.items()
    }
    for item in items:
        test = _base_test(item["nodeid"])
        for op in item["operations"]:
            if op in operations and test not in operations[op].tests:
                operations[op].tests.append(test)
        generated = _GENERATED_ID.search(item["nodeid"])
        if generated and (generated[1], generated[2]) in by_path:
            row = operations[by_path[(generated[1], generated[2])]]
            if test not in row.generated:
                row.generated.append(test)
        for rid in item["requirements"]:
            if rid in rows and test not in rows[rid].tests:
                rows[rid].tests.append(test)
    for name, rid in fault_requirements.items():
        if rid in rows:
            rows[rid].faults.append(name)
    for exemption in exemptions:
        if exemption.operation in operations:
            operations[exemption.operation].exemption = exemption.reason
        if exemption.requirement in rows:
            rows[exemption.requirement].exemption = exemption.reason
    return CoverageTable(list(operations.values()), list(rows.values()))


def _cell(values: list[str], limit: int = 2) -> str:
    if not values:
        return "-"
    shown = ", ".join(value.rsplit("::", 1)[-1] for value in values[:limit])
    return shown + (f" (+{len(values) - limit})" if len(values) > limit else "")


def load_kills(path: Path) -> dict[str, bool]:
    """Fault name → detected, from a self-test's JSON (empty when there is none)."""
    try:
        faults = json.loads(path.read_text(encoding="utf-8")).get("faults", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(name): bool(entry.get("detected")) for name, entry in faults.items()}


def _faults_cell(faults: list[str], kills: dict[str, bool]) -> str:
    marks = {True: " (detected)", False: " (NOT detected)"}
    return ", ".join(f"{name}{marks.get(kills[name], '') if name in kills else ''}" for name in faults) or "-"


def render_coverage(table: CoverageTable, kills: dict[str, bool] | None = None) -> str:
    """Two plain-text tables (operations, requirements), then the gaps or 'complete'.

    `kills` (from `load_kills`) marks each fault with the last self-test's verdict."""
    lines = [f"Operations ({len(table.operations)}): operationId | marked tests | generated by | exemption"]
    for row in table.operations:
        lines.append(
            f"  {'ok ' if row.covered else 'GAP'} {row.operation:<34} {len(row.tests):>3} tests: "
            f"{_cell(row.tests)} | {_cell(row.generated)} | {row.exemption or '-'}"
        )
    lines.append("")
    lines.append(
        f"Requirements ({len(table.requirements)}): id level basis class | tests | faults | exemption"
    )
    for requirement in table.requirements:
        mark = "ok " if requirement.covered else "GAP"
        basis = "contract" if requirement.basis == "contract" else "policy"
        lines.append(
            f"  {mark} {requirement.requirement:<4} {requirement.level:<6} {basis:<8} "
            f"{requirement.conformance_class:<11} "
            f"{len(requirement.tests):>3} tests: {_cell(requirement.tests)} | "
            f"faults: {_faults_cell(requirement.faults, kills or {})} | {requirement.exemption or '-'}"
        )
    lines += ["", *render_basis_split(table)]
    gaps = table.gaps()
    lines.append("")
    lines.append("Coverage complete." if not gaps else "Coverage gaps:\n  " + "\n  ".join(gaps))
    return "\n".join(lines)


def render_basis_split(table: CoverageTable) -> list[str]:
    """Whose rules they are: contract (checked on every target) and reference policy (`--profile reference`
    only; a note elsewhere), with the policy assertions that contract requirements carry."""
    contract = [row.requirement for row in table.requirements if row.basis == "contract"]
    policy = [row.requirement for row in table.requirements if row.basis != "contract"]
    mixed = [row for row in table.requirements if row.reference_policies]
    lines = [
        f"Basis: {len(contract)} contract requirements (checked on every target), {len(policy)} reference "
        f"policy ({', '.join(policy) or 'none'}: a rule only with --profile reference, a note elsewhere)",
        f"  contract requirements with a reference-policy assertion: {len(mixed)}",
    ]
    for row in mixed:
        lines += [f"    {row.requirement}: {text}" for text in row.reference_policies]
    return lines


def write_coverage(table: CoverageTable, path: Path) -> None:
    data = {
        "complete": table.complete,
        "operations": [vars(row) | {"covered": row.covered} for row in table.operations],
        "requirements": [vars(row) | {"covered": row.covered} for row in table.requirements],
        "gaps": table.gaps(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

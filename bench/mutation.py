"""Power on faults nobody wrote a test for: cosmic-ray's mutants of the reference server (issue 14, item 3).

    python -m bench.mutation run --n 60 --seed 7    # the recorded run (about an hour on an idle 2-core box)
    python -m bench.mutation render                    # rewrite the docs section from reports/mutation/

cosmic-ray makes the mutants and runs them on its own distributor (`local` here; a larger N goes to its `http`
distributor and `cr-http-workers`, never to a runner written here). `run` initialises its session over the
reference server's domain and handler code, keeps a seeded sample of N mutants (the rest are marked skipped,
as cosmic-ray's own filters do), then calls `cosmic-ray exec`. For each mutant, cosmic-ray applies the
mutation on disk and calls this module's `trial`, which runs three things against the mutated server:

  full        the suite at the default budget;
  generative  the suite with the fixed scenario tests (suites/*/test_*_rules.py) left out: machines, sweeps
              and the Schemathesis layers only;
  st          `st run` with all checks and phases, for the wall time the full suite took.

A tool kills a mutant when it fails where it passed on the clean server (for `st run`, when it reports a
failure it did not report on the clean server). A mutant that stops the server from starting is counted
apart: every tool "kills" it and it says nothing about power. A mutant no tool kills is tried once more
before it is listed as a survivor, to be read and classed as equivalent or as a gap.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BIN, REPO, Stopwatch, machine
from bench.run import run_schemathesis, run_suite

MUTATED = ("caldasa_reference/domain", "caldasa_reference/handlers")
WORK = REPO / "reports" / "mutation"
SUITE_SEED = "20261206"
FIXED_SCENARIOS = "--ignore-glob=*/test_*_rules.py"  # ARCHITECTURE.md: the fixed scenarios' files
TRIAL_TIMEOUT_S = 900
TOOLS = ("full", "generative", "st")
DOC = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- mutation:begin -->", "<!-- mutation:end -->"


# ------------------------------------------------------------------------------------------- one mutant


def mutant_key() -> tuple[str, str]:
    """(short id, unified diff) of the mutation cosmic-ray has applied to the working tree."""
    diff = subprocess.run(
        ["git", "diff", "-U0", "--", *MUTATED], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return hashlib.sha1(diff.encode()).hexdigest()[:10], diff


def suite_verdict(result: dict[str, Any]) -> dict[str, Any]:
    """Killed when the run failed; exit 3 (target unreachable) means the server did not even start."""
    code = result.get("exit_code")
    return {
        "killed": code not in (0, None) or bool(result.get("timed_out")),
        "startup": code == 3,
        "exit_code": code,
        "requirements": result.get("failing_requirements", []),
        "wall_s": result.get("wall_s"),
    }


def st_failures(junit: Path) -> list[str]:
    """`operation: first line` of every failure `st run` reported (ids and values cut, to compare runs)."""
    if not junit.is_file():
        return []
    seen = set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        for failure in [*case.findall("failure"), *case.findall("error")]:
            first = (failure.get("message") or failure.text or "").strip().splitlines()[:1]
            title = re.sub(r"`[^`]*`|\d+", "…", first[0])[:80] if first else ""
            seen.add(f"{case.get('name')}: {title}")
    return sorted(seen)


def run_st(scratch: Path, seconds: float) -> dict[str, Any]:
    scratch.mkdir(parents=True, exist_ok=True)
    result = run_schemathesis(
        scratch, (), max_time_s=max(seconds, 10.0), stop_at_first=False, timeout_s=seconds + 300
    )
    return {**result, "failures": st_failures(scratch / "st-junit.xml")}


def run_three(where: Path) -> dict[str, Any]:
    full = run_suite(where / "full", TRIAL_TIMEOUT_S, "--seed", SUITE_SEED)
    generative = run_suite(where / "generative", TRIAL_TIMEOUT_S, "--seed", SUITE_SEED, "--", FIXED_SCENARIOS)
    st = run_st(where / "st", float(full.get("wall_s") or 30.0))
    return {"full": full, "generative": generative, "st": st}


def trial(work: Path, *, retry: bool = False) -> int:
    """cosmic-ray's test command: judge the mutant on disk with three tools; exit 1 if the suite kills it."""
    key, diff = mutant_key()
    if retry and key not in json.loads((work / "retry.json").read_text()):
        return 0  # killed the first time: nothing to rule out
    baseline = json.loads((work / "baseline.json").read_text())
    clean_st = set(baseline["st"]["failures"])
    watch = Stopwatch()
    runs = run_three(work / "trials" / key)
    verdicts = {name: suite_verdict(runs[name]) for name in ("full", "generative")}
    st_new = sorted(set(runs["st"]["failures"]) - clean_st)
    verdicts["st"] = {"killed": runs["st"].get("exit_code") == 1 and bool(st_new), "new_failures": st_new[:5]}
    record = {"key": key, "diff": diff, "seconds": watch.seconds(), **verdicts}
    with (work / "trials.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return 1 if verdicts["full"]["killed"] else 0


# ------------------------------------------------------------------------------------------- the session


def cosmic_ray(*args: str) -> None:
    subprocess.run([str(BIN / "cosmic-ray"), *args], cwd=REPO, check=True)


def write_config(work: Path) -> Path:
    config = work / "cosmic-ray.toml"
    module_paths = ", ".join(f'"{path}"' for path in MUTATED)
    config.write_text(
        "[cosmic-ray]\n"
        f"module-path = [{module_paths}]\n"
        f"timeout = {TRIAL_TIMEOUT_S * 3}\n"
        "excluded-modules = []\n"
        f'test-command = "{sys.executable} -m bench.mutation trial --work-dir {work}"\n'
        "[cosmic-ray.distributor]\n"
        'name = "local"\n',
        encoding="utf-8",
    )
    return config


def keep_sample(session: Path, n: int, seed: int) -> int:
    """Mark all but a seeded sample of `n` mutants skipped, as cosmic-ray's filters do; return the total."""
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(session)) as db:
        jobs = sorted(item.job_id for item in db.pending_work_items)
        keep = set(random.Random(seed).sample(jobs, min(n, len(jobs))))
        skipped = WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED)
        db.set_multiple_results([job for job in jobs if job not in keep], skipped)
    return len(jobs)


def retry_survivors(work: Path) -> None:
    """Run each mutant no tool killed once more (cosmic-ray's own mutate-and-test): a flake is not a gap."""
    from cosmic_ray.mutating import mutate_and_test
    from cosmic_ray.work_db import use_db

    survivors = [record["key"] for record in trials(work) if not any(record[t]["killed"] for t in TOOLS)]
    (work / "retry.json").write_text(json.dumps(survivors), encoding="utf-8")
    command = f"{sys.executable} -m bench.mutation trial --work-dir {work} --retry"
    with use_db(str(work / "session.sqlite")) as db:
        for item, result in db.completed_work_items:
            if survivors and result.test_outcome == "survived":  # the suite let it live: maybe a survivor
                mutate_and_test(item.mutations, command, TRIAL_TIMEOUT_S * 3)


def trials(work: Path) -> list[dict[str, Any]]:
    """One record per mutant; a retried one keeps a kill from either try, marked flaky if they differ."""
    path = work / "trials.jsonl"
    records: dict[str, dict[str, Any]] = {}
    for line in path.read_text().splitlines() if path.is_file() else []:
        record = json.loads(line)
        first = records.get(record["key"])
        if first is not None:
            record = {**record, **{t: _either(first[t], record[t]) for t in TOOLS}, "retried": True}
        records[record["key"]] = record
    return list(records.values())


def _either(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    flaky = first["killed"] != second["killed"]
    return {**second, "killed": first["killed"] or second["killed"], "flaky": flaky}


def baseline(work: Path) -> None:
    runs = run_three(work / "baseline")
    for name in ("full", "generative"):
        if runs[name].get("exit_code") != 0:
            raise SystemExit(f"mutation: the clean server fails the {name} run; fix that first")
    (work / "baseline.json").write_text(json.dumps(runs, indent=2, default=str), encoding="utf-8")


def run(work: Path, n: int, seed: int) -> int:
    work.mkdir(parents=True, exist_ok=True)
    (work / "trials.jsonl").unlink(missing_ok=True)
    config = write_config(work)
    session = work / "session.sqlite"
    cosmic_ray("init", str(config), str(session), "--force")
    total = keep_sample(session, n, seed)
    facts = {"mutants": total, "n": n, "seed": seed, "machine": machine()}
    (work / "sample.json").write_text(json.dumps(facts), encoding="utf-8")
    baseline(work)
    cosmic_ray("exec", str(config), str(session))
    retry_survivors(work)
    render(work)
    return 0


# ------------------------------------------------------------------------------------------- the report

# key -> {"class": equivalent|gap, "why": ...}, and what the readers of the survivors concluded
SURVIVORS = Path(__file__).with_name("mutation_survivors.json")
NOTES = Path(__file__).with_name("mutation_notes.md")


def scores(records: list[dict[str, Any]], reviewed: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Mutation score of each tool over the mutants that count: the server started, and not equivalent."""
    counted = [
        r
        for r in records
        if not r["full"]["startup"] and reviewed.get(r["key"], {}).get("class") != "equivalent"
    ]
    figures: dict[str, Any] = {"mutants": len(records), "counted": len(counted)}
    for tool in TOOLS:
        killed = sum(1 for r in counted if r[tool]["killed"])
        minutes = sum(_wall(r, tool) for r in counted) / 60 / max(len(counted), 1)
        score = killed / max(len(counted), 1)
        figures[tool] = {
            "killed": killed,
            "score": round(score, 3),
            "minutes_per_run": round(minutes, 2),
            "score_per_minute": round(score / minutes, 3) if minutes else None,
        }
    return figures


def _wall(record: dict[str, Any], tool: str) -> float:
    if tool == "st":  # st runs for the full suite's wall time
        return float(record["full"].get("wall_s") or 0)
    return float(record[tool].get("wall_s") or 0)


def killers(records: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Requirement id -> how many mutants the full suite killed with a failure naming it."""
    counts: Counter[str] = Counter()
    for record in records:
        if record["full"]["killed"] and not record["full"]["startup"]:
            counts.update(record["full"]["requirements"] or ["(no requirement named)"])
    return counts.most_common()


def where(diff: str) -> str:
    """`file:line` of a mutation, from its diff."""
    path = re.search(r"^\+\+\+ b/(\S+)", diff, re.MULTILINE)
    line = re.search(r"^@@ -(\d+)", diff, re.MULTILINE)
    return f"{path[1] if path else '?'}:{line[1] if line else '?'}"


def changed(diff: str) -> str:
    minus = [
        line[1:].strip() for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    plus = [
        line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")
    ]
    cell = f"`{' '.join(minus)[:70]}` → `{' '.join(plus)[:70]}`"
    return cell.replace("|", "\\|")  # a table cell: `str | None` must not split it


def markdown(work: Path) -> str:
    records = trials(work)
    sample = json.loads((work / "sample.json").read_text())
    reviewed = json.loads(SURVIVORS.read_text()) if SURVIVORS.is_file() else {}
    figures = scores(records, reviewed)
    lines = [
        BEGIN,
        "## Mutation: power on faults nobody wrote a test for",
        "",
        f"`python -m bench.mutation run --n {sample['n']} --seed {sample['seed']}`: cosmic-ray's mutants of "
        f"`{'`, `'.join(MUTATED)}` ({sample['mutants']} in all), a seeded sample of {sample['n']}; "
        f"{len(records)} ran, {figures['counted']} count (the server started, not equivalent).",
        "",
        f"Machine: {_machine_line(sample.get('machine', {}))}",
        "",
        "| tool | killed | score | minutes per run | score per minute |",
        "|---|---|---|---|---|",
    ]
    names = {"full": "the suite (default budget)", "generative": "generative layers only", "st": "`st run`"}
    for tool in TOOLS:
        f = figures[tool]
        lines.append(
            f"| {names[tool]} | {f['killed']}/{figures['counted']} | {f['score']:.0%} | "
            f"{f['minutes_per_run']} | {f['score_per_minute']} |"
        )
    lines += ["", "Targets: the suite ≥ 85 %, generative layers ≥ 60 %, both well above `st run`.", ""]
    lines += [
        "Requirements whose failures killed mutants: "
        + ", ".join(f"{rid} {n}" for rid, n in killers(records))
        + ".",
        "",
    ]
    lines += survivors_table(records, reviewed)
    if NOTES.is_file():  # what the people who read the survivors concluded, kept beside the classes
        lines += ["", NOTES.read_text(encoding="utf-8").strip()]
    return "\n".join([*lines, END])


def _machine_line(facts: dict[str, Any]) -> str:
    load = facts.get("load_avg_at_start") or []
    busy = bool(load) and load[0] > float(facts.get("nproc") or 1)
    note = " (the machine was busy with other work: minutes are inflated, ratios still hold)" if busy else ""
    return (
        f"`nproc` = {facts.get('nproc')}, load average at start {', '.join(f'{x:.1f}' for x in load)}{note}."
    )


def survivors_table(records: list[dict[str, Any]], reviewed: dict[str, dict[str, str]]) -> list[str]:
    lines = ["| survivor | where | change | tried twice | class | why |", "|---|---|---|---|---|---|"]
    for record in records:
        if record["full"]["killed"] or record["full"]["startup"]:
            continue
        review = reviewed.get(record["key"], {"class": "unreviewed (counted as a gap)", "why": ""})
        lines.append(
            f"| {record['key']} | {where(record['diff'])} | {changed(record['diff'])} | "
            f"{'yes' if record.get('retried') else 'no'} | {review['class']} | {review.get('why', '')} |"
        )
    return (
        ["Mutants the full suite let live:", "", *lines]
        if len(lines) > 2
        else ["No mutant survived the suite."]
    )


def render(work: Path) -> None:
    section = markdown(work)
    (work / "mutation.md").write_text(section + "\n", encoding="utf-8")
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "trial", "render"):
        command = commands.add_parser(name)
        command.add_argument("--work-dir", type=Path, default=WORK)
    commands.choices["run"].add_argument("--n", type=int, default=60, help="mutants in the sample")
    commands.choices["run"].add_argument("--seed", type=int, default=7, help="seed of the sample")
    commands.choices["trial"].add_argument("--retry", action="store_true")
    args = parser.parse_args(argv)
    work = args.work_dir.resolve()
    if args.command == "run":
        return run(work, args.n, args.seed)
    if args.command == "trial":
        return trial(work, retry=args.retry)
    render(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())

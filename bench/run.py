"""One benchmark run of the suite against its peer (issue 8): `python bench/run.py` or `tox -e bench`.

Measures, in this order, on this machine and in this one run:
  (a) the default ``caldasa-conformance run`` against the embedded reference server: wall time, requests sent
      (summary.json), requests per second, time per conformance class (junit.xml, ``caldasa_class``);
  (b) ``st run`` (all checks, all phases, positive and negative modes) on the same contract against a fresh
      reference server, with ``--max-time`` equal to (a)'s wall time: requests counted server-side;
  (c) the fault matrix: for every reference fault, does ``caldasa-conformance run --budget smoke`` detect it,
      does ``st run`` detect it, and the wall time to detection of each (both stop at their first failure);
  (d) ``--workers 2`` against ``--workers 1`` (default budget);
  (e) the reference server's capacity under wrk (``GET /bookings/{id}``), the ceiling any client can reach;
  (f) "remote": ours at ``--workers auto`` and ``1``, and ``st run``, at 40 ms (bench/remote.py);
  plus the reference-server benchmark of bench/reference.py (10,000 bookings).
Writes ``reports/bench.json`` and rewrites ``docs/benchmarks.md`` (figures as ratios against the peer).
Every subprocess has a timeout and the whole run has a deadline (``--deadline-minutes``): whatever did not
fit is recorded as not run, never silently dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import reference, remote
from bench.common import BIN, REPO, Stopwatch, instrumented_server, machine
from bench.report import write_markdown
from caldasa_conformance.reporting.junit import read_outcomes
from caldasa_conformance.selftest.plan import SERVER_ARGS

SPEC = REPO / "openapi" / "caldasa.yaml"
ST_CONFIG = REPO / "tests" / "reference" / "schemathesis-reference.toml"
ST_SEED = 20261125
PARTS = ("default", "schemathesis", "faults", "workers", "capacity", "reference", "remote")


class Deadline:
    def __init__(self, minutes: float) -> None:
        self.ends = time.monotonic() + minutes * 60

    def left(self) -> float:
        return self.ends - time.monotonic()


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------------------------- our suite


def run_suite(report_dir: Path, timeout_s: float, *args: str) -> dict[str, Any]:
    """One ``caldasa-conformance run``; wall time measured around the whole command (startup included)."""
    command = [str(BIN / "caldasa-conformance"), "run", "--report-dir", str(report_dir), *args]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALDASA_")}  # embedded: no stray target
    watch = Stopwatch()
    try:
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"exit_code": None, "wall_s": watch.seconds(), "timed_out": True, "args": list(args)}
    wall = watch.seconds()
    (report_dir / "bench-console.log").write_text(done.stdout + done.stderr)
    result: dict[str, Any] = {"exit_code": done.returncode, "wall_s": wall, "args": list(args)}
    summary_path = report_dir / "summary.json"
    if summary_path.exists():
        summary = json.loads(summary_path.read_text())
        result["requests"] = summary.get("requests")
        result["duration_s_reported"] = summary.get("duration_s")
        result["seed"] = summary.get("seed")
        if result["requests"]:
            result["requests_per_s"] = round(result["requests"] / wall, 1)
    junit = report_dir / "junit.xml"
    if junit.exists():
        result |= junit_figures(junit)
    return result


def junit_figures(junit: Path) -> dict[str, Any]:
    """Time per class, test counts and the requirement ids the failures name, from the suite's junit.xml."""
    per_class: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value", "") for p in case.iter("property")}
        per_class[props.get("caldasa_class") or "(unclassified)"] += float(case.get("time") or 0)
    outcomes = read_outcomes(junit)
    failed = [outcome for outcome in outcomes if outcome.status == "failed"]
    return {
        "tests": len(outcomes),
        "failures": len(failed),
        "failing_requirements": sorted({rid for outcome in failed for rid in outcome.failing_requirements}),
        "seconds_per_class": {name: round(s, 2) for name, s in sorted(per_class.items())},
    }


# --------------------------------------------------------------------------------------------- Schemathesis


def run_schemathesis(
    scratch: Path,
    faults: tuple[str, ...],
    *,
    max_time_s: float | None,
    stop_at_first: bool,
    timeout_s: float,
    server_args: tuple[str, ...] = (),
) -> dict[str, Any]:
    """``st run`` with all checks, modes and phases against a fresh instrumented reference server."""
    token = secrets.token_urlsafe(24)
    junit = scratch / "st-junit.xml"
    with instrumented_server(
        {token: "Schemathesis Tenant"}, faults, log_path=scratch / "server.log", extra_args=server_args
    ) as server:
        command = [
            str(BIN / "st"),
            "--config-file",
            str(ST_CONFIG),
            "run",
            str(SPEC),
            "--url",
            server.url,
            "--checks",
            "all",
            "--mode",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--seed",
            str(ST_SEED),
            "--no-shrink",
            "--workers",
            "1",
            "--request-timeout",
            "10",
            "--generation-database",
            "none",
            "--report",
            "junit",
            "--report-junit-path",
            str(junit),
        ]
        if max_time_s is not None:
            command += ["--max-time", str(int(max_time_s))]
        if stop_at_first:
            command += ["--max-failures", "1"]
        env = {**os.environ, "ST_AUTH_TOKEN": token}  # read by the config's [auth.openapi.bearerAuth]
        watch = Stopwatch()
        try:
            done = subprocess.run(
                command, cwd=scratch, env=env, capture_output=True, text=True, timeout=timeout_s
            )
            exit_code: int | None = done.returncode
            (scratch / "st-console.log").write_text(done.stdout + done.stderr)
        except subprocess.TimeoutExpired:
            exit_code = None
        wall = watch.seconds()
        requests = server.requests_seen()
    result: dict[str, Any] = {
        "exit_code": exit_code,
        "timed_out": exit_code is None,
        "wall_s": wall,
        "requests": requests,
        "requests_per_s": round(requests / wall, 1) if wall else None,
    }
    if junit.exists():
        result |= st_junit_failures(junit)
    return result


def st_junit_failures(junit: Path) -> dict[str, Any]:
    failing = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        if failure is not None:
            first_line = (failure.get("message") or failure.text or "").strip().splitlines()[:1]
            failing.append(
                {"operation": case.get("name"), "first_line": first_line[0][:200] if first_line else ""}
            )
    return {"failing_operations": len(failing), "failures_sample": failing[:5]}


# --------------------------------------------------------------------------------------------- the parts


def part_default(out: Path, deadline: Deadline) -> dict[str, Any]:
    log("(a) default caldasa-conformance run, --workers 1")
    return run_suite(out / "default-w1", min(900, deadline.left()), "--workers", "1", "--seed", str(ST_SEED))


def part_schemathesis(out: Path, deadline: Deadline, our_wall_s: float) -> dict[str, Any]:
    log(f"(b) st run, all checks and phases, --max-time {our_wall_s:.0f}")
    scratch = out / "st-clean"
    scratch.mkdir(parents=True, exist_ok=True)
    timeout = min(our_wall_s * 2 + 120, deadline.left())
    return run_schemathesis(scratch, (), max_time_s=our_wall_s, stop_at_first=False, timeout_s=timeout)


def part_faults(
    out: Path, deadline: Deadline, faults: list[dict[str, str]], st_budget_s: float
) -> dict[str, Any]:
    log(
        f"(c) fault matrix over {len(faults)} faults "
        f"(smoke vs st --max-time {st_budget_s:.0f}, first failure)"
    )
    # the fail-fast command of the README: one worker (xdist's start-up would only delay the first failure)
    smoke = ("--budget", "smoke", "--workers", "1", "--seed", str(ST_SEED))
    baseline = run_suite(out / "smoke-clean", min(300, deadline.left()), *smoke)
    # st's baseline with exactly the settings of the fault runs: a failure it also reports on the clean server
    # is no detection.
    st_clean = run_st_for_faults(out / "st-fault-none", (), st_budget_s)
    rows: list[dict[str, Any]] = []
    for fault in faults:
        name = fault["name"]
        if deadline.left() < 2 * st_budget_s + 90:
            rows.append({**fault, "not_run": "the run's deadline was reached"})
            continue
        log(f"    fault {name}")
        server_args = SERVER_ARGS.get(name, ())  # e.g. a rate limit, so that a 429 can be met at all
        ours = run_suite(
            out / f"fault-{name}",
            min(300, deadline.left()),
            *smoke,
            "--reference-fault",
            name,
            *_as_runner_options(server_args),
            "--",
            "-x",
        )
        peer = run_st_for_faults(out / f"st-fault-{name}", (name,), st_budget_s, server_args)
        rows.append(
            {
                **fault,
                "ours": detection(ours, baseline),
                "schemathesis": detection(peer, st_clean, st=True),
            }
        )
    return {"smoke_clean": baseline, "st_clean": st_clean, "st_budget_s": st_budget_s, "rows": rows}


def _as_runner_options(server_args: tuple[str, ...]) -> list[str]:
    """The reference-server arguments of the self-test plan as `caldasa-conformance run` options."""
    options: list[str] = []
    for arg in server_args:
        name, _, value = arg.partition("=")
        if name != "--rate-limit":
            raise ValueError(f"no runner option for reference-server argument {arg!r}")
        options += ["--reference-rate-limit", value]
    return options


def run_st_for_faults(
    scratch: Path, faults: tuple[str, ...], budget_s: float, server_args: tuple[str, ...] = ()
) -> dict[str, Any]:
    scratch.mkdir(parents=True, exist_ok=True)
    return run_schemathesis(
        scratch,
        faults,
        max_time_s=budget_s,
        stop_at_first=True,
        timeout_s=budget_s + 120,
        server_args=server_args,
    )


def first_failure(result: dict[str, Any]) -> Any:
    return (result.get("failures_sample") or [None])[0] or result.get("failing_requirements")


def detection(result: dict[str, Any], clean: dict[str, Any], *, st: bool = False) -> dict[str, Any]:
    """Exit code 1 with a reported failure (for st, not just a warning its config fails on, such as
    missing_auth), and not merely the failure the same tool also reports on the clean server."""
    failed = result.get("exit_code") == 1 and first_failure(result) not in (None, [])
    detected = failed and (clean.get("exit_code") == 0 or first_failure(result) != first_failure(clean))
    row = {"detected": detected, "wall_s": result["wall_s"], "exit_code": result.get("exit_code")}
    if result.get("timed_out"):
        row["timed_out"] = True
    if st:
        row["failures_sample"] = result.get("failures_sample", [])[:2]
    else:
        row["failing_requirements"] = result.get("failing_requirements", [])
    return row


def part_workers(out: Path, deadline: Deadline, one_worker: dict[str, Any]) -> dict[str, Any]:
    log("(d) default caldasa-conformance run, --workers 2")
    two = run_suite(out / "default-w2", min(900, deadline.left()), "--workers", "2", "--seed", str(ST_SEED))
    speedup = round(one_worker["wall_s"] / two["wall_s"], 2) if two.get("exit_code") in (0, 1) else None
    return {"workers_1_wall_s": one_worker["wall_s"], "workers_2": two, "speedup": speedup}


def part_capacity() -> dict[str, Any]:
    """wrk against the plain ``caldasa-reference serve`` (no bench wrapper) holding a few hundred bookings."""
    log("(e) reference server capacity under wrk")
    token = secrets.token_urlsafe(24)
    env = {**os.environ, "CALDASA_REFERENCE_TOKENS": f"{token}=Capacity Tenant"}
    command = [str(BIN / "caldasa-reference"), "serve", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        ids = seed_a_few_bookings(url, token)
        return {"bookings_seeded": len(ids), **reference.run_wrk(url, ids, token, seconds=10, connections=32)}
    finally:
        process.terminate()
        process.wait(timeout=10)


def seed_a_few_bookings(url: str, token: str) -> list[str]:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        salon = reference.build_salon(client, days=1)
        ids = []
        for slot_index in range(20):
            for index, staff_id in enumerate(salon.staff_ids):
                body = salon.booking_body(staff_id, salon.slot(0, slot_index), index)
                ids.append(reference.expect(client.post("/bookings", json=body), 201)["id"])
        return ids


# --------------------------------------------------------------------------------------------- orchestration


def reference_faults() -> list[dict[str, str]]:
    listing = subprocess.run(
        [str(BIN / "caldasa-reference"), "faults", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return list(json.loads(listing.stdout))


def ratios(results: dict[str, Any]) -> dict[str, Any]:
    """The headline figures, each as a ratio against its peer measured in this run."""
    default, peer = results.get("default", {}), results.get("schemathesis", {})
    capacity = results.get("capacity", {})
    out: dict[str, Any] = {}
    if default.get("requests_per_s") and peer.get("requests_per_s"):
        out["ours_vs_st_requests_per_s"] = round(default["requests_per_s"] / peer["requests_per_s"], 2)
    if default.get("requests_per_s") and capacity.get("requests_per_s"):
        out["ours_vs_wrk_ceiling"] = round(default["requests_per_s"] / capacity["requests_per_s"], 3)
    if peer.get("requests_per_s") and capacity.get("requests_per_s"):
        out["st_vs_wrk_ceiling"] = round(peer["requests_per_s"] / capacity["requests_per_s"], 3)
    rows = [r for r in results.get("faults", {}).get("rows", []) if "ours" in r]
    if rows:
        ours = {r["name"] for r in rows if r["ours"]["detected"]}
        theirs = {r["name"] for r in rows if r["schemathesis"]["detected"]}
        out["faults_run"] = len(rows)
        out["faults_detected_ours"] = len(ours)
        out["faults_detected_st"] = len(theirs)
        out["ours_strict_superset_of_st"] = theirs < ours
        out["st_only"] = sorted(theirs - ours)
        both = [r for r in rows if r["ours"]["detected"] and r["schemathesis"]["detected"]]
        if both:
            total_ours = sum(r["ours"]["wall_s"] for r in both)
            total_st = sum(r["schemathesis"]["wall_s"] for r in both)
            out["detection_time_ours_vs_st_on_common_faults"] = round(total_ours / total_st, 2)
    workers = results.get("workers", {})
    if workers.get("speedup"):
        out["workers_2_speedup"] = workers["speedup"]
    return out


def targets(results: dict[str, Any], figures: dict[str, Any]) -> dict[str, Any]:
    default = results.get("default", {})
    smoke = results.get("faults", {}).get("smoke_clean", {})
    checks: dict[str, Any] = {}
    if "wall_s" in default:
        checks["default_run_within_90_s"] = default["wall_s"] <= 90
    if "wall_s" in smoke:
        checks["smoke_run_within_20_s"] = smoke["wall_s"] <= 20
    if "faults_run" in figures:
        checks["ours_detect_every_fault"] = figures["faults_detected_ours"] == figures["faults_run"]
        checks["ours_strict_superset_of_st"] = figures["ours_strict_superset_of_st"]
    if "ours_vs_st_requests_per_s" in figures:
        checks["ours_requests_per_s_at_least_st"] = figures["ours_vs_st_requests_per_s"] >= 1
    if "workers_2_speedup" in figures:
        checks["workers_2_speedup_at_least_1_6"] = figures["workers_2_speedup"] >= 1.6
    checks |= remote.remote_targets(results.get("remote", {}), figures)
    for name, verdict in results.get("reference", {}).get("verdicts", {}).items():
        checks[f"reference_{name}"] = verdict["met"]
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--faults", help="comma-separated subset of reference faults (default: all)")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}"
    )
    parser.add_argument(
        "--st-fault-budget", type=float, default=20.0, help="st --max-time per fault (seconds)"
    )
    parser.add_argument("--deadline-minutes", type=float, default=75.0, help="bound on the whole run")
    parser.add_argument("--json", type=Path, help="default reports/bench.json (a subset: bench-partial.json)")
    parser.add_argument("--markdown", type=Path, help="default docs/benchmarks.md (a subset: not written)")
    parser.add_argument("--work-dir", type=Path, help="keep the runs' reports here (default: a temp dir)")
    parser.add_argument(
        "--render-only", action="store_true", help="only rewrite the markdown from an existing --json file"
    )
    args = parser.parse_args(argv)
    # A partial run must not overwrite the figures of the last full one.
    subset = bool(args.faults) or set(args.parts.split(",")) != set(PARTS)
    args.json = args.json or REPO / "reports" / ("bench-partial.json" if subset else "bench.json")
    if args.markdown is None and (args.render_only or not subset):
        args.markdown = REPO / "docs" / "benchmarks.md"
    if args.render_only:
        write_markdown(json.loads(args.json.read_text()), args.markdown)
        return 0
    parts = set(args.parts.split(","))
    unknown = parts - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    all_faults = reference_faults()
    if args.faults:
        wanted = args.faults.split(",")
        missing = set(wanted) - {f["name"] for f in all_faults}
        if missing:
            parser.error(f"unknown faults: {', '.join(sorted(missing))}")
        all_faults = [f for f in all_faults if f["name"] in wanted]
    deadline = Deadline(args.deadline_minutes)
    started = datetime.now(timezone.utc)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="caldasa-bench-") as temp:
        out = args.work_dir or Path(temp)
        out.mkdir(parents=True, exist_ok=True)
        steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            ("default", lambda: part_default(out, deadline)),
            ("schemathesis", lambda: part_schemathesis(out, deadline, results["default"]["wall_s"])),
            ("workers", lambda: part_workers(out, deadline, results["default"])),
            ("capacity", part_capacity),
            ("reference", lambda: reference.run()),
            ("faults", lambda: part_faults(out, deadline, all_faults, args.st_fault_budget)),
            (
                "remote",
                lambda: remote.part_remote(out, deadline.left, ST_SEED, junit_figures, run_schemathesis),
            ),
        ]
        for name, step in steps:
            if name not in parts:
                continue
            if name in ("schemathesis", "workers") and "wall_s" not in results.get("default", {}):
                results[name] = {"not_run": "needs part (a) 'default' in the same run"}
                continue
            if deadline.left() < 60:
                results[name] = {"not_run": "the run's deadline was reached"}
                continue
            try:
                results[name] = step()
            except Exception as error:  # one broken part must not lose the others' figures
                results[name] = {"error": f"{type(error).__name__}: {error}"}
            log(f"{name}: done")
    figures = ratios(results)
    document = {
        "started_at": started.isoformat(timespec="seconds"),
        "wall_s": round((datetime.now(timezone.utc) - started).total_seconds(), 1),
        "machine": machine(),
        "commands": {"reproduce": "tox -e bench  (or: .venv/bin/python bench/run.py)"},
        "ratios": figures,
        "targets_met": targets(results, figures),
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2) + "\n")
    if args.markdown is not None:
        write_markdown(document, args.markdown)
    elif "remote" in parts and "runs" in results.get("remote", {}):  # this part alone: its own section
        remote.splice(document, REPO / "docs" / "benchmarks.md")
    log(f"wrote {args.json}" + (f" and {args.markdown}" if args.markdown else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

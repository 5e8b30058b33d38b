"""Render reports/bench.json as docs/benchmarks.md (the hand-written analysis comes from bench/notes.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench import remote

NOTES = Path(__file__).with_name("notes.md")


def fmt(value: Any, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    return f"{value}{suffix}"


def table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def headline(doc: dict[str, Any]) -> list[str]:
    results, ratios = doc["results"], doc["ratios"]
    default, peer = results.get("default", {}), results.get("schemathesis", {})
    capacity, workers = results.get("capacity", {}), results.get("workers", {})
    two = workers.get("workers_2", {})
    rows = [
        [
            "requests/s: ours ÷ `st run`",
            ratios.get("ours_vs_st_requests_per_s"),
            f"{fmt(default.get('requests_per_s'))} vs {fmt(peer.get('requests_per_s'))} req/s",
            "≥ 1",
        ],
        [
            "requests/s: ours ÷ wrk ceiling",
            ratios.get("ours_vs_wrk_ceiling"),
            f"{fmt(default.get('requests_per_s'))} vs {fmt(capacity.get('requests_per_s'))} req/s",
            "—",
        ],
        [
            "requests/s: `st run` ÷ wrk ceiling",
            ratios.get("st_vs_wrk_ceiling"),
            f"{fmt(peer.get('requests_per_s'))} vs {fmt(capacity.get('requests_per_s'))} req/s",
            "—",
        ],
        [
            "faults detected: ours / `st run` / all run",
            f"{fmt(ratios.get('faults_detected_ours'))} / {fmt(ratios.get('faults_detected_st'))} / "
            f"{fmt(ratios.get('faults_run'))}",
            f"strict superset: {fmt(ratios.get('ours_strict_superset_of_st'))}",
            "all; ⊋ st",
        ],
        [
            "time to detection, faults both find: ours ÷ `st run`",
            ratios.get("detection_time_ours_vs_st_on_common_faults"),
            "sum of wall times",
            "—",
        ],
        [
            "`--workers 2` speedup (wall w1 ÷ wall w2)",
            ratios.get("workers_2_speedup"),
            f"{fmt(workers.get('workers_1_wall_s'), ' s')} vs {fmt(two.get('wall_s'), ' s')}",
            "≥ 1.6",
        ],
        [
            "default run wall ÷ 90 s target",
            _ratio(default.get("wall_s"), 90),
            f"{fmt(default.get('wall_s'), ' s')}, {fmt(default.get('requests'))} requests",
            "≤ 1",
        ],
        [
            "smoke run wall ÷ 20 s target",
            _ratio(results.get("faults", {}).get("smoke_clean", {}).get("wall_s"), 20),
            f"{fmt(results.get('faults', {}).get('smoke_clean', {}).get('wall_s'), ' s')}",
            "≤ 1",
        ],
    ]
    return [
        "## Headline (ratios against the peer measured in the same run)",
        "",
        *table(["figure", "ratio", "absolute", "target"], rows),
    ]


def _ratio(value: float | None, target: float) -> float | None:
    return None if value is None else round(value / target, 2)


def per_class(doc: dict[str, Any]) -> list[str]:
    default = doc["results"].get("default", {})
    seconds = default.get("seconds_per_class", {})
    if not seconds:
        return []
    total = sum(seconds.values()) or 1
    rows = [[name, s, f"{100 * s / total:.0f} %"] for name, s in sorted(seconds.items(), key=lambda i: -i[1])]
    return [
        "## (a) Default run: time per class (junit testcase times, `--workers 1`)",
        "",
        *table(["class", "seconds", "share"], rows),
    ]


def fault_matrix(doc: dict[str, Any]) -> list[str]:
    faults = doc["results"].get("faults", {})
    rows = []
    for row in faults.get("rows", []):
        if "ours" not in row:
            rows.append(
                [row["name"], row["requirement"], "not run", "", "not run", "", row.get("not_run", "")]
            )
            continue
        ours, peer = row["ours"], row["schemathesis"]
        sample = peer.get("failures_sample") or [{}]
        rows.append(
            [
                f"`{row['name']}`",
                row["requirement"],
                ours["detected"],
                f"{ours['wall_s']} s",
                peer["detected"],
                f"{peer['wall_s']} s",
                " ".join(ours.get("failing_requirements", []))
                + (f"; st: {sample[0].get('operation', '')}" if peer["detected"] else ""),
            ]
        )
    if not rows:
        return []
    budget = faults.get("st_budget_s")
    smoke, st_clean = faults.get("smoke_clean", {}), faults.get("st_clean", {})
    return [
        "## (c) Fault matrix",
        "",
        "Ours: `caldasa-conformance run --budget smoke --reference-fault NAME -- -x` "
        "(stops at the first failure). "
        f"`st run`: all checks, modes and phases, `--max-time {fmt(budget)}` `--max-failures 1`, same seed. "
        "Detected = the tool exits 1 (failures). Wall time includes start-up and, when nothing is found, the "
        "whole budget.",
        "",
        f"Baselines on the clean server with the same settings: ours exit code {fmt(smoke.get('exit_code'))} "
        f"in {fmt(smoke.get('wall_s'))} s, `st run` exit code {fmt(st_clean.get('exit_code'))} in "
        f"{fmt(st_clean.get('wall_s'))} s (a failure a tool also reports on the clean server does not count "
        "as a detection).",
        "",
        *table(
            ["fault", "req", "ours", "ours wall", "`st run`", "st wall", "caught by (ours: requirement ids)"],
            rows,
        ),
    ]


def reference_section(doc: dict[str, Any]) -> list[str]:
    ref = doc["results"].get("reference", {})
    if "verdicts" not in ref:
        return []
    create, avail, wrk = ref["create_booking"], ref["availability_partly_booked_day"], ref["get_booking_wrk"]
    open_day = ref["availability_open_day"]
    rows = [
        [
            "`POST /bookings` median, 10,000 bookings in the tenant",
            f"{create['server_median_ms']} ms server-side ({create['round_trip_median_ms']} ms round trip)",
            "≤ 5 ms",
            ref["verdicts"]["create_booking_median_ms"]["met"],
        ],
        [
            "`GET /availability`, one day, 20 staff (half booked)",
            f"{avail['server_median_ms']} ms server-side "
            f"({avail['round_trip_median_ms']} ms round trip, {avail['slots_returned']} slots)",
            "≤ 20 ms",
            ref["verdicts"]["availability_median_ms"]["met"],
        ],
        [
            "`GET /availability`, one day, 20 staff (no bookings)",
            f"{open_day['server_median_ms']} ms server-side ({open_day['slots_returned']} slots)",
            "≤ 20 ms",
            open_day["server_median_ms"] <= 20,
        ],
        [
            "`GET /bookings/{id}` under wrk (-t2 -c32, 10 s)",
            f"{fmt(wrk.get('requests_per_s'))} req/s "
            f"(p50 {fmt(wrk.get('latency_p50_ms'))} ms, non-2xx {fmt(wrk.get('non_2xx'))})",
            "≥ 1,500 req/s",
            ref["verdicts"]["get_booking_rps"]["met"],
        ],
    ]
    seed = ref.get("seed", {})
    return [
        '## Reference server (issue 3 "Performance", `bench/reference.py`)',
        "",
        f"Seeded through the public API ({seed.get('via')}): {seed.get('bookings')} bookings in "
        f"{seed.get('seconds')} s. Server-side times come from a `Server-Timing` header that the bench-only "
        "wrapper `bench/instrumented_server.py` adds around the unchanged app "
        "(request in → response head out).",
        "",
        *table(["measure", "figure", "target", "met"], rows),
    ]


def write_markdown(doc: dict[str, Any], path: Path) -> None:
    m = doc["machine"]
    results = doc["results"]
    load = ", ".join(f"{x:.2f}" for x in m.get("load_avg_at_start") or [])
    lines = [
        "# Benchmarks",
        "",
        "Generated by `bench/run.py` from `reports/bench.json` "
        "(the analysis part comes from `bench/notes.md`). "
        "Every figure below was measured in ONE run on one machine; "
        "compare ratios, not absolute numbers, across "
        "machines.",
        "",
        f"- Run started {doc['started_at']}, took {doc['wall_s']} s.",
        f"- Machine: `nproc` = {m['nproc']}, CPU: {m['cpu_model']}, Python {m['python']}, {m['platform']}.",
        f"- Load average when the run started: {load} "
        "(the machine is shared; a load above `nproc` inflates every wall time).",
        "",
        *headline(doc),
        "## Targets",
        "",
        *table(["target", "met"], [[name, met] for name, met in doc["targets_met"].items()]),
        *per_class(doc),
        *fault_matrix(doc),
        *reference_section(doc),
        *remote.render_section(doc),
    ]
    not_run = {name: part for name, part in results.items() if "not_run" in part or "error" in part}
    if not_run:
        lines += ["## Parts that did not complete", ""]
        lines += [f"- {name}: {part.get('not_run') or part.get('error')}" for name, part in not_run.items()]
        lines.append("")
    lines += [
        "## Reproduce",
        "",
        "```bash",
        "apt-get install -y wrk            # optional: without it the wrk figures are skipped with a note",
        "tox -e bench                      # or: .venv/bin/python bench/run.py",
        ".venv/bin/python bench/run.py --parts faults --faults auth-bypass,tenant-leak  # a subset",
        ".venv/bin/python bench/reference.py --json /tmp/reference.json     # issue 3 figures only",
        ".venv/bin/python bench/run.py --parts remote     # (f) alone: replaces its own section of this page",
        "```",
        "",
        "`bench/run.py --help` lists the options (`--parts`, `--faults`, `--st-fault-budget`, "
        "`--deadline-minutes`, "
        "`--work-dir` to keep every run's reports). A subset of parts or faults writes "
        "`reports/bench-partial.json` and leaves this page alone, except `--parts remote`, "
        "which replaces part (f).",
        "",
    ]
    if NOTES.exists():
        lines += [NOTES.read_text().rstrip(), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + _kept_sections(path))


def _kept_sections(path: Path) -> str:
    """The section `bench/mutation.py` owns (its own, longer run), carried over when the rest is rewritten."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    begin, end = "<!-- mutation:begin -->", "<!-- mutation:end -->"
    if begin not in text or end not in text:
        return ""
    return "\n\n" + text[text.index(begin) : text.index(end) + len(end)] + "\n"

"""Run the conformance suite (`--profile mock`) against Stoplight Prism in static and dynamic mode, and
regenerate the results table of docs/mocks.md.

Usage (from the project root, after `npm ci --prefix mocks`):
    .venv/bin/python mocks/run_prism.py [--modes static,dynamic] [--budget smoke] [--timeout 5] [--no-docs]

Prism serves openapi/caldasa.yaml on 127.0.0.1 on a free port; any bearer token passes its auth, so the
tokens are dummies. Reports go to reports/mocks/prism-<mode>/. Exit 0 when every run produced a verdict
(the mock is expected to fail some checks; this script records which, it does not judge them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MOCKS = ROOT / "mocks"
PRISM = MOCKS / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi" / "caldasa.yaml"
DOC = ROOT / "docs" / "mocks.md"
BEGIN, END = "<!-- BEGIN GENERATED: mocks/run_prism.py -->", "<!-- END GENERATED -->"
READY = re.compile(r"Prism is listening on (http://\S+)")
START_TIMEOUT = 120.0
DUMMY_TOKENS = {"CALDASA_TOKEN": "prism-dummy-token-a", "CALDASA_TOKEN_SECONDARY": "prism-dummy-token-b"}


def tokens_for(mode: str) -> dict[str, str]:
    """Static Prism answers `GET /tenant` with the contract's one example whatever the token, so two tokens
    resolve to the same tenant and the run refuses them (exit 2): the static run gets one token, and the
    tenancy class stays unverified with that reason. Dynamic Prism makes up a tenant per answer."""
    kept = DUMMY_TOKENS if mode == "dynamic" else ("CALDASA_TOKEN",)
    return {name: value for name, value in DUMMY_TOKENS.items() if name in kept}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Prism:
    """`prism mock` in its own process group, stopped (group and all) on exit."""

    def __init__(self, dynamic: bool, log: Path) -> None:
        self.port = free_port()
        flags = ["--dynamic"] if dynamic else []
        self.command = [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(self.port), *flags, str(SPEC)]
        self.log = log
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
        )
        url = self._wait_ready()
        return url

    def _wait_ready(self) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        found: list[str] = []
        ready = threading.Event()
        stream = self.process.stdout
        log = self.log.open("w", encoding="utf-8")

        def pump() -> None:  # keep draining Prism's output into the log, or it blocks on a full pipe
            for line in stream:
                log.write(line)
                log.flush()
                match = READY.search(re.sub(r"\x1b\[[0-9;]*m", "", line))
                if match and not found:
                    found.append(match[1])
                    ready.set()
            log.close()
            ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(START_TIMEOUT) or not found:
            self.__exit__()
            raise RuntimeError(f"Prism did not start within {START_TIMEOUT:g}s; see {self.log}")
        return found[0].rstrip("/")

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def run_suite(
    url: str, report_dir: Path, budget: str, timeout: float, seed: int, tokens: dict[str, str]
) -> tuple[list[str], int, float]:
    command = [
        "caldasa-conformance", "run", "--base-url", url, "--profile", "mock", f"--budget={budget}",
        f"--timeout={timeout:g}", f"--seed={seed}", f"--report-dir={report_dir}",
    ]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key not in DUMMY_TOKENS} | tokens
    started = time.monotonic()
    with report_dir.with_name(report_dir.name + ".log").open("w", encoding="utf-8") as log:
        executable = [sys.executable, "-m", "caldasa_conformance.cli", *command[1:]]
        code = subprocess.run(executable, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT).returncode
    return command, code, time.monotonic() - started


def class_rows(summary: dict[str, Any]) -> list[str]:
    """One markdown row per class: counts, then each failing requirement with its most common reasons."""
    failures = summary.get("failures", [])
    rows = []
    for name, counts in summary.get("classes", {}).items():
        by_requirement: dict[str, list[str]] = {}
        for failure in failures:
            if failure.get("class") == name:
                for requirement in failure.get("requirements") or ["?"]:
                    by_requirement.setdefault(requirement, []).append(_stem(failure.get("reason", "")))
        why = "; ".join(
            f"**{rid}** ×{len(reasons)}: {_top_reasons(reasons)}"
            for rid, reasons in sorted(by_requirement.items())
        )
        numbers = " | ".join(str(counts.get(key, 0)) for key in ("passed", "failed", "skipped"))
        rows.append(f"| {name} | {numbers} | {why or '-'} |")
    return rows


def _stem(reason: str) -> str:
    """The reason without its `[operationId]` suffix, so equal causes group together."""
    return re.sub(r"\s*\[[A-Za-z]+\]$", "", " ".join(str(reason).split()))


def _top_reasons(reasons: list[str], limit: int = 2) -> str:
    ranked = Counter(reasons).most_common()
    shown = [f"{_clean(reason, 90)} ({count})" for reason, count in ranked[:limit]]
    more = f" +{len(ranked) - limit} other" if len(ranked) > limit else ""
    return ", ".join(shown) + more


def _clean(reason: str, width: int = 160) -> str:
    text = " ".join(str(reason).split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def render(results: list[dict[str, Any]]) -> str:
    today = dt.date.today().isoformat()
    lines = [
        BEGIN,
        f"Generated {today} by `.venv/bin/python mocks/run_prism.py` · Prism {prism_version()} · "
        f"caldasa-conformance {suite_version()} · Node {node_version()}",
        "",
    ]
    for result in results:
        summary = result["summary"]
        counts = summary.get("counts", {})
        lines += [
            f"### Prism {result['mode']} (`prism mock{' --dynamic' if result['mode'] == 'dynamic' else ''}`)",
            "",
            f"Command: `{' '.join(f'{name}=dummy' for name in tokens_for(result['mode']))} "
            f"{_portable(result['command'])}` "
            f"(`$PRISM_URL`: Prism on a free port) · exit code {result['exit_code']} · "
            f"{result['seconds']:.0f} s · "
            f"{counts.get('passed', 0)} passed, {counts.get('failed', 0)} failed, "
            f"{counts.get('skipped', 0)} skipped · {summary.get('requests', '?')} requests",
            "",
            "| class | passed | failed | skipped | failing requirements (count: most common reasons) |",
            "|---|---|---|---|---|",
            *class_rows(summary),
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def _portable(command: list[str]) -> str:
    """The command as a reader can re-run it: Prism's URL as a variable, paths relative to the project."""
    parts = ["$PRISM_URL" if part.startswith("http://") else part.replace(f"{ROOT}/", "") for part in command]
    return " ".join(parts)


def _output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def prism_version() -> str:
    return _output([str(PRISM), "--version"])


def node_version() -> str:
    return _output(["node", "--version"])


def suite_version() -> str:
    from caldasa_conformance import __version__

    return __version__


def saved_results(report_root: Path) -> list[dict[str, Any]]:
    """The last result of each mode (static first), so one mode can be re-run alone."""
    results = []
    for mode in ("static", "dynamic"):
        path = report_root / f"prism-{mode}.result.json"
        if path.exists():
            results.append(json.loads(path.read_text(encoding="utf-8")))
    return results


def update_doc(generated: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Mocks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + generated + tail, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="static,dynamic")
    parser.add_argument("--budget", default="smoke", choices=("smoke", "default", "deep"))
    parser.add_argument("--timeout", type=float, default=5.0, help="suite timeout per request (seconds)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-root", default=str(ROOT / "reports" / "mocks"))
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/mocks.md")
    args = parser.parse_args()
    if not PRISM.exists():
        print("Prism is not installed: run `npm ci --prefix mocks` first", file=sys.stderr)
        return 2
    results = []
    for mode in args.modes.split(","):
        report_dir = Path(args.report_root) / f"prism-{mode}"
        shutil.rmtree(report_dir, ignore_errors=True)
        with Prism(dynamic=mode == "dynamic", log=report_dir.with_name(f"prism-{mode}.server.log")) as url:
            print(f"run_prism: Prism {mode} on {url}", file=sys.stderr, flush=True)
            tokens = tokens_for(mode)
            command, code, seconds = run_suite(url, report_dir, args.budget, args.timeout, args.seed, tokens)
        summary = (
            json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
            if (report_dir / "summary.json").exists()
            else {}
        )
        print(f"run_prism: {mode}: exit {code} in {seconds:.0f}s; {summary.get('counts')}", file=sys.stderr)
        results.append(
            {"mode": mode, "command": command, "exit_code": code, "seconds": seconds, "summary": summary}
        )
    generated = render(results)
    if not args.no_docs:
        update_doc(generated)
    print(generated)
    return 0 if all(result["exit_code"] in (0, 1) and result["summary"] for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Run Schemathesis' own CLI against a freshly started, clean reference server.

Usage: ``python tests/reference/run_schemathesis.py [--max-examples N] [--seed S] [extra st args...]``.
Exit code = the ``st run`` exit code (0 = zero failures). The bearer token travels through the
environment (``ST_AUTH_TOKEN``, read by the config file's ``[auth.openapi.bearerAuth]``), never through argv.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis-reference.toml")
SPEC = REPO / "openapi" / "caldasa.yaml"


def start_server(token: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "CALDASA_REFERENCE_TOKENS": f"{token}=Schemathesis Tenant"}
    server = subprocess.Popen(
        [sys.executable, "-m", "caldasa_reference", "serve", "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    first_line = server.stdout.readline().strip()
    if not first_line.startswith("Caldasa reference server on "):
        server.kill()
        raise RuntimeError(f"server did not start: {first_line!r}")
    return server, first_line.rsplit(" ", 1)[-1]


def st_command(url: str, args: argparse.Namespace, extra: list[str]) -> list[str]:
    st = str(Path(sys.executable).with_name("st"))
    return [
        st,
        "--config-file",
        str(CONFIG),
        "run",
        str(SPEC),
        "--url",
        url,
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--seed",
        str(args.seed),
        "--max-examples",
        str(args.max_examples),
        "--no-shrink",
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--generation-database",
        "none",
        *extra,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261125)
    args, extra = parser.parse_known_args(argv)
    token = os.environ.get("ST_AUTH_TOKEN") or secrets.token_urlsafe(24)
    server, url = start_server(token)
    try:
        env = {**os.environ, "ST_AUTH_TOKEN": token}
        # A scratch cwd: no schemathesis.toml is discovered there; .hypothesis/ stays out of the repo.
        with tempfile.TemporaryDirectory(prefix="caldasa-st-") as scratch:
            return subprocess.call(st_command(url, args, extra), cwd=scratch, env=env)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())

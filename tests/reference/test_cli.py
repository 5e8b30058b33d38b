"""The `caldasa-reference` command line: faults listing, serve banner, token sources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from caldasa_reference.cli import main
from caldasa_reference.faults import FAULTS

REPO = Path(__file__).resolve().parents[2]


def test_faults_lists_name_requirement_description(capsys: object) -> None:
    assert main(["faults"]) == 0
    lines = capsys.readouterr().out.splitlines()  # type: ignore[attr-defined]
    assert lines == [f"{f.name}\t{f.requirement}\t{f.description}" for f in FAULTS]
    assert main(["faults", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)  # type: ignore[attr-defined]
    assert listed[0] == {
        "name": FAULTS[0].name,
        "requirement": FAULTS[0].requirement,
        "description": FAULTS[0].description,
    }


def test_unknown_fault_exits_2_with_one_line(capsys: object) -> None:
    assert main(["serve", "--port", "0", "--fault", "no-such-fault"]) == 2
    err = capsys.readouterr().err.strip()  # type: ignore[attr-defined]
    assert "\n" not in err
    assert "no-such-fault" in err
    assert "tenant-leak" in err


@contextmanager
def served(
    *args: str, env: dict[str, str] | None = None, banner_lines: int = 3
) -> Iterator[tuple[str, list[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "caldasa_reference", "serve", "--port", "0", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline().rstrip("\n") for _ in range(banner_lines)]
        yield lines[0].rsplit(" ", 1)[-1], lines
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_banner_names_tenants_never_tokens() -> None:
    env = {"CALDASA_REFERENCE_TOKENS": "env-secret-1=Salon One,env-secret-2=Salon Two"}
    with served(env=env) as (url, lines):
        assert lines[0] == f"Caldasa reference server on {url}"
        assert url.startswith("http://127.0.0.1:")
        assert "Salon One" in "\n".join(lines)
        assert "env-secret" not in "\n".join(lines)
        response = httpx.get(
            f"{url}/tenant", headers={"Authorization": "Bearer env-secret-2"}, trust_env=False
        )
        assert response.json()["name"] == "Salon Two"


def test_tokens_file_and_demo_defaults(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text("# comment\nfile-token=File Salon\n")
    with served("--tokens-file", str(tokens), env={"CALDASA_REFERENCE_TOKENS": ""}, banner_lines=2) as (
        url,
        _,
    ):
        ok = httpx.get(f"{url}/tenant", headers={"Authorization": "Bearer file-token"}, trust_env=False)
        assert ok.json()["name"] == "File Salon"
        demo = httpx.get(
            f"{url}/tenant", headers={"Authorization": "Bearer caldasa-demo-token-a"}, trust_env=False
        )
        assert demo.status_code == 401  # demo tenants exist only when no token is configured


def test_serve_on_a_port_in_use_exits_2_with_one_line() -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [sys.executable, "-m", "caldasa_reference", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"caldasa-reference: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]

"""The report directory: clearing a previous run's results (keeping its history) and the secret scan."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from caldasa_conformance.reporting.allure_extras import save_history

# Only names this tool writes are ever removed: a --report-dir pointing somewhere unusual loses nothing else.
STALE_NAMES = (
    "junit.xml",
    "allure-results",
    "allure-report",
    "summary.json",
    "summary.md",
    ".caldasa",
    "reference-server.log",
)


def clear_stale(report_dir: Path) -> None:
    """Remove the previous run's outputs; its Allure history moves to `<report-dir>/history` first."""
    save_history(report_dir)
    for name in STALE_NAMES:
        path = report_dir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def _needles(secrets: Iterable[str]) -> list[bytes]:
    variants = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
    return sorted((form.encode("utf-8") for form in variants), key=len, reverse=True)


def find_secrets(report_dir: Path, secrets: Iterable[str]) -> list[Path]:
    """Every file under `report_dir` that contains one of `secrets` (raw or URL-encoded)."""
    needles = _needles(secrets)
    hits: list[Path] = []
    for path in sorted(report_dir.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            content = path.read_bytes()
        except OSError:
            continue
        if any(needle in content for needle in needles):
            hits.append(path)
    return hits

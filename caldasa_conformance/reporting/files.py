"""Writing report files: always redacted, never half-written.

Every file the runner writes goes through `write_text`, which redacts registered secrets and replaces the
target in one `os.replace`, so a reader (CI artifact upload, a crashed run) never sees a partial file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from caldasa_conformance.redaction import redact


def write_text(path: Path, text: str) -> None:
    """Write `text`, redacted, to `path` atomically (creating parent directories)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(redact(text))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; reports are meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """Write `data` as indented JSON (redacted, atomic)."""
    write_text(path, json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n")


def read_json(path: Path, default: Any = None) -> Any:
    """Read a JSON file, or return `default` when it is missing or not valid JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default

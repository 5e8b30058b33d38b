"""The `caldasa-conformance` runner: options, the embedded reference server, the pytest session, merging,
rendering and cleanup. Its two small pytest plugins (`progress`, `shard`) are loaded into the pytest
subprocess with `-p`."""

from __future__ import annotations

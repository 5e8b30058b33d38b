"""The `caldasa-conformance` runner: options, the embedded reference server, the pytest session, merging,
rendering and cleanup. Its two small pytest pieces (`progress`, `shard`) are loaded by
`caldasa_conformance.plugin` itself."""

from __future__ import annotations

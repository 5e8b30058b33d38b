"""caldasa-conformance: the contract-testing and API-conformance suite for the Caldasa public API."""

from __future__ import annotations

__version__ = "0.1.0"

"""The Caldasa reference server: a faithful, stateful implementation of the contract with named faults."""

from __future__ import annotations

__version__ = "0.1.0"

"""Hypothesis strategies for Caldasa domain payloads."""

from __future__ import annotations

__all__: list[str] = []

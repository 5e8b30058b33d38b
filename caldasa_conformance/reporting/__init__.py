"""Reporters: JUnit parsing, summaries, Allure extras and labels, written redacted and atomically."""

from __future__ import annotations

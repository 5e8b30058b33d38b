"""The pytest plugin of the suite (options, markers, configuration, reporting)."""

from __future__ import annotations

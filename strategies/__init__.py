"""Hypothesis strategies for Caldasa domain payloads (valid for the domain, built bottom-up)."""

from __future__ import annotations

from strategies._domain import (
    business_hours,
    customers,
    emails,
    locations,
    names,
    note_bodies,
    phones,
    resource_types,
    staff_members,
    time_windows,
)

__all__ = [
    "business_hours",
    "customers",
    "emails",
    "locations",
    "names",
    "note_bodies",
    "phones",
    "resource_types",
    "staff_members",
    "time_windows",
]

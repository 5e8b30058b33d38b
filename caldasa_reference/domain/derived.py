"""Derived booking fields (design §4 B9, §8 #28, #37)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def service_name(reservable_name: str, variant_name: str) -> str:
    """`"{reservable} – {variant}"` with U+2013 between spaces (§8 #37)."""
    return f"{reservable_name} \u2013 {variant_name}"


def sort_items(items: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Items by `startsAt`; ties keep request order (stable sort). Timestamps are canonical strings."""
    return sorted(items, key=lambda item: str(item["startsAt"]))


def booking_summary(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """`startsAt` = min, `endsAt` = max and `totalCents` = Σ of the items (canonical timestamp strings)."""
    return {
        "startsAt": min(str(item["startsAt"]) for item in items),
        "endsAt": max(str(item["endsAt"]) for item in items),
        "totalCents": sum(int(item["priceCents"]) for item in items),
    }

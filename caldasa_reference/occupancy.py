"""Which booking items hold staff and resources (§8 #27): read straight from ``tenant.bookings``."""

from __future__ import annotations

from collections.abc import Iterator

from caldasa_reference.store import Record, TenantStore

ItemRef = tuple[Record, Record]  # (booking, item)


def occupying_items(tenant: TenantStore) -> Iterator[ItemRef]:
    """Items of every booking whose status is not ``Cancelled``, at any time."""
    for booking in tenant.bookings.values():
        if booking.get("status") != "Cancelled":
            for item in booking.get("items", []):
                yield booking, item


def live_items(tenant: TenantStore) -> Iterator[ItemRef]:
    """Occupying items that have not ended yet (``endsAt > now``)."""
    now = tenant.now_iso()
    for booking, item in occupying_items(tenant):
        if item["endsAt"] > now:
            yield booking, item


def item_resource_ids(item: Record) -> list[str]:
    return list(item.get("_resourceIds") or [])


def overlaps(start_a: str, end_a: str, start_b: str, end_b: str) -> bool:
    """Half-open interval overlap on emitted ISO strings (they sort as text)."""
    return start_a < end_b and start_b < end_a

"""Resource allocation for one booking item (design §8 #31): pinned units first, then name asc, id asc."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from caldasa_reference.domain.availability import ResourcePool
from caldasa_reference.domain.timeline import Interval


class ResourceUnavailable(Exception):
    """A pinned unit is held by an occupying item overlapping the interval."""


def allocate(
    pools: Sequence[ResourcePool],
    pinned: Mapping[str, Sequence[str]],
    interval: Interval,
    order: Callable[[list[str]], list[str]] = list,
) -> list[str]:
    """Choose the units an item holds: every pinned unit (which must be free) plus auto-picked free units.

    Args:
        pools: one pool per required resource type, units sorted name asc, id asc.
        pinned: resource type id → unit ids the client pinned (already validated to be active units of
            that type at the location, at most `quantity` of them).
        interval: the item's interval.
        order: puts the free units in the order they are taken (the default keeps name asc, id asc).

    Returns:
        The held unit ids, type by type.

    Raises:
        ResourceUnavailable: a pinned unit is busy, or too few free units remain.
    """
    held: list[str] = []
    for pool in pools:
        wanted = list(pinned.get(pool.resource_type_id, ()))
        free_ids = [unit.resource_id for unit in pool.free_units(interval)]
        if any(unit_id not in free_ids for unit_id in wanted):
            raise ResourceUnavailable(pool.resource_type_id)
        others = order([unit_id for unit_id in free_ids if unit_id not in wanted])
        extra = others[: pool.quantity - len(wanted)]
        if len(wanted) + len(extra) < pool.quantity:
            raise ResourceUnavailable(pool.resource_type_id)
        held += wanted + extra
    return held

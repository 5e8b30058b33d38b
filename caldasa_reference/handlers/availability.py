"""`listAvailabilitySlots` (design §3.2, §8 #25–#27)."""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from caldasa_reference.domain.availability import Slot, open_slots, within_horizon
from caldasa_reference.domain.calendars import (
    Offer,
    base_ignore,
    day_query,
    find_variant,
    resource_pools,
    search_window,
    staff_calendars,
    staff_candidates,
)
from caldasa_reference.domain.occupancy import item_interval
from caldasa_reference.domain.timeline import GRID, Interval, format_instant
from caldasa_reference.routing import ProblemError, Reply, RequestContext, operation
from caldasa_reference.store import TenantStore


def _query_id(ctx: RequestContext, name: str) -> str | None:
    value = ctx.query.get(name)
    return str(value).lower() if value is not None else None


def resolve_offer(ctx: RequestContext) -> Offer:
    """The variant at the location named by the query; unknown ids are 400s naming the parameter."""
    errors: dict[str, list[str]] = {}
    found = find_variant(ctx.tenant, _query_id(ctx, "reservableVariantId") or "")
    if found is None:
        errors["reservableVariantId"] = ["Unknown reservable variant."]
    location = ctx.tenant.locations.get(_query_id(ctx, "businessLocationId") or "")
    if location is None:
        errors["businessLocationId"] = ["Unknown business location."]
    staff_id = _query_id(ctx, "staffMemberId")
    if staff_id is not None and staff_id not in ctx.tenant.staff:
        errors["staffMemberId"] = ["Unknown staff member."]
    if errors or found is None or location is None:
        raise ProblemError(ctx.validation_problem(errors))
    reservable, variant = found
    return Offer(location, reservable, variant)


def compute_slots(ctx: RequestContext, offer: Offer, day: date, staff_filter: str | None) -> list[Slot]:
    if not offer.usable or not within_horizon(day, ctx.tenant.now(), offer.zone):
        return []
    requires_staff = bool(offer.reservable.get("requiresStaff", True))
    if not requires_staff and staff_filter is not None:
        return []
    ignore = base_ignore(ctx)
    if ctx.fault("availability-ignores-bookings"):
        ignore.staff_bookings = ignore.unit_bookings = True
    if ctx.fault("availability-counts-cancelled"):
        ignore.staff_extra, ignore.unit_extra = cancelled_holds(ctx.tenant)
    window = search_window(offer, day)
    calendars = None
    if requires_staff:
        members = staff_candidates(ctx.tenant, offer, staff_filter)
        calendars = staff_calendars(ctx.tenant, offer, members, window, ignore)
    pools = resource_pools(ctx.tenant, offer, window, ignore)
    query = day_query(ctx.tenant, offer, day, ctx.tenant.now(), calendars, pools)
    if ctx.fault("availability-ignores-dst"):  # T10
        query = dataclasses.replace(query, zone=midnight_offset_zone(query.zone, day))
    return open_slots(query)


def midnight_offset_zone(zone: ZoneInfo, day: date) -> ZoneInfo:
    """The fixed zone of `zone`'s UTC offset at local midnight of `day` — using it for the whole day is the
    `availability-ignores-dst` fault (T10). Offsets that are not whole hours have no `Etc/` zone: kept."""
    offset = datetime.combine(day, time(0), tzinfo=zone).utcoffset() or timedelta(0)
    hours, rest = divmod(offset, timedelta(hours=1))
    if rest:
        return zone
    return ZoneInfo("Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}")


def cancelled_holds(tenant: TenantStore) -> tuple[dict[str, list[Interval]], dict[str, list[Interval]]]:
    """What cancelled bookings held (staff, units): busy time only for the `availability-counts-cancelled`
    fault (A4), a server that forgot to filter cancelled bookings out of its availability query."""
    staff: defaultdict[str, list[Interval]] = defaultdict(list)
    units: defaultdict[str, list[Interval]] = defaultdict(list)
    for booking in tenant.bookings.values():
        if booking["status"] != "Cancelled":
            continue
        for item in booking["items"]:
            if item.get("staffMemberId"):
                staff[item["staffMemberId"]].append(item_interval(item))
            for unit_id in item.get("_resourceIds", ()):
                units[unit_id].append(item_interval(item))
    return dict(staff), dict(units)


def slot_dtos(slots: list[Slot]) -> list[dict[str, Any]]:
    """Render slots; the few distinct instants of a day are formatted once each (strftime dominates)."""
    render = functools.lru_cache(maxsize=None)(format_instant)
    return [slot_dto(slot, render) for slot in slots]


def slot_dto(slot: Slot, render: Callable[[datetime], str] = format_instant) -> dict[str, Any]:
    return {
        "startsAt": render(slot.starts_at),
        "endsAt": render(slot.ends_at),
        "staffMemberId": slot.staff_member_id,
        "staffMemberName": slot.staff_member_name,
    }


@operation("listAvailabilitySlots")
def list_availability_slots(ctx: RequestContext) -> Reply:
    offer = resolve_offer(ctx)
    day = date.fromisoformat(str(ctx.query["date"]))
    slots = compute_slots(ctx, offer, day, _query_id(ctx, "staffMemberId"))
    if ctx.fault("slot-ends-after-grid-step"):
        slots = [dataclasses.replace(slot, ends_at=slot.starts_at + GRID) for slot in slots]
    return ctx.ok(
        {
            "reservableVariantId": offer.variant["id"],
            "businessLocationId": offer.location["id"],
            "date": day.isoformat(),
            "timeZone": offer.location["timeZone"],
            "durationMinutes": int(offer.variant["durationMinutes"]),
            "slots": slot_dtos(slots),
        }
    )

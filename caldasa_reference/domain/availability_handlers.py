"""`listAvailabilitySlots` (design §3.2, §8 #25–#27)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

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
from caldasa_reference.domain.timeline import format_instant
from caldasa_reference.routing import ProblemError, Reply, RequestContext, operation


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
    window = search_window(offer, day)
    calendars = None
    if requires_staff:
        members = staff_candidates(ctx.tenant, offer, staff_filter)
        calendars = staff_calendars(ctx.tenant, offer, members, window, ignore)
    pools = resource_pools(ctx.tenant, offer, window, ignore)
    return open_slots(day_query(ctx.tenant, offer, day, ctx.tenant.now(), calendars, pools))


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

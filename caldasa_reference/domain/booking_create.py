"""The createBooking pipeline (design §4 B1–B12, §8 #28–#37): validate, place, allocate, persist.

Items are placed in request order with earlier items of the same request already holding their staff and
units; any failure raises before anything is stored, so the booking is all-or-nothing.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from caldasa_reference.domain.allocation import ResourceUnavailable, allocate
from caldasa_reference.domain.availability import (
    BOOKING_HORIZON_DAYS,
    BusinessHour,
    DayQuery,
    StaffCalendar,
    is_open_start,
)
from caldasa_reference.domain.calendars import (
    Ignore,
    Offer,
    base_ignore,
    day_query,
    find_variant,
    resource_pools,
    search_window,
    staff_calendars,
    staff_candidates,
)
from caldasa_reference.domain.timeline import GRID, Interval, local_day_bounds, parse_instant, truncate_ms
from caldasa_reference.routing import ProblemError, Reply, RequestContext
from caldasa_reference.store import Record

EMAIL = re.compile(r"^[^@ \t\r\n]+@[^@ \t\r\n]+$")
ALWAYS_OPEN = tuple(BusinessHour(day, "00:00:00", "23:59:59") for day in range(7))  # the B3 fault's hours


@dataclass(frozen=True)
class ResolvedItem:
    index: int
    offer: Offer
    staff_id: str | None
    interval: Interval
    pinned: dict[str, list[str]]


@dataclass(frozen=True)
class PlacedItem:
    resolved: ResolvedItem
    staff_id: str | None
    resource_ids: list[str]


def _lower(value: Any) -> str | None:
    return str(value).lower() if value is not None else None


class _Errors(dict[str, list[str]]):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def resolve(ctx: RequestContext, body: dict[str, Any]) -> tuple[Record, list[ResolvedItem]]:
    """Semantic 400 checks (§8 #29); returns the location and each item resolved against the catalog."""
    tenant, errors = ctx.tenant, _Errors()
    location = tenant.locations.get(_lower(body.get("businessLocationId")) or "")
    if location is None:
        errors.add("businessLocationId", "Unknown business location.")
    customer_id = _lower(body.get("customerId"))
    if customer_id is not None and customer_id not in tenant.customers:
        errors.add("customerId", "Unknown customer.")
    email = body.get("customerEmail")
    if email is not None and not EMAIL.match(email):
        errors.add("customerEmail", "Not a valid email address.")
    resolved = [_resolve_item(ctx, index, item, location, errors) for index, item in enumerate(body["items"])]
    _check_same_staff_overlaps([item for item in resolved if item is not None], errors)
    if errors or location is None:
        raise ProblemError(ctx.validation_problem(errors))
    return location, [item for item in resolved if item is not None]


def _resolve_item(
    ctx: RequestContext, index: int, item: dict[str, Any], location: Record | None, errors: _Errors
) -> ResolvedItem | None:
    prefix = f"items[{index}]"
    found = find_variant(ctx.tenant, _lower(item.get("reservableVariantId")) or "")
    if found is None and ctx.fault("booking-unknown-variant-404"):  # B11: a lookup failure leaks as 404
        raise ProblemError(ctx.not_found("reservable variant"))
    if found is None:
        errors.add(f"{prefix}.reservableVariantId", "Unknown reservable variant.")
    staff_id = _lower(item.get("staffMemberId"))
    if staff_id is not None and staff_id not in ctx.tenant.staff:
        errors.add(f"{prefix}.staffMemberId", "Unknown staff member.")
    start = truncate_ms(parse_instant(item["startsAt"]))
    if start <= ctx.tenant.now():
        errors.add(f"{prefix}.startsAt", "Must be in the future.")
    if found is None or location is None:
        return None
    offer = Offer(location, *found)
    pinned = _check_selections(ctx, prefix, offer, item.get("resourceSelections") or [], errors)
    return ResolvedItem(index, offer, staff_id, Interval(start, _end(start, offer.duration)), pinned)


def _end(start: datetime, duration: timedelta) -> datetime:
    """start + duration, saturating at the last representable instant (such items fail as too far ahead)."""
    try:
        return start + duration
    except OverflowError:
        return datetime.max.replace(tzinfo=timezone.utc)


def _check_selections(
    ctx: RequestContext, prefix: str, offer: Offer, selections: Sequence[dict[str, Any]], errors: _Errors
) -> dict[str, list[str]]:
    """Validate resource selections; returns the pinned unit ids per resource type."""
    required: Counter[str] = Counter(offer.reservable.get("_resourceTypeIds", ()))
    chosen: Counter[str] = Counter()
    pinned: defaultdict[str, list[str]] = defaultdict(list)
    for position, selection in enumerate(selections):
        key = f"{prefix}.resourceSelections[{position}]"
        type_id = _lower(selection.get("resourceTypeId")) or ""
        if type_id not in ctx.tenant.resource_types:
            errors.add(f"{key}.resourceTypeId", "Unknown resource type.")
            continue
        if type_id not in required:
            errors.add(f"{key}.resourceTypeId", "The reservable does not require this resource type.")
            continue
        chosen[type_id] += 1
        if chosen[type_id] > required[type_id]:
            errors.add(f"{prefix}.resourceSelections", "More selections than the required quantity.")
        unit_id = _lower(selection.get("specificResourceId"))
        if unit_id is None:
            continue
        if not _unit_fits(ctx, unit_id, type_id, offer.location["id"]):
            errors.add(f"{key}.specificResourceId", "Not an active unit of this type at the location.")
        elif any(unit_id in units for units in pinned.values()):
            errors.add(f"{key}.specificResourceId", "The same unit is pinned twice.")
        else:
            pinned[type_id].append(unit_id)
    return dict(pinned)


def _unit_fits(ctx: RequestContext, unit_id: str, type_id: str, location_id: str) -> bool:
    unit = ctx.tenant.resources.get(unit_id)
    return bool(
        unit
        and unit["resourceTypeId"] == type_id
        and unit.get("businessLocationId") == location_id
        and unit.get("isActive")
    )


def _check_same_staff_overlaps(items: Sequence[ResolvedItem], errors: _Errors) -> None:
    for later_position, later in enumerate(items):
        for earlier in items[:later_position]:
            if (
                later.staff_id
                and later.staff_id == earlier.staff_id
                and later.interval.overlaps(earlier.interval)
            ):
                errors.add(
                    f"items[{later.index}].startsAt", f"Overlaps items[{earlier.index}] of the same staff."
                )


def place(ctx: RequestContext, items: Sequence[ResolvedItem]) -> list[PlacedItem]:
    """Check each item against §8 #26 and allocate its units (§8 #30, #31); 409 on the first failure."""
    staff_extra: defaultdict[str, list[Interval]] = defaultdict(list)
    unit_extra: defaultdict[str, list[Interval]] = defaultdict(list)
    placed = []
    for item in items:
        ignore = base_ignore(ctx)
        ignore.staff_bookings = ctx.fault("double-booking-staff")
        ignore.unit_bookings = ctx.fault("double-allocation-resource")
        ignore.staff_extra, ignore.unit_extra = staff_extra, unit_extra
        result = _place_one(ctx, item, ignore)
        if result.staff_id:
            staff_extra[result.staff_id].append(item.interval)
        for unit_id in result.resource_ids:
            unit_extra[unit_id].append(item.interval)
        placed.append(result)
    return placed


def _place_one(ctx: RequestContext, item: ResolvedItem, ignore: Ignore) -> PlacedItem:
    offer, start = item.offer, item.interval.start
    if start - ctx.tenant.now() > timedelta(days=BOOKING_HORIZON_DAYS + 2):  # also keeps date maths in range
        raise ProblemError(_conflict(ctx, "slot_unavailable", item, "The requested slot is too far ahead."))
    day = start.astimezone(offer.zone).date()
    window = search_window(offer, day)
    pools = resource_pools(ctx.tenant, offer, window, ignore)
    calendars: list[StaffCalendar] | None = None
    requires_staff = bool(offer.reservable.get("requiresStaff", True))
    if requires_staff:
        eligible_only = not ctx.fault("booking-ignores-eligibility")  # B6
        members = staff_candidates(ctx.tenant, offer, item.staff_id, eligible_only=eligible_only)
        calendars = staff_calendars(ctx.tenant, offer, members, window, ignore)
        if ctx.fault("booking-ignores-shifts"):  # B4: as if every member worked the whole day
            calendars = [dataclasses.replace(calendar, shifts=[window]) for calendar in calendars]
    query = day_query(ctx.tenant, offer, day, ctx.tenant.now(), calendars, pools)
    if ctx.fault("booking-ignores-business-hours"):  # B3: as if the location never closed
        query = dataclasses.replace(query, hours=ALWAYS_OPEN)
    if ctx.fault("closing-slot-refused"):  # A1: `end < free end` instead of `<=` refuses the last slot
        query = dataclasses.replace(query, duration=query.duration + timedelta(seconds=1))
    checked = _grid_floor(item, query) if ctx.fault("booking-off-grid-accepted") else item  # B7
    chosen = _open_choice(checked, query, staff_in_choice_order(ctx, calendars), requires_staff)
    if chosen is False:
        raise ProblemError(_conflict(ctx, "slot_unavailable", item, "The requested slot is not available."))
    try:
        held = allocate(pools, item.pinned, item.interval, order=unit_choice_order(ctx))
    except ResourceUnavailable:
        raise ProblemError(
            _conflict(ctx, "resource_unavailable", item, "A selected resource is not available.")
        ) from None
    return PlacedItem(item, chosen if isinstance(chosen, str) else None, held)


def staff_in_choice_order(
    ctx: RequestContext, calendars: list[StaffCalendar] | None
) -> list[StaffCalendar] | None:
    """The open staff member that gets a null `staffMemberId` is the first in this order (§8 #30: the
    reference takes the lowest id; any open eligible member is allowed, which the variants exercise)."""
    if calendars is None:
        return None
    if ctx.variant("staff-highest-id"):
        return sorted(calendars, key=lambda calendar: calendar.staff_member_id, reverse=True)
    if ctx.variant("staff-random"):
        return random.sample(calendars, len(calendars))
    return calendars


def unit_choice_order(ctx: RequestContext) -> Callable[[list[str]], list[str]]:
    """How free units are ordered before the first ones are taken (§8 #31: the reference keeps name asc,
    id asc; any free unit is allowed, which the `unit-random` variant exercises)."""
    if ctx.variant("unit-random"):
        return lambda free: random.sample(free, len(free))
    return list


def _grid_floor(item: ResolvedItem, query: DayQuery) -> ResolvedItem:
    """The item moved back onto the grid: checking that slot instead of `startsAt` is the B7 fault."""
    midnight = local_day_bounds(query.day, query.zone).start
    start = midnight + (item.interval.start - midnight) // GRID * GRID
    return dataclasses.replace(item, interval=Interval(start, start + query.duration))


def _open_choice(
    item: ResolvedItem, query: DayQuery, calendars: list[StaffCalendar] | None, requires_staff: bool
) -> str | bool:
    """The staff id that gets the item (lowest open id), True when no staff is needed, False if closed."""
    start = item.interval.start
    if not item.offer.usable:
        return False
    if not requires_staff:
        return item.staff_id is None and is_open_start(start, query, None)
    for calendar in calendars or []:
        if is_open_start(start, query, calendar):
            return calendar.staff_member_id
    return False


def _conflict(ctx: RequestContext, code: str, item: ResolvedItem, detail: str) -> Reply:
    return ctx.conflict(code, f"items[{item.index}]: {detail}", itemIndex=item.index)

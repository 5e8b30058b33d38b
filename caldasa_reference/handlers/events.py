"""Events and ticket types over HTTP (design §4.4 E1–E5, §8 #46, #49, #52–#54)."""

from __future__ import annotations

from typing import Any

from caldasa_reference.domain.event_views import (
    effective_capacity,
    event_detail_dto,
    event_dto,
    event_orders,
    event_ticket_types,
    left_of,
    sales_of,
    sales_report,
    ticket_type_dto,
)
from caldasa_reference.domain.timeline import normalise_instant, parse_instant
from caldasa_reference.lists import as_list, paginate
from caldasa_reference.routing import ProblemError, Reply, RequestContext, operation
from caldasa_reference.store import Record, TenantStore, add_outbox, emit_event, new_id, ordered

EVENT_FIELDS = ("name", "description", "businessLocationId", "startsAt", "endsAt", "capacity")
TIER_FIELDS = ("name", "description", "priceCents", "capacity", "salesStartAt", "salesEndAt", "maxPerOrder")
INSTANT_FIELDS = ("startsAt", "endsAt", "salesStartAt", "salesEndAt")


def find_event(ctx: RequestContext) -> Record:
    event = ctx.tenant.events.get(ctx.path["eventId"])
    if event is None:
        raise ProblemError(ctx.not_found("event"))
    return event


def find_tier(ctx: RequestContext, event: Record) -> Record:
    tier = ctx.tenant.ticket_types.get(ctx.path["ticketTypeId"])
    if tier is None or tier["eventId"] != event["id"]:
        raise ProblemError(ctx.not_found("ticket type"))
    return tier


def _sent(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """Non-null fields of a request, date-times normalised, ids lower-cased (null ≡ omitted)."""
    sent = {name: body[name] for name in fields if body.get(name) is not None}
    for name in INSTANT_FIELDS:
        if name in sent:
            sent[name] = normalise_instant(sent[name])
    if "businessLocationId" in sent:
        sent["businessLocationId"] = str(sent["businessLocationId"]).lower()
    return sent


def _refuse_if_cancelled(ctx: RequestContext, event: Record) -> None:
    if event["status"] == "Cancelled":
        raise ProblemError(ctx.conflict("event_cancelled", "The event is cancelled."))


# --- events ---------------------------------------------------------------------------------------------


def _check_event(ctx: RequestContext, sent: dict[str, Any], merged: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "startsAt" in sent and parse_instant(sent["startsAt"]) <= ctx.tenant.now():
        errors["startsAt"] = ["Must be in the future."]
    if parse_instant(merged["endsAt"]) <= parse_instant(merged["startsAt"]):
        errors["endsAt"] = ["Must be after startsAt."]
    location = sent.get("businessLocationId")
    if location is not None and location not in ctx.tenant.locations:
        errors["businessLocationId"] = ["Unknown business location."]
    if errors:
        raise ProblemError(ctx.validation_problem(errors))


@operation("createEvent")
def create_event(ctx: RequestContext) -> Reply:
    sent = _sent(ctx.body, EVENT_FIELDS)
    _check_event(ctx, sent, sent)
    event: Record = {
        "id": new_id(),
        "name": sent["name"],
        "description": sent.get("description"),
        "status": "Draft",
        "businessLocationId": sent.get("businessLocationId"),
        "startsAt": sent["startsAt"],
        "endsAt": sent["endsAt"],
        "capacity": sent.get("capacity"),
        "publishedAt": None,
        "cancelledAt": None,
        "createdAt": ctx.tenant.now_iso(),
        "updatedAt": None,
    }
    ctx.tenant.events[event["id"]] = event
    return ctx.created(event_detail_dto(ctx.tenant, event), f"/events/{event['id']}")


@operation("getEvent")
def get_event(ctx: RequestContext) -> Reply:
    return ctx.ok(event_detail_dto(ctx.tenant, find_event(ctx)))


def _event_matches(ctx: RequestContext, event: Record) -> bool:
    statuses = as_list(ctx.query.get("status"))
    location = ctx.query.get("businessLocationId")
    low, high = ctx.query.get("from"), ctx.query.get("to")
    start = parse_instant(event["startsAt"])
    return (
        (not statuses or event["status"] in statuses)
        and (location is None or event.get("businessLocationId") == str(location).lower())
        and (low is None or start >= parse_instant(str(low)))
        and (high is None or start < parse_instant(str(high)))
    )


@operation("listEvents")
def list_events(ctx: RequestContext) -> Reply:
    found = [event for event in ctx.tenant.events.values() if _event_matches(ctx, event)]
    return ctx.ok(paginate(ctx, ordered(found, "startsAt"), lambda event: event_dto(ctx.tenant, event)))


@operation("updateEvent")
def update_event(ctx: RequestContext) -> Reply:
    event = find_event(ctx)
    sent = _sent(ctx.body or {}, EVENT_FIELDS)
    _check_event(ctx, sent, {**event, **sent})
    _refuse_if_cancelled(ctx, event)
    if "capacity" in sent and int(sent["capacity"]) < sales_of(ctx.tenant, event["id"]).total_sold:
        return ctx.conflict("capacity_below_sold", "The capacity is below the tickets already sold.")
    changes = {name: value for name, value in sent.items() if event.get(name) != value}
    if changes:
        event.update(changes, updatedAt=ctx.tenant.now_iso())
    return ctx.ok(event_detail_dto(ctx.tenant, event))


def publish(ctx: RequestContext, event: Record) -> None:
    """Draft → Published (§8 #53 precedence); the `event-republish` fault (E1) skips the Draft check."""
    if event["status"] != "Draft" and not ctx.fault("event-republish"):
        raise ProblemError(ctx.conflict("event_not_draft", f"A {event['status']} event cannot be published."))
    # The `publish-without-ticket-types` fault (E2) skips this check.
    if not event_ticket_types(ctx.tenant, event["id"]) and not ctx.fault("publish-without-ticket-types"):
        raise ProblemError(ctx.conflict("no_ticket_types", "The event has no ticket types."))
    if parse_instant(event["endsAt"]) <= ctx.tenant.now():
        raise ProblemError(ctx.conflict("event_ended", "The event has already ended."))
    now = ctx.tenant.now_iso()
    event.update(status="Published", publishedAt=event.get("publishedAt") or now, updatedAt=now)
    emit_event(ctx.tenant, "event.published", event_dto(ctx.tenant, event))


@operation("publishEvent")
def publish_event(ctx: RequestContext) -> Reply:
    event = find_event(ctx)
    publish(ctx, event)
    return ctx.ok(event_detail_dto(ctx.tenant, event))


@operation("cancelEvent")
def cancel_event(ctx: RequestContext) -> Reply:
    tenant, event = ctx.tenant, find_event(ctx)
    if event["status"] == "Cancelled":
        return ctx.conflict("already_cancelled", "The event is already cancelled.")
    now = tenant.now_iso()
    event.update(status="Cancelled", cancelledAt=now, updatedAt=now)
    if ctx.query.get("notifyAttendees", True) is not False:
        _notify_attendees(tenant, event)
    emit_event(tenant, "event.cancelled", event_dto(tenant, event))
    return ctx.ok(event_detail_dto(tenant, event))


def _notify_attendees(tenant: TenantStore, event: Record) -> None:
    for order in event_orders(tenant, event["id"]):
        if order["status"] not in ("Cancelled", "Refunded"):
            add_outbox(
                tenant,
                "EventCancellation",
                customerId=order.get("customerId"),
                ticketOrderId=order["id"],
                eventId=event["id"],
                channel="Email",
                recipient=order.get("buyerEmail"),
            )


@operation("getTicketSalesReport")
def get_ticket_sales_report(ctx: RequestContext) -> Reply:
    report = sales_report(ctx.tenant, find_event(ctx))
    if ctx.fault("report-net-minus-refunds"):  # E5: the withdrawn net = gross − refunded (never negative)
        report["netCents"] = max(0, report["grossCents"] - report["refundedCents"])
    return ctx.ok(report)


# --- ticket types ---------------------------------------------------------------------------------------


def tier_dtos(tenant: TenantStore, event: Record) -> list[Record]:
    sales = sales_of(tenant, event["id"])
    tiers = event_ticket_types(tenant, event["id"])
    left = left_of(effective_capacity(event, tiers), sales.total_sold)
    return [ticket_type_dto(tenant, tier, event, sales, left) for tier in tiers]


def _tier_dto(tenant: TenantStore, event: Record, tier_id: str) -> Record:
    return next(dto for dto in tier_dtos(tenant, event) if dto["id"] == tier_id)


@operation("listTicketTypes")
def list_ticket_types(ctx: RequestContext) -> Reply:
    return ctx.ok({"items": tier_dtos(ctx.tenant, find_event(ctx))})


def _check_tier(ctx: RequestContext, event: Record, merged: dict[str, Any]) -> None:
    """Cross-field and cross-entity checks, on the merged result (§8 #17, #54)."""
    starts, ends = merged.get("salesStartAt"), merged.get("salesEndAt")
    errors: dict[str, list[str]] = {}
    if ends is not None and starts is not None and parse_instant(ends) <= parse_instant(starts):
        errors["salesEndAt"] = ["Must be after salesStartAt."]
    elif ends is not None and parse_instant(ends) > parse_instant(event["endsAt"]):
        errors["salesEndAt"] = ["Must not be after the event's endsAt."]
    if errors:
        raise ProblemError(ctx.validation_problem(errors))


def _refuse_duplicate_name(ctx: RequestContext, event: Record, name: str, tier_id: str | None) -> None:
    for other in event_ticket_types(ctx.tenant, event["id"]):
        if other["name"] == name and other["id"] != tier_id:
            raise ProblemError(ctx.conflict("duplicate_name", "A ticket type of this event has this name."))


@operation("createTicketType")
def create_ticket_type(ctx: RequestContext) -> Reply:
    event = find_event(ctx)
    sent = _sent(ctx.body, TIER_FIELDS)
    _check_tier(ctx, event, sent)
    _refuse_if_cancelled(ctx, event)
    _refuse_duplicate_name(ctx, event, sent["name"], None)
    tier: Record = {
        "id": new_id(),
        "eventId": event["id"],
        **{name: sent.get(name) for name in TIER_FIELDS},
        "createdAt": ctx.tenant.now_iso(),
    }
    ctx.tenant.ticket_types[tier["id"]] = tier
    location = f"/events/{event['id']}/ticket-types/{tier['id']}"
    return ctx.created(_tier_dto(ctx.tenant, event, tier["id"]), location)


@operation("updateTicketType")
def update_ticket_type(ctx: RequestContext) -> Reply:
    event = find_event(ctx)
    tier = find_tier(ctx, event)
    sent = _sent(ctx.body or {}, TIER_FIELDS)
    _check_tier(ctx, event, {**tier, **sent})
    _refuse_if_cancelled(ctx, event)
    if "name" in sent:
        _refuse_duplicate_name(ctx, event, sent["name"], tier["id"])
    sold = sales_of(ctx.tenant, event["id"]).sold[tier["id"]]
    if "capacity" in sent and int(sent["capacity"]) < sold:
        return ctx.conflict("capacity_below_sold", "The capacity is below the tickets already sold.")
    price_locked = sold > 0 and not ctx.fault("ticket-price-unlocked")  # the fault breaks E4's price lock
    if "priceCents" in sent and sent["priceCents"] != tier["priceCents"] and price_locked:
        return ctx.conflict("price_locked", "The price cannot change after the first sale.")
    tier.update(sent)
    return ctx.ok(_tier_dto(ctx.tenant, event, tier["id"]))


@operation("deleteTicketType")
def delete_ticket_type(ctx: RequestContext) -> Reply:
    event = find_event(ctx)
    tier = find_tier(ctx, event)
    _refuse_if_cancelled(ctx, event)
    if sales_of(ctx.tenant, event["id"]).sold[tier["id"]] > 0:
        return ctx.conflict("tickets_sold", "Tickets of this type have been sold.")
    del ctx.tenant.ticket_types[tier["id"]]
    return ctx.no_content()

"""The `large-tenant` variant: the first tenant starts with 5,000 customers and 3,000 bookings.

A long-lived staging holds data the suite did not create (customers cannot even be deleted). The seed goes
through the operations' own handlers, so every record is exactly what the public API would have made:
one location open every day 08:00-20:00 UTC, ten staff members with shifts, one 30-minute service, and the
bookings on days from a month ahead, so they never meet the suite's own near-term bookings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from caldasa_reference.routing import HANDLERS, ProblemError, RequestContext
from caldasa_reference.services import Services
from caldasa_reference.store import TenantStore, iso

CUSTOMERS = 5_000
BOOKINGS = 3_000
STAFF = 10
SLOT_MINUTES = 30
OPENS, CLOSES = 8, 20  # UTC hours
FIRST_DAY_AHEAD = 30


def seed_large_tenant(services: Services, tenant: TenantStore) -> None:
    """Fill ``tenant`` with the customers and bookings of a long-lived staging."""
    customers = [
        _call(services, tenant, "createCustomer", {"name": f"Seeded Customer {n:04d}", "email": _email(n)})
        for n in range(CUSTOMERS)
    ]
    location = _call(services, tenant, "createLocation", {"name": "Seeded Location", "timeZone": "UTC"})
    hours = [
        {"dayOfWeek": day, "opensAt": f"{OPENS:02d}:00:00", "closesAt": f"{CLOSES:02d}:00:00"}
        for day in range(7)
    ]
    _call(services, tenant, "replaceBusinessHours", {"entries": hours}, locationId=location["id"])
    staff = [
        _call(
            services,
            tenant,
            "createStaffMember",
            {"name": f"Seeded Staff {n:02d}", "businessLocationIds": [location["id"]]},
        )
        for n in range(STAFF)
    ]
    service = {
        "name": "Seeded Service",
        "durationMinutes": SLOT_MINUTES,
        "priceCents": 1000,
        "businessLocationIds": [location["id"]],
        "staffMemberIds": [member["id"] for member in staff],
    }
    variant_id = _call(services, tenant, "createReservable", service)["variants"][0]["id"]
    per_day = STAFF * (CLOSES - OPENS) * 60 // SLOT_MINUTES
    first = dt.datetime.combine(
        tenant.now().date() + dt.timedelta(days=FIRST_DAY_AHEAD), dt.time(OPENS), dt.timezone.utc
    )
    for day in range(-(-BOOKINGS // per_day)):
        opens = first + dt.timedelta(days=day)
        for member in staff:
            shift = {
                "businessLocationId": location["id"],
                "startsAt": iso(opens),
                "endsAt": iso(opens + dt.timedelta(hours=CLOSES - OPENS)),
            }
            _call(services, tenant, "createStaffShift", shift, staffMemberId=member["id"])
    for n in range(BOOKINGS):
        day, rest = divmod(n, per_day)
        slot, member = divmod(rest, STAFF)
        starts = first + dt.timedelta(days=day, minutes=slot * SLOT_MINUTES)
        item = {
            "reservableVariantId": variant_id,
            "staffMemberId": staff[member]["id"],
            "startsAt": iso(starts),
        }
        booking = {
            "businessLocationId": location["id"],
            "customerId": customers[n % CUSTOMERS]["id"],
            "items": [item],
        }
        _call(services, tenant, "createBooking", booking)


def _email(n: int) -> str:
    return f"seeded.customer.{n:04d}@example.com"


def _call(services: Services, tenant: TenantStore, operation_id: str, body: Any, **path: str) -> Any:
    ctx = RequestContext(
        operation_id=operation_id,
        tenant=tenant,
        path=path,
        query={},
        body=body,
        headers={},
        clock=services.clock,
        services=services,
    )
    try:
        reply = HANDLERS[operation_id](ctx)
    except ProblemError as refused:
        reply = refused.reply
    if reply.status >= 300:
        raise RuntimeError(f"seeding {operation_id} failed: {reply.status} {reply.body}")
    return reply.body

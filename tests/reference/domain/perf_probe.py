"""Server-side timing of the booking domain (not a test): `python -m tests.reference.domain.perf_probe`.

Calls the registered handlers in-process (no HTTP, no schema validation) on a tenant holding 10,000
bookings, and prints the median createBooking and 20-staff listAvailabilitySlots times.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta
from typing import Any

from caldasa_reference.app import create_app
from caldasa_reference.routing import HANDLERS, RequestContext
from caldasa_reference.services import ServerConfig, Services
from caldasa_reference.store import TenantStore
from tests.reference.domain.salon import BERLIN, utc_iso

STAFF, DAYS, PER_DAY = 20, 13, 40  # 20 × 13 × 40 = 10,400 bookings of 15 minutes


def call(services: Services, tenant: TenantStore, op: str, body: Any = None, **kw: Any) -> Any:
    ctx = RequestContext(
        op, tenant, kw.get("path", {}), kw.get("query", {}), body, {}, tenant.clock, services
    )
    reply = HANDLERS[op](ctx)
    assert reply.status < 300, (op, reply.status, reply.body)
    return reply.body


def setup(services: Services, tenant: TenantStore, first_day: date) -> tuple[str, str, list[str]]:
    location = call(services, tenant, "createLocation", {"name": "Bench", "timeZone": "Europe/Berlin"})["id"]
    hours = [{"dayOfWeek": d, "opensAt": "08:00:00", "closesAt": "18:00:00"} for d in range(7)]
    call(services, tenant, "replaceBusinessHours", {"entries": hours}, path={"locationId": location})
    staff = []
    for index in range(STAFF):
        member = call(
            services, tenant, "createStaffMember", {"name": f"S{index}", "businessLocationIds": [location]}
        )
        for offset in range(DAYS + 1):
            day = first_day + timedelta(days=offset)
            start, end = (
                datetime.combine(day, datetime.min.time(), BERLIN) + timedelta(hours=h) for h in (8, 18)
            )
            shift = {"businessLocationId": location, "startsAt": utc_iso(start), "endsAt": utc_iso(end)}
            call(services, tenant, "createStaffShift", shift, path={"staffMemberId": member["id"]})
        staff.append(member["id"])
    reservable = {
        "name": "Quick",
        "durationMinutes": 15,
        "priceCents": 100,
        "businessLocationIds": [location],
        "staffMemberIds": staff,
    }
    variant = call(services, tenant, "createReservable", reservable)["variants"][0]["id"]
    return location, variant, staff


def book(
    services: Services, tenant: TenantStore, location: str, variant: str, staff: str, start: datetime
) -> float:
    body = {
        "businessLocationId": location,
        "customerName": "C",
        "customerEmail": f"c{start.timestamp():.0f}-{staff[:6]}@example.com",
        "items": [{"reservableVariantId": variant, "staffMemberId": staff, "startsAt": utc_iso(start)}],
    }
    began = time.perf_counter()
    call(services, tenant, "createBooking", body)
    return time.perf_counter() - began


def main() -> None:
    app = create_app(ServerConfig())
    services: Services = app.state.services
    tenant = services.tenants[0]
    first_day = datetime.now(BERLIN).date() + timedelta(days=2)
    location, variant, staff = setup(services, tenant, first_day)
    durations = []
    for offset in range(DAYS):
        opening = datetime.combine(
            first_day + timedelta(days=offset), datetime.min.time(), BERLIN
        ) + timedelta(hours=8)
        for member in staff:
            for slot in range(PER_DAY):
                durations.append(
                    book(services, tenant, location, variant, member, opening + slot * timedelta(minutes=15))
                )
    print(
        f"bookings: {len(tenant.bookings)}; createBooking median "
        f"{statistics.median(durations[-500:]) * 1000:.2f} ms"
    )
    query = {"reservableVariantId": variant, "businessLocationId": location}
    samples = []
    for offset in range(DAYS + 1):
        day = (first_day + timedelta(days=offset)).isoformat()
        began = time.perf_counter()
        slots = call(services, tenant, "listAvailabilitySlots", query={**query, "date": day})["slots"]
        samples.append(time.perf_counter() - began)
    print(
        f"availability (20 staff, one day, fully booked) median "
        f"{statistics.median(samples[:-1]) * 1000:.2f} ms"
    )
    open_day = []
    for _ in range(20):
        began = time.perf_counter()
        slots = call(services, tenant, "listAvailabilitySlots", query={**query, "date": day})["slots"]
        open_day.append(time.perf_counter() - began)
    print(
        f"availability (20 staff, open day, {len(slots)} slots) median "
        f"{statistics.median(open_day) * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()

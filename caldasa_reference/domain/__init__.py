"""Booking-domain logic of the reference server: availability, bookings, events, tickets and orders.

No request handling lives here: nothing registers an `@operation` or a `@provider_state`, and nothing imports
`caldasa_reference.handlers` (the handlers of this domain are handlers/availability, bookings, events,
tickets and provider_states).

Pure rules over plain data (no HTTP, no store):
    timeline      instants, half-open intervals, wire format, local days (PEP 495 fold=0)
    availability  open-slot rules of design §8 #26–#27 (`open_slots`, `is_open_start`)
    allocation    resource-unit allocation (§8 #31)
    derived       derived booking fields (B9, §8 #28, #37)

Store adapters (read and write `TenantStore`; fault switches read through the request context):
    occupancy       occupying/live items, indexed by (staff or unit, UTC day) in `tenant.extra`
    calendars       store → `DayQuery`; the single `availability-ignores-blocks` fault point
    booking_create  createBooking pipeline: semantic 400s, placement, 409s (all-or-nothing)
    event_views     derived event / ticket-type / report / order views (one source for all counters)
    ticket_sales    placing a paid ticket order (provider states only)
    codes           publicIds, ticket codes and the ticket-code index
"""

from __future__ import annotations

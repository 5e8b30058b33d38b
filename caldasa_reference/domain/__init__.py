"""Booking-domain logic of the reference server: availability, bookings, events, tickets and orders.

Pure rules over plain data (no HTTP, no store):
    timeline      instants, half-open intervals, wire format, local days (PEP 495 fold=0)
    availability  open-slot rules of design §8 #26–#27 (`open_slots`, `is_open_start`)
    allocation    resource-unit allocation (§8 #31)
    derived       derived booking fields (B9, §8 #28, #37)

Store adapters and HTTP handlers (registered with `@operation` / `@provider_state` on import):
    occupancy            occupying/live items, indexed by (staff or unit, UTC day) in `tenant.extra`
    calendars            store → `DayQuery`; the single `availability-ignores-blocks` fault point
    availability_handlers  listAvailabilitySlots
    booking_create       createBooking pipeline: semantic 400s, placement, 409s (all-or-nothing)
    booking_handlers     listBookings, createBooking, getBooking, cancelBooking, idempotency
    event_views          derived event / ticket-type / report / order views (one source for all counters)
    event_handlers       events and ticket types
    ticket_handlers      ticket orders, orders, redeemTicket
    ticket_sales         placing a paid ticket order (provider states only)
    states               provider states of this domain (testing API)
    codes                publicIds and ticket codes
"""

from __future__ import annotations

"""Builders: the entities a test needs, created through the public API before the test probes a rule.

- `booking_world` — the booking machine's world (location, hours, staff with shifts, resources, services) and
  the request bodies its steps send.
- `scenario`, `core_scenarios`, `lifecycle_scene` — the fixed booking scenarios' worlds.
- `events` — the fixed event/ticket scenarios' events, orders and tickets.
"""

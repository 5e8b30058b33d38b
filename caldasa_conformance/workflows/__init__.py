"""Workflows: Hypothesis state machines over in-memory models of the expected server state.

Each machine keeps a model, its rules call operations (`api.Api`, one call per operationId) and update the
model, and its invariants compare the model with what the server says, raising a `DomainViolation` that names
the requirement (`checks`). A failure carries the minimal failing sequence as a numbered curl script
(`journal`, `machine.step`).

Machines (each exported as `TestX = X.test_case()`, run against the test's target at its budget, `settings`):

- `bookings.BookingEngine` — class `bookings`: B1–B12, A1–A4, L1, C1–C4 (model: `booking_model`; world:
  `builders.booking_world`; judges: `oracles.bookings`, `oracles.availability`, `oracles.lifecycle`).
- `world_machine.WorldMachine` — class `bookings`: the booking world built, changed and torn down with
  Hypothesis `Bundle`s (locations, staff, shifts, resource types, units, reservables, bookings; `409 in_use`),
  B1–B4, B6–B10, A1, A3, L1, C1, C4, T7, T8 (model: `world_model`; steps: `world_steps`, `world_booking`;
  invariants: `world_checks`).
- `events.EventsAndTickets` — class `events`: E1–E8, R1–R3 (model: `event_model`; orders: provider states).
- `webhooks.WebhookSubscriptions` — class `webhooks`: W1–W6 (loopback `receiver`, `standardwebhooks`).
- `customers.CustomerTimeline` — class `customers`: K1–K4, K6 and the activity timeline.
- `catalog.CatalogLifecycle` — class `catalog`: catalog CRUD, `409 in_use` (T7, T8, K1).

Also: `races` (class `concurrency` probes), `links` (Schemathesis' link-driven machine with our oracles),
`target` (what a machine runs against) and `fixtures` (the pytest binding used by `suites/conftest.py`).
Provider states live in `caldasa_conformance.states`.
"""

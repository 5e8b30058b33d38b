"""Race probes: parallel identical writes have exactly one winner (class `concurrency`)."""

from __future__ import annotations

import pytest

from caldasa_conformance.builders.factory import DataFactory
from caldasa_conformance.oracles import bookings
from caldasa_conformance.oracles.tickets import ticket_redeems_once
from caldasa_conformance.states import require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.races import DEFAULT_PARALLEL, fire_together
from caldasa_conformance.workflows.target import Target
from caldasa_conformance.workflows.timeutil import tomorrow


@pytest.mark.concurrency
@pytest.mark.req("B1")
@pytest.mark.operation("createBooking", "listBookings")
def test_parallel_identical_bookings_have_one_winner(factory: DataFactory, api) -> None:
    """Test Purpose: a slot cannot be sold twice under concurrency.

    Test Method: build a location with one staff member (pinned, design §8 #68), take an open slot, send
    8 identical createBooking requests at once; exactly one answers 201 and the others 409 slot_unavailable,
    and the staff member's bookings list holds exactly one booking at that time.
    """
    location = factory.location()
    staff = factory.staff_member(location["id"])
    day = tomorrow()
    factory.shift(staff["id"], location["id"], day)
    reservable = factory.reservable(location["id"], [staff["id"]], [])
    variant_id = reservable["variants"][0]["id"]
    slot = factory.open_slots(variant_id, location["id"], day)[0]
    body = {
        "businessLocationId": location["id"],
        "customerName": "Race Customer",
        "customerEmail": factory.email("race"),
        "items": [
            {"reservableVariantId": variant_id, "staffMemberId": staff["id"], "startsAt": slot["startsAt"]}
        ],
    }
    responses = fire_together(lambda: ops.create_booking(api, body=body), DEFAULT_PARALLEL)
    bookings.judge_no_double_booked_staff(parallel=responses)
    winner = next(r for r in responses if r.status_code == 201)
    factory.cleanup.push("booking", winner.json()["id"], lambda: ops.cancel_booking(api, winner.json()["id"]))
    listed = ops.list_bookings(api, params={"staffMemberId": staff["id"], "pageSize": 100}).json()["items"]
    bookings.judge_no_double_booked_staff(listed, kept=[winner.json()["id"]])


@pytest.mark.concurrency
@pytest.mark.req("R1")
@pytest.mark.operation("redeemTicket")
def test_parallel_redeems_have_one_winner(api, workflow_target: Target) -> None:
    """Test Purpose: a ticket is admitted once, even when scanned at several doors at the same instant.

    Test Method: take a paid ticket from the provider state `event-with-paid-ticket-order`, send 8
    identical redeemTicket requests at once; exactly one answers 200, the others 409 already_redeemed.
    """
    ids = require_state("event-with-paid-ticket-order", workflow_target.states, quantity=1)
    body = {"code": ids["tickets"][0]["code"], "eventId": ids["eventId"]}
    responses = fire_together(lambda: ops.redeem_ticket(api, body=body), DEFAULT_PARALLEL)
    ticket_redeems_once(parallel=responses)

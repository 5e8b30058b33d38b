"""Reference policies of the booking engine (P1, basis reference-policy): the reference's own choices.

The contract lets a server assign any open eligible staff member to a null `staffMemberId` and any free unit
to an unpinned resource selection (design §8 #30, #31); the reference picks the lowest staff id and the
first unit by name, then id. With `--profile reference` this test holds the target to those choices; on any
other profile a different choice is a note in the summary ("differs from the reference in P1: …"), never a
failure (`caldasa_conformance.policy`).
"""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance.builders.core_scenarios import ROOM_TYPE, ROOM_UNITS, book, resource_world
from caldasa_conformance.builders.scenario import Scenario
from caldasa_conformance.fixtures.data import Cleanup
from caldasa_conformance.oracles import bookings
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer


@pytest.fixture(scope="module")
def scenario(api: httpx.Client, cleanup: Cleanup, run_tag: str) -> Scenario:
    return Scenario(api, cleanup, run_tag)


def _unit_holding(scenario: Scenario, unit_ids: list[str], booking_id: str) -> str | None:
    """The unit whose bookings (`GET /bookings?resourceId=`) include `booking_id`."""
    for unit_id in unit_ids:
        response = ops.list_bookings(scenario.client, params={"resourceId": unit_id, "pageSize": 100})
        listed = check_answer(response, Expect(200, "P1"), "listBookings")["items"]
        if any(item.get("id") == booking_id for item in listed):
            return unit_id
    return None


@pytest.mark.bookings
@pytest.mark.req("P1")
@pytest.mark.operation("createBooking", "listBookings", "getResource")
def test_unpinned_staff_and_unit_follow_the_reference_choice(scenario: Scenario) -> None:
    """Test Purpose: a null staffMemberId and an unpinned unit get what the reference would choose.

    Test Method: a world of three eligible staff on the same shift and three free units; book one item with
    `staffMemberId: null` and a selection naming only the type; the item's staff member must be the lowest
    id, and the unit holding the booking (found through `GET /bookings?resourceId=`) the first by name, id.
    """
    world = resource_world(scenario, staff_count=3, units=3)
    units = world.extra[ROOM_UNITS]
    names = {
        unit_id: check_answer(ops.get_resource(scenario.client, unit_id), Expect(200, "P1"), "getResource")
        for unit_id in units
    }
    first_unit = min(units, key=lambda unit_id: (names[unit_id]["name"], unit_id))
    item = {**world.item(world.at(10), None), "staffMemberId": None}
    item["resourceSelections"] = [{"resourceTypeId": world.extra[ROOM_TYPE]}]
    dto = check_answer(book(scenario, world, [item]), Expect(201, "P1"), "createBooking")
    bookings.judge_reference_allocation(
        dto["items"][0].get("staffMemberId"), min(world.staff_ids), what="staff"
    )
    holder = _unit_holding(scenario, units, str(dto["id"]))
    bookings.judge_reference_allocation(holder, first_unit, what="unit")

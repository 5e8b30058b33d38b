"""Event rules that need provider states: an ended draft cannot be published (class `events`)."""

from __future__ import annotations

import httpx
import pytest

from caldasa_conformance.states import require_state
from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.target import Target


@pytest.mark.events
@pytest.mark.req("E2")
@pytest.mark.operation("publishEvent")
def test_ended_draft_cannot_be_published(api: httpx.Client, workflow_target: Target) -> None:
    """Test Purpose: publishing needs an event that has not ended.

    Test Method: provider state `ended-draft-event` (a Draft with a ticket type whose `endsAt` is past);
    publishEvent answers 409 event_ended.
    """
    ids = require_state("ended-draft-event", workflow_target.states)
    expect = Expect(409, "E2", "event_ended", why="the event has ended")
    check_answer(ops.publish_event(api, ids["eventId"]), expect, "publishEvent")

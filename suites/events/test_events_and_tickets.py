"""Ticketed events: lifecycle, capacity, sales report, single redemption (class `events`)."""

from __future__ import annotations

import pytest

from caldasa_conformance.workflows.events import EventsAndTickets


@pytest.mark.events
@pytest.mark.req("E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "R1", "R2", "R3")
@pytest.mark.operation(
    "createEvent",
    "updateEvent",
    "publishEvent",
    "cancelEvent",
    "getEvent",
    "createTicketType",
    "updateTicketType",
    "deleteTicketType",
    "getTicketSalesReport",
    "listTicketOrders",
    "cancelTicketOrder",
    "resendTicketQrCodes",
    "redeemTicket",
)
class TestEventsAndTickets(EventsAndTickets.test_case()):  # type: ignore[misc]
    """Test Purpose: events follow their state machine and tickets are never oversold or redeemed twice.

    Test Method: a Hypothesis state machine drives one event through legal and illegal transitions, buys
    tickets through the `ticket-order` provider state, redeems and cancels; after every step the event
    detail, the sales report and the ticket orders must agree with the model and with each other.
    """

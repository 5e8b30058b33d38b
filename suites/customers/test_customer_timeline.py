"""Customers, notes, messages and the activity timeline (class `customers`)."""

from __future__ import annotations

import pytest

from caldasa_conformance.workflows.customers import CustomerTimeline


@pytest.mark.customers
@pytest.mark.req("K1", "K2", "K3", "K4", "K6")
@pytest.mark.operation(
    "createCustomer",
    "updateCustomer",
    "getCustomer",
    "createCustomerNote",
    "updateCustomerNote",
    "deleteCustomerNote",
    "listCustomerNotes",
    "sendCustomerMessage",
    "listCustomerActivities",
    "moderateReview",
)
class TestCustomerTimeline(CustomerTimeline.test_case()):  # type: ignore[misc]
    """Test Purpose: customer records change only as asked, and the timeline tells what happened.

    Test Method: a Hypothesis state machine creates customers, patches them with omitted, null and new
    values, writes, edits and deletes notes, sends messages on both channels and moderates reviews from the
    `pending-review` provider state; after every step each customer, its notes and its timeline counts must
    equal the model.
    """

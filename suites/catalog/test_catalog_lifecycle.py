"""Catalog lifecycle: locations, staff, resource types, resources, reservables (class `catalog`)."""

from __future__ import annotations

import pytest

from caldasa_conformance.workflows.catalog import CatalogLifecycle


@pytest.mark.catalog
@pytest.mark.req("T7", "T8", "K1", "T11")
@pytest.mark.operation(
    "createLocation",
    "updateLocation",
    "deleteLocation",
    "getLocation",
    "createStaffMember",
    "deleteStaffMember",
    "getStaffMember",
    "assignStaffToLocation",
    "unassignStaffFromLocation",
    "createResourceType",
    "deleteResourceType",
    "getResourceType",
    "createResource",
    "deleteResource",
    "getResource",
    "createReservable",
    "deleteReservable",
    "getReservable",
    "listLocations",
    "listResourceTypes",
    "listStaffMembers",
)
class TestCatalogLifecycle(CatalogLifecycle.test_case()):  # type: ignore[misc]
    """Test Purpose: the catalog can be built and torn down, and nothing in use can be deleted.

    Test Method: a Hypothesis state machine creates, patches, assigns and deletes catalog entities in random
    order; the model predicts 409 in_use for deletes of referenced entities and 204 otherwise; live entities
    must read back as created and deleted ones answer 404; a create (or a location's rename) with a live
    entity's name or email must answer 409 duplicate_name/duplicate_email and leave the value to that entity.
    """

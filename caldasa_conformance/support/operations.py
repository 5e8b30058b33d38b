"""One helper per operationId, returning the raw `httpx.Response` (no assertions, no parsing).

Tests speak the contract's vocabulary: `create_booking(client, body)` is `createBooking`. Path values are
percent-encoded; `params` and `headers` pass through; `body` is sent as JSON when given. `OPERATIONS` maps
each operationId of the contract to its method and path template (read from the contract, not retyped), and
`call(client, operation_id, path_values, ...)` sends any operation generically (the auth and tenancy classes
walk all of them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx

Params = Mapping[str, Any] | None
Headers = Mapping[str, str] | None


class _ContractOperations(Mapping[str, tuple[str, str]]):
    """operationId → (HTTP method, path template) of every operation of the bundled contract.

    Read from `openapi/caldasa.yaml` (through `spec.load_contract`, which parses it once per process) on first
    use, so that importing the helpers (the CLI does, for cleanup) does not parse the contract.
    """

    @functools.cached_property
    def _table(self) -> dict[str, tuple[str, str]]:
        from caldasa_conformance.config import BUNDLED_SPEC
        from caldasa_conformance.spec import load_contract

        contract = load_contract(BUNDLED_SPEC)
        return {op.operation_id: (op.method, op.path) for op in contract.operations.values()}

    def __getitem__(self, operation_id: str) -> tuple[str, str]:
        return self._table[operation_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


OPERATIONS: Mapping[str, tuple[str, str]] = _ContractOperations()


def path_names(template: str) -> list[str]:
    """The path parameter names of a path template, in order."""
    return re.findall(r"{([^}]+)}", template)


def _path(template: str, values: Mapping[str, str]) -> str:
    return re.sub(r"{([^}]+)}", lambda match: quote(str(values[match.group(1)]), safe=""), template)


def call(
    client: httpx.Client,
    operation_id: str,
    path_values: Mapping[str, str] | None = None,
    *,
    params: Params = None,
    headers: Headers = None,
    body: Any = None,
    extensions: Mapping[str, Any] | None = None,
) -> httpx.Response:
    """Send `operation_id` with the given path values, query, headers and JSON body.

    This is the harness's one way to send an operation, so path values are percent-encoded here and nowhere
    else. `extensions` ride on the request to the client's event hooks (the machines' journal reads them).
    """
    method, template = OPERATIONS[operation_id]
    kwargs: dict[str, Any] = {"params": params, "headers": headers}
    if body is not None:
        kwargs["json"] = body
    if extensions:
        kwargs["extensions"] = dict(extensions)
    return client.request(method, _path(template, path_values or {}), **kwargs)


def list_availability_slots(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listAvailabilitySlots: GET /availability (List availability slots)."""
    return call(client, "listAvailabilitySlots", {}, params=params, headers=headers)


def list_bookings(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listBookings: GET /bookings (List bookings)."""
    return call(client, "listBookings", {}, params=params, headers=headers)


def create_booking(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createBooking: POST /bookings (Create a booking)."""
    return call(client, "createBooking", {}, params=params, headers=headers, body=body)


def get_booking(
    client: httpx.Client, booking_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getBooking: GET /bookings/{bookingId} (Get a booking)."""
    return call(client, "getBooking", {"bookingId": booking_id}, params=params, headers=headers)


def cancel_booking(
    client: httpx.Client, booking_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """cancelBooking: POST /bookings/{bookingId}/cancel (Cancel a booking)."""
    return call(client, "cancelBooking", {"bookingId": booking_id}, params=params, headers=headers, body=body)


def list_signed_forms(
    client: httpx.Client, booking_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listSignedForms: GET /bookings/{bookingId}/signed-forms (List signed forms)."""
    return call(client, "listSignedForms", {"bookingId": booking_id}, params=params, headers=headers)


def get_signed_form_download_url(
    client: httpx.Client,
    booking_id: str,
    signed_form_id: str,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """getSignedFormDownloadUrl: GET /bookings/{bookingId}/signed-forms/{signedFormId}/download-url."""
    return call(
        client,
        "getSignedFormDownloadUrl",
        {"bookingId": booking_id, "signedFormId": signed_form_id},
        params=params,
        headers=headers,
    )


def list_customers(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listCustomers: GET /customers (List customers)."""
    return call(client, "listCustomers", {}, params=params, headers=headers)


def create_customer(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createCustomer: POST /customers (Create a customer)."""
    return call(client, "createCustomer", {}, params=params, headers=headers, body=body)


def get_customer(
    client: httpx.Client, customer_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getCustomer: GET /customers/{customerId} (Get a customer)."""
    return call(client, "getCustomer", {"customerId": customer_id}, params=params, headers=headers)


def update_customer(
    client: httpx.Client,
    customer_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateCustomer: PATCH /customers/{customerId} (Update a customer)."""
    return call(
        client, "updateCustomer", {"customerId": customer_id}, params=params, headers=headers, body=body
    )


def list_customer_activities(
    client: httpx.Client, customer_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listCustomerActivities: GET /customers/{customerId}/activities (List customer activities)."""
    return call(client, "listCustomerActivities", {"customerId": customer_id}, params=params, headers=headers)


def list_customer_notes(
    client: httpx.Client, customer_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listCustomerNotes: GET /customers/{customerId}/notes (List customer notes)."""
    return call(client, "listCustomerNotes", {"customerId": customer_id}, params=params, headers=headers)


def create_customer_note(
    client: httpx.Client,
    customer_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """createCustomerNote: POST /customers/{customerId}/notes (Create a customer note)."""
    return call(
        client, "createCustomerNote", {"customerId": customer_id}, params=params, headers=headers, body=body
    )


def update_customer_note(
    client: httpx.Client,
    customer_id: str,
    note_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateCustomerNote: PATCH /customers/{customerId}/notes/{noteId} (Update a customer note)."""
    return call(
        client,
        "updateCustomerNote",
        {"customerId": customer_id, "noteId": note_id},
        params=params,
        headers=headers,
        body=body,
    )


def delete_customer_note(
    client: httpx.Client, customer_id: str, note_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteCustomerNote: DELETE /customers/{customerId}/notes/{noteId} (Delete a customer note)."""
    return call(
        client,
        "deleteCustomerNote",
        {"customerId": customer_id, "noteId": note_id},
        params=params,
        headers=headers,
    )


def send_customer_message(
    client: httpx.Client,
    customer_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """sendCustomerMessage: POST /customers/{customerId}/messages (Send a customer message)."""
    return call(
        client, "sendCustomerMessage", {"customerId": customer_id}, params=params, headers=headers, body=body
    )


def list_events(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listEvents: GET /events (List events)."""
    return call(client, "listEvents", {}, params=params, headers=headers)


def create_event(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createEvent: POST /events (Create an event)."""
    return call(client, "createEvent", {}, params=params, headers=headers, body=body)


def get_event(
    client: httpx.Client, event_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getEvent: GET /events/{eventId} (Get an event)."""
    return call(client, "getEvent", {"eventId": event_id}, params=params, headers=headers)


def update_event(
    client: httpx.Client, event_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """updateEvent: PATCH /events/{eventId} (Update an event)."""
    return call(client, "updateEvent", {"eventId": event_id}, params=params, headers=headers, body=body)


def list_ticket_types(
    client: httpx.Client, event_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listTicketTypes: GET /events/{eventId}/ticket-types (List ticket types)."""
    return call(client, "listTicketTypes", {"eventId": event_id}, params=params, headers=headers)


def create_ticket_type(
    client: httpx.Client, event_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createTicketType: POST /events/{eventId}/ticket-types (Create a ticket type)."""
    return call(client, "createTicketType", {"eventId": event_id}, params=params, headers=headers, body=body)


def get_ticket_sales_report(
    client: httpx.Client, event_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getTicketSalesReport: GET /events/{eventId}/ticket-sales-report (Get ticket sales report)."""
    return call(client, "getTicketSalesReport", {"eventId": event_id}, params=params, headers=headers)


def publish_event(
    client: httpx.Client, event_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """publishEvent: POST /events/{eventId}/publish (Publish an event)."""
    return call(client, "publishEvent", {"eventId": event_id}, params=params, headers=headers, body=body)


def cancel_event(
    client: httpx.Client, event_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """cancelEvent: POST /events/{eventId}/cancel (Cancel an event)."""
    return call(client, "cancelEvent", {"eventId": event_id}, params=params, headers=headers, body=body)


def update_ticket_type(
    client: httpx.Client,
    event_id: str,
    ticket_type_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateTicketType: PATCH /events/{eventId}/ticket-types/{ticketTypeId} (Update a ticket type)."""
    return call(
        client,
        "updateTicketType",
        {"eventId": event_id, "ticketTypeId": ticket_type_id},
        params=params,
        headers=headers,
        body=body,
    )


def delete_ticket_type(
    client: httpx.Client,
    event_id: str,
    ticket_type_id: str,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """deleteTicketType: DELETE /events/{eventId}/ticket-types/{ticketTypeId} (Delete a ticket type)."""
    return call(
        client,
        "deleteTicketType",
        {"eventId": event_id, "ticketTypeId": ticket_type_id},
        params=params,
        headers=headers,
    )


def list_ticket_orders(
    client: httpx.Client, event_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listTicketOrders: GET /events/{eventId}/ticket-orders (List ticket orders)."""
    return call(client, "listTicketOrders", {"eventId": event_id}, params=params, headers=headers)


def cancel_ticket_order(
    client: httpx.Client,
    event_id: str,
    ticket_order_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """cancelTicketOrder: POST /events/{eventId}/ticket-orders/{ticketOrderId}/cancel."""
    return call(
        client,
        "cancelTicketOrder",
        {"eventId": event_id, "ticketOrderId": ticket_order_id},
        params=params,
        headers=headers,
        body=body,
    )


def resend_ticket_qr_codes(
    client: httpx.Client,
    event_id: str,
    ticket_order_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """resendTicketQrCodes: POST /events/{eventId}/ticket-orders/{ticketOrderId}/resend-tickets."""
    return call(
        client,
        "resendTicketQrCodes",
        {"eventId": event_id, "ticketOrderId": ticket_order_id},
        params=params,
        headers=headers,
        body=body,
    )


def list_form_templates(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listFormTemplates: GET /form-templates (List form templates)."""
    return call(client, "listFormTemplates", {}, params=params, headers=headers)


def get_form_template(
    client: httpx.Client, form_template_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getFormTemplate: GET /form-templates/{formTemplateId} (Get a form template)."""
    return call(
        client, "getFormTemplate", {"formTemplateId": form_template_id}, params=params, headers=headers
    )


def list_locations(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listLocations: GET /locations (List locations)."""
    return call(client, "listLocations", {}, params=params, headers=headers)


def create_location(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createLocation: POST /locations (Create a location)."""
    return call(client, "createLocation", {}, params=params, headers=headers, body=body)


def get_location(
    client: httpx.Client, location_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getLocation: GET /locations/{locationId} (Get a location)."""
    return call(client, "getLocation", {"locationId": location_id}, params=params, headers=headers)


def update_location(
    client: httpx.Client,
    location_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateLocation: PATCH /locations/{locationId} (Update a location)."""
    return call(
        client, "updateLocation", {"locationId": location_id}, params=params, headers=headers, body=body
    )


def delete_location(
    client: httpx.Client, location_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteLocation: DELETE /locations/{locationId} (Delete a location)."""
    return call(client, "deleteLocation", {"locationId": location_id}, params=params, headers=headers)


def list_business_hours(
    client: httpx.Client, location_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listBusinessHours: GET /locations/{locationId}/business-hours (List business hours)."""
    return call(client, "listBusinessHours", {"locationId": location_id}, params=params, headers=headers)


def replace_business_hours(
    client: httpx.Client,
    location_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """replaceBusinessHours: PUT /locations/{locationId}/business-hours (Replace business hours)."""
    return call(
        client, "replaceBusinessHours", {"locationId": location_id}, params=params, headers=headers, body=body
    )


def update_location_address(
    client: httpx.Client,
    location_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateLocationAddress: PATCH /locations/{locationId}/address (Update location address)."""
    return call(
        client,
        "updateLocationAddress",
        {"locationId": location_id},
        params=params,
        headers=headers,
        body=body,
    )


def list_location_staff(
    client: httpx.Client, location_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listLocationStaff: GET /locations/{locationId}/staff (List location staff)."""
    return call(client, "listLocationStaff", {"locationId": location_id}, params=params, headers=headers)


def assign_staff_to_location(
    client: httpx.Client,
    location_id: str,
    staff_member_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """assignStaffToLocation: PUT /locations/{locationId}/staff/{staffMemberId}."""
    return call(
        client,
        "assignStaffToLocation",
        {"locationId": location_id, "staffMemberId": staff_member_id},
        params=params,
        headers=headers,
        body=body,
    )


def unassign_staff_from_location(
    client: httpx.Client,
    location_id: str,
    staff_member_id: str,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """unassignStaffFromLocation: DELETE /locations/{locationId}/staff/{staffMemberId}."""
    return call(
        client,
        "unassignStaffFromLocation",
        {"locationId": location_id, "staffMemberId": staff_member_id},
        params=params,
        headers=headers,
    )


def list_orders(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listOrders: GET /orders (List orders)."""
    return call(client, "listOrders", {}, params=params, headers=headers)


def get_order(
    client: httpx.Client, order_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getOrder: GET /orders/{orderId} (Get an order)."""
    return call(client, "getOrder", {"orderId": order_id}, params=params, headers=headers)


def list_reservables(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listReservables: GET /reservables (List reservables)."""
    return call(client, "listReservables", {}, params=params, headers=headers)


def create_reservable(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createReservable: POST /reservables (Create a reservable)."""
    return call(client, "createReservable", {}, params=params, headers=headers, body=body)


def get_reservable(
    client: httpx.Client, reservable_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getReservable: GET /reservables/{reservableId} (Get a reservable)."""
    return call(client, "getReservable", {"reservableId": reservable_id}, params=params, headers=headers)


def update_reservable(
    client: httpx.Client,
    reservable_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateReservable: PATCH /reservables/{reservableId} (Update a reservable)."""
    return call(
        client, "updateReservable", {"reservableId": reservable_id}, params=params, headers=headers, body=body
    )


def delete_reservable(
    client: httpx.Client, reservable_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteReservable: DELETE /reservables/{reservableId} (Delete a reservable)."""
    return call(client, "deleteReservable", {"reservableId": reservable_id}, params=params, headers=headers)


def list_reservable_variants(
    client: httpx.Client, reservable_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listReservableVariants: GET /reservables/{reservableId}/variants (List reservable variants)."""
    return call(
        client, "listReservableVariants", {"reservableId": reservable_id}, params=params, headers=headers
    )


def list_reservable_staff(
    client: httpx.Client, reservable_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listReservableStaff: GET /reservables/{reservableId}/staff (List reservable staff)."""
    return call(
        client, "listReservableStaff", {"reservableId": reservable_id}, params=params, headers=headers
    )


def list_resources(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listResources: GET /resources (List resources)."""
    return call(client, "listResources", {}, params=params, headers=headers)


def create_resource(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createResource: POST /resources (Create a resource)."""
    return call(client, "createResource", {}, params=params, headers=headers, body=body)


def get_resource(
    client: httpx.Client, resource_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getResource: GET /resources/{resourceId} (Get a resource)."""
    return call(client, "getResource", {"resourceId": resource_id}, params=params, headers=headers)


def update_resource(
    client: httpx.Client,
    resource_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateResource: PATCH /resources/{resourceId} (Update a resource)."""
    return call(
        client, "updateResource", {"resourceId": resource_id}, params=params, headers=headers, body=body
    )


def delete_resource(
    client: httpx.Client, resource_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteResource: DELETE /resources/{resourceId} (Delete a resource)."""
    return call(client, "deleteResource", {"resourceId": resource_id}, params=params, headers=headers)


def list_resource_types(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listResourceTypes: GET /resource-types (List resource types)."""
    return call(client, "listResourceTypes", {}, params=params, headers=headers)


def create_resource_type(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createResourceType: POST /resource-types (Create a resource type)."""
    return call(client, "createResourceType", {}, params=params, headers=headers, body=body)


def get_resource_type(
    client: httpx.Client, resource_type_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getResourceType: GET /resource-types/{resourceTypeId} (Get a resource type)."""
    return call(
        client, "getResourceType", {"resourceTypeId": resource_type_id}, params=params, headers=headers
    )


def update_resource_type(
    client: httpx.Client,
    resource_type_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateResourceType: PATCH /resource-types/{resourceTypeId} (Update a resource type)."""
    return call(
        client,
        "updateResourceType",
        {"resourceTypeId": resource_type_id},
        params=params,
        headers=headers,
        body=body,
    )


def delete_resource_type(
    client: httpx.Client, resource_type_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteResourceType: DELETE /resource-types/{resourceTypeId} (Delete a resource type)."""
    return call(
        client, "deleteResourceType", {"resourceTypeId": resource_type_id}, params=params, headers=headers
    )


def list_reviews(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listReviews: GET /reviews (List reviews)."""
    return call(client, "listReviews", {}, params=params, headers=headers)


def moderate_review(
    client: httpx.Client, review_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """moderateReview: POST /reviews/{reviewId}/moderate (Moderate a review)."""
    return call(client, "moderateReview", {"reviewId": review_id}, params=params, headers=headers, body=body)


def list_staff_members(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listStaffMembers: GET /staff (List staff members)."""
    return call(client, "listStaffMembers", {}, params=params, headers=headers)


def create_staff_member(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createStaffMember: POST /staff (Create a staff member)."""
    return call(client, "createStaffMember", {}, params=params, headers=headers, body=body)


def get_staff_member(
    client: httpx.Client, staff_member_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getStaffMember: GET /staff/{staffMemberId} (Get a staff member)."""
    return call(client, "getStaffMember", {"staffMemberId": staff_member_id}, params=params, headers=headers)


def update_staff_member(
    client: httpx.Client,
    staff_member_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """updateStaffMember: PATCH /staff/{staffMemberId} (Update a staff member)."""
    return call(
        client,
        "updateStaffMember",
        {"staffMemberId": staff_member_id},
        params=params,
        headers=headers,
        body=body,
    )


def delete_staff_member(
    client: httpx.Client, staff_member_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteStaffMember: DELETE /staff/{staffMemberId} (Delete a staff member)."""
    return call(
        client, "deleteStaffMember", {"staffMemberId": staff_member_id}, params=params, headers=headers
    )


def list_staff_shifts(
    client: httpx.Client, staff_member_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listStaffShifts: GET /staff/{staffMemberId}/shifts (List staff shifts)."""
    return call(client, "listStaffShifts", {"staffMemberId": staff_member_id}, params=params, headers=headers)


def create_staff_shift(
    client: httpx.Client,
    staff_member_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """createStaffShift: POST /staff/{staffMemberId}/shifts (Create a staff shift)."""
    return call(
        client,
        "createStaffShift",
        {"staffMemberId": staff_member_id},
        params=params,
        headers=headers,
        body=body,
    )


def list_staff_blocks(
    client: httpx.Client, staff_member_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listStaffBlocks: GET /staff/{staffMemberId}/blocks (List staff blocks)."""
    return call(client, "listStaffBlocks", {"staffMemberId": staff_member_id}, params=params, headers=headers)


def create_staff_block(
    client: httpx.Client,
    staff_member_id: str,
    body: Any = None,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """createStaffBlock: POST /staff/{staffMemberId}/blocks (Create a staff block)."""
    return call(
        client,
        "createStaffBlock",
        {"staffMemberId": staff_member_id},
        params=params,
        headers=headers,
        body=body,
    )


def delete_staff_shift(
    client: httpx.Client,
    staff_member_id: str,
    shift_id: str,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """deleteStaffShift: DELETE /staff/{staffMemberId}/shifts/{shiftId} (Delete a staff shift)."""
    return call(
        client,
        "deleteStaffShift",
        {"staffMemberId": staff_member_id, "shiftId": shift_id},
        params=params,
        headers=headers,
    )


def delete_staff_block(
    client: httpx.Client,
    staff_member_id: str,
    block_id: str,
    *,
    params: Params = None,
    headers: Headers = None,
) -> httpx.Response:
    """deleteStaffBlock: DELETE /staff/{staffMemberId}/blocks/{blockId} (Delete a staff block)."""
    return call(
        client,
        "deleteStaffBlock",
        {"staffMemberId": staff_member_id, "blockId": block_id},
        params=params,
        headers=headers,
    )


def get_current_tenant(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getCurrentTenant: GET /tenant (Get the current tenant)."""
    return call(client, "getCurrentTenant", {}, params=params, headers=headers)


def redeem_ticket(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """redeemTicket: POST /tickets/redeem (Redeem a ticket)."""
    return call(client, "redeemTicket", {}, params=params, headers=headers, body=body)


def list_event_types(
    client: httpx.Client, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listEventTypes: GET /webhooks/event-types (List event types)."""
    return call(client, "listEventTypes", {}, params=params, headers=headers)


def get_event_type_sample(
    client: httpx.Client, event_type: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """getEventTypeSample: GET /webhooks/event-types/{eventType}/sample (Get an event-type sample)."""
    return call(client, "getEventTypeSample", {"eventType": event_type}, params=params, headers=headers)


def list_webhooks(client: httpx.Client, *, params: Params = None, headers: Headers = None) -> httpx.Response:
    """listWebhooks: GET /webhooks (List webhooks)."""
    return call(client, "listWebhooks", {}, params=params, headers=headers)


def create_webhook(
    client: httpx.Client, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """createWebhook: POST /webhooks (Create a webhook)."""
    return call(client, "createWebhook", {}, params=params, headers=headers, body=body)


def update_webhook(
    client: httpx.Client, webhook_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """updateWebhook: PATCH /webhooks/{webhookId} (Update a webhook)."""
    return call(client, "updateWebhook", {"webhookId": webhook_id}, params=params, headers=headers, body=body)


def delete_webhook(
    client: httpx.Client, webhook_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """deleteWebhook: DELETE /webhooks/{webhookId} (Delete a webhook)."""
    return call(client, "deleteWebhook", {"webhookId": webhook_id}, params=params, headers=headers)


def rotate_webhook_secret(
    client: httpx.Client, webhook_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """rotateWebhookSecret: POST /webhooks/{webhookId}/rotate-secret (Rotate webhook secret)."""
    return call(
        client, "rotateWebhookSecret", {"webhookId": webhook_id}, params=params, headers=headers, body=body
    )


def send_test_event(
    client: httpx.Client, webhook_id: str, body: Any = None, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """sendTestEvent: POST /webhooks/{webhookId}/test (Send a test event)."""
    return call(client, "sendTestEvent", {"webhookId": webhook_id}, params=params, headers=headers, body=body)


def list_webhook_deliveries(
    client: httpx.Client, webhook_id: str, *, params: Params = None, headers: Headers = None
) -> httpx.Response:
    """listWebhookDeliveries: GET /webhooks/{webhookId}/deliveries (List webhook deliveries)."""
    return call(client, "listWebhookDeliveries", {"webhookId": webhook_id}, params=params, headers=headers)

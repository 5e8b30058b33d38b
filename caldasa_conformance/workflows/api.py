"""Operation helpers of the workflows: one call per operationId, raw `httpx.Response` back.

The route table is the canonical list of the 87 operations (`ops.tsv`); `Api.call` fills the path template,
sends the request through the suite's client and records it in the journal for readable failures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from caldasa_conformance.workflows.journal import Journal, RecordedRequest

ROUTES: dict[str, tuple[str, str]] = {
    "listAvailabilitySlots": ("GET", "/availability"),
    "listBookings": ("GET", "/bookings"),
    "createBooking": ("POST", "/bookings"),
    "getBooking": ("GET", "/bookings/{bookingId}"),
    "cancelBooking": ("POST", "/bookings/{bookingId}/cancel"),
    "listSignedForms": ("GET", "/bookings/{bookingId}/signed-forms"),
    "getSignedFormDownloadUrl": ("GET", "/bookings/{bookingId}/signed-forms/{signedFormId}/download-url"),
    "listCustomers": ("GET", "/customers"),
    "createCustomer": ("POST", "/customers"),
    "getCustomer": ("GET", "/customers/{customerId}"),
    "updateCustomer": ("PATCH", "/customers/{customerId}"),
    "listCustomerActivities": ("GET", "/customers/{customerId}/activities"),
    "listCustomerNotes": ("GET", "/customers/{customerId}/notes"),
    "createCustomerNote": ("POST", "/customers/{customerId}/notes"),
    "updateCustomerNote": ("PATCH", "/customers/{customerId}/notes/{noteId}"),
    "deleteCustomerNote": ("DELETE", "/customers/{customerId}/notes/{noteId}"),
    "sendCustomerMessage": ("POST", "/customers/{customerId}/messages"),
    "listEvents": ("GET", "/events"),
    "createEvent": ("POST", "/events"),
    "getEvent": ("GET", "/events/{eventId}"),
    "updateEvent": ("PATCH", "/events/{eventId}"),
    "listTicketTypes": ("GET", "/events/{eventId}/ticket-types"),
    "createTicketType": ("POST", "/events/{eventId}/ticket-types"),
    "getTicketSalesReport": ("GET", "/events/{eventId}/ticket-sales-report"),
    "publishEvent": ("POST", "/events/{eventId}/publish"),
    "cancelEvent": ("POST", "/events/{eventId}/cancel"),
    "updateTicketType": ("PATCH", "/events/{eventId}/ticket-types/{ticketTypeId}"),
    "deleteTicketType": ("DELETE", "/events/{eventId}/ticket-types/{ticketTypeId}"),
    "listTicketOrders": ("GET", "/events/{eventId}/ticket-orders"),
    "cancelTicketOrder": ("POST", "/events/{eventId}/ticket-orders/{ticketOrderId}/cancel"),
    "resendTicketQrCodes": ("POST", "/events/{eventId}/ticket-orders/{ticketOrderId}/resend-tickets"),
    "listFormTemplates": ("GET", "/form-templates"),
    "getFormTemplate": ("GET", "/form-templates/{formTemplateId}"),
    "listLocations": ("GET", "/locations"),
    "createLocation": ("POST", "/locations"),
    "getLocation": ("GET", "/locations/{locationId}"),
    "updateLocation": ("PATCH", "/locations/{locationId}"),
    "deleteLocation": ("DELETE", "/locations/{locationId}"),
    "listBusinessHours": ("GET", "/locations/{locationId}/business-hours"),
    "replaceBusinessHours": ("PUT", "/locations/{locationId}/business-hours"),
    "updateLocationAddress": ("PATCH", "/locations/{locationId}/address"),
    "listLocationStaff": ("GET", "/locations/{locationId}/staff"),
    "assignStaffToLocation": ("PUT", "/locations/{locationId}/staff/{staffMemberId}"),
    "unassignStaffFromLocation": ("DELETE", "/locations/{locationId}/staff/{staffMemberId}"),
    "listOrders": ("GET", "/orders"),
    "getOrder": ("GET", "/orders/{orderId}"),
    "listReservables": ("GET", "/reservables"),
    "createReservable": ("POST", "/reservables"),
    "getReservable": ("GET", "/reservables/{reservableId}"),
    "updateReservable": ("PATCH", "/reservables/{reservableId}"),
    "deleteReservable": ("DELETE", "/reservables/{reservableId}"),
    "listReservableVariants": ("GET", "/reservables/{reservableId}/variants"),
    "listReservableStaff": ("GET", "/reservables/{reservableId}/staff"),
    "listResources": ("GET", "/resources"),
    "createResource": ("POST", "/resources"),
    "getResource": ("GET", "/resources/{resourceId}"),
    "updateResource": ("PATCH", "/resources/{resourceId}"),
    "deleteResource": ("DELETE", "/resources/{resourceId}"),
    "listResourceTypes": ("GET", "/resource-types"),
    "createResourceType": ("POST", "/resource-types"),
    "getResourceType": ("GET", "/resource-types/{resourceTypeId}"),
    "updateResourceType": ("PATCH", "/resource-types/{resourceTypeId}"),
    "deleteResourceType": ("DELETE", "/resource-types/{resourceTypeId}"),
    "listReviews": ("GET", "/reviews"),
    "moderateReview": ("POST", "/reviews/{reviewId}/moderate"),
    "listStaffMembers": ("GET", "/staff"),
    "createStaffMember": ("POST", "/staff"),
    "getStaffMember": ("GET", "/staff/{staffMemberId}"),
    "updateStaffMember": ("PATCH", "/staff/{staffMemberId}"),
    "deleteStaffMember": ("DELETE", "/staff/{staffMemberId}"),
    "listStaffShifts": ("GET", "/staff/{staffMemberId}/shifts"),
    "createStaffShift": ("POST", "/staff/{staffMemberId}/shifts"),
    "listStaffBlocks": ("GET", "/staff/{staffMemberId}/blocks"),
    "createStaffBlock": ("POST", "/staff/{staffMemberId}/blocks"),
    "deleteStaffShift": ("DELETE", "/staff/{staffMemberId}/shifts/{shiftId}"),
    "deleteStaffBlock": ("DELETE", "/staff/{staffMemberId}/blocks/{blockId}"),
    "getCurrentTenant": ("GET", "/tenant"),
    "redeemTicket": ("POST", "/tickets/redeem"),
    "listEventTypes": ("GET", "/webhooks/event-types"),
    "getEventTypeSample": ("GET", "/webhooks/event-types/{eventType}/sample"),
    "listWebhooks": ("GET", "/webhooks"),
    "createWebhook": ("POST", "/webhooks"),
    "updateWebhook": ("PATCH", "/webhooks/{webhookId}"),
    "deleteWebhook": ("DELETE", "/webhooks/{webhookId}"),
    "rotateWebhookSecret": ("POST", "/webhooks/{webhookId}/rotate-secret"),
    "sendTestEvent": ("POST", "/webhooks/{webhookId}/test"),
    "listWebhookDeliveries": ("GET", "/webhooks/{webhookId}/deliveries"),
}


class Api:
    """Calls operations by operationId on one client and journals every request.

    Args:
        client: an `httpx.Client` whose base URL and bearer token point at the target.
        journal: where requests are recorded (the machine's journal).
    """

    def __init__(self, client: httpx.Client, journal: Journal | None = None) -> None:
        self.client = client
        self.journal = journal if journal is not None else Journal()

    def url_for(self, operation_id: str, path: Mapping[str, str] | None = None) -> str:
        template = ROUTES[operation_id][1]
        return template.format(**(path or {}))

    def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        method = ROUTES[operation_id][0]
        url = self.url_for(operation_id, path)
        request = self.client.build_request(
            method, url, params=_clean(params), json=json, headers=dict(headers or {})
        )
        recorded = RecordedRequest(method, str(request.url), json, extra_headers=dict(headers or {}))
        self.journal.record(recorded)
        response = self.client.send(request)
        response.read()
        recorded.status = response.status_code
        return response


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Drop None values and render booleans the way the contract wants them (`true`/`false`)."""
    if params is None:
        return None
    cleaned: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        cleaned[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return cleaned

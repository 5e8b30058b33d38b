"""The one registry of fault switches. Each fault breaks exactly one requirement of the contract.

A fault is a switch checked at one point in the code (``ctx.fault("name")``), never a fork of it.
Switch faults on with ``caldasa-reference serve --fault NAME`` (repeatable).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    name: str
    requirement: str
    description: str


FAULTS: tuple[Fault, ...] = (
    Fault("booking-missing-public-id", "S1", "booking DTOs omit `publicId`"),
    Fault(
        "malformed-created-at", "S1", "customer DTOs emit `createdAt` as `2026-01-01 10:00:00` (not RFC 3339)"
    ),
    Fault("undocumented-status", "S2", "createCustomer answers 200 instead of 201"),
    Fault("missing-location-header", "T8", "201 responses carry no `Location`"),
    Fault("plain-text-errors", "T6", "404 bodies are `text/plain`"),
    Fault("problem-status-mismatch", "T6", "problem `status` member differs from the HTTP status (on 409s)"),
    Fault("stack-trace-in-detail", "T6", "409 `detail` contains a Python traceback text"),
    Fault(
        "accepts-invalid-input", "V1", "createCustomer accepts a `name` longer than 200 and a missing `name`"
    ),
    Fault("server-error-on-edge", "S4", "listCustomers `search` containing `%` answers 500"),
    Fault("auth-bypass", "T2", "unknown bearer tokens are accepted as the first tenant"),
    Fault("tenant-leak", "T1", "getCustomer finds customers of any tenant"),
    Fault("pagination-overlap", "T3", "page N>1 starts one item early (duplicates across pages)"),
    Fault("delete-not-effective", "T7", "deleteCustomerNote answers 204 but keeps the note"),
    Fault("patch-null-clears", "K1", "updateCustomer sets fields sent as null to null"),
    Fault("webhook-secret-leak", "W1", "listWebhooks items include `secret`"),
    Fault("webhook-bad-signature", "W3", "deliveries are signed with a wrong key"),
    Fault("double-booking-staff", "B1", "createBooking skips the staff-overlap check"),
    Fault("double-allocation-resource", "B2", "createBooking skips the resource-overlap check"),
    Fault("availability-ignores-bookings", "A2", "availability does not subtract existing bookings"),
    Fault("availability-ignores-blocks", "B5", "availability and createBooking ignore staff blocks"),
    Fault(
        "cancel-not-sticky",
        "C1",
        "cancelBooking answers Cancelled but the stored booking stays Confirmed",
    ),
    Fault("cancel-twice-allowed", "C2", "cancelling a cancelled booking answers 200"),
    Fault("event-republish", "E1", "publishEvent allowed from any status"),
    Fault("ticket-oversell", "E3", "ticket-order provider state ignores capacity"),
    Fault("redeem-twice", "R1", "redeemTicket never answers already_redeemed"),
    Fault("missing-retry-after", "T5", "429 responses omit Retry-After"),
)

FAULT_NAMES: frozenset[str] = frozenset(fault.name for fault in FAULTS)


class UnknownFaultError(ValueError):
    """A fault name that is not in the registry."""


def validate_fault_names(names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Return ``names`` as a frozenset, or raise :class:`UnknownFaultError` naming the valid faults."""
    unknown = sorted(set(names) - FAULT_NAMES)
    if unknown:
        valid = ", ".join(fault.name for fault in FAULTS)
        raise UnknownFaultError(f"unknown fault {', '.join(unknown)}; valid faults: {valid}")
    return frozenset(names)

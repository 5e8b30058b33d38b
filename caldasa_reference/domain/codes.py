"""Short human references (`BK-8F3K2Q`, `OR-…`) and opaque ticket codes, unique per tenant; the index from a
ticket code to its ticket (redemption)."""

from __future__ import annotations

import secrets
import string

from caldasa_reference.store import TenantStore

_ALPHABET = string.ascii_uppercase + string.digits
_KEY = "booking-domain.issued-codes"
_CODES = "booking-domain.ticket-codes"


def _issued(tenant: TenantStore) -> set[str]:
    issued = tenant.extra.setdefault(_KEY, set())
    assert isinstance(issued, set)
    return issued


def public_reference(tenant: TenantStore, prefix: str) -> str:
    """A fresh `PREFIX-XXXXXX` reference never issued before in this tenant (since the last reset)."""
    issued = _issued(tenant)
    while True:
        candidate = f"{prefix}-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if candidate not in issued:
            issued.add(candidate)
            return candidate


def ticket_code(tenant: TenantStore) -> str:
    """An opaque, unguessable QR payload."""
    issued = _issued(tenant)
    while True:
        candidate = "TKT-" + secrets.token_urlsafe(18)
        if candidate not in issued:
            issued.add(candidate)
            return candidate


def code_index(tenant: TenantStore) -> dict[str, tuple[str, str]]:
    """Ticket code → (ticket order id, ticket id), rebuilt lazily after a reset."""
    found = tenant.extra.get(_CODES)
    if isinstance(found, dict):
        return found
    built = {
        ticket["code"]: (order["id"], ticket["id"])
        for order in tenant.ticket_orders.values()
        for ticket in order["tickets"]
    }
    tenant.extra[_CODES] = built
    return built

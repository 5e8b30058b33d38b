"""How to remove what lives at a path of the API: the one answer for the session's cleanup stack and for
`caldasa-conformance cleanup`.

Bookings and events cannot be deleted: they are cancelled, unless a test already brought them to an end, and
quietly (nobody is to be told of a test's booking or event). Everything else with a DELETE operation is
deleted; what has none (customers) can only be reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx

from caldasa_conformance.support import operations as ops

Undo = Callable[[], httpx.Response]

# path template -> (statuses that already ended it, the cancel's query)
CANCELLABLE: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    "/bookings/{bookingId}": (frozenset({"Cancelled", "Completed", "NoShow"}), {"notifyCustomer": "false"}),
    "/events/{eventId}": (frozenset({"Cancelled"}), {"notifyAttendees": "false"}),
}


# A cancel refused because the thing already reached the end the cleanup wanted (another cancel came first):
# nothing is left.
ALREADY_DONE = frozenset({"already_cancelled"})


def already_done(response: httpx.Response) -> bool:
    """Whether `response` refuses an undo only because its goal is already reached."""
    if response.status_code != 409:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") in ALREADY_DONE


def matches(template: str, path: str) -> bool:
    return re.fullmatch(re.sub(r"{[^}]+}", "[^/]+", template), path) is not None


def undo_for(client: httpx.Client, path: str) -> Undo | None:
    """How to remove what lives at `path`: a DELETE on it, or the cancel action for bookings and events."""
    for template, (final, quietly) in CANCELLABLE.items():
        if matches(template, path):
            return lambda: cancel_unless_ended(client, path, final, quietly)
    if is_deletable(path):
        return lambda: client.delete(path)
    return None


def is_deletable(path: str) -> bool:
    return has_operation("DELETE", path)


def has_operation(method: str, path: str) -> bool:
    """Whether the contract has an operation `method` on a path of `path`'s shape."""
    return any(m == method and matches(template, path) for m, template in ops.OPERATIONS.values())


def cancel_unless_ended(
    client: httpx.Client, path: str, final: frozenset[str], params: dict[str, str]
) -> httpx.Response:
    """Cancel what `path` names; if it is gone or already ended, its GET answer says the work is done."""
    current = client.get(path)
    if current.status_code != 200 or current.json().get("status") in final:
        return current
    return client.post(path + "/cancel", params=params)


def kind_of(path: str) -> str:
    """`/staff/1/shifts/2` -> `shifts`; `/locations/1` -> `locations`."""
    parts = path.strip("/").split("/")
    return parts[-2] if len(parts) >= 2 else parts[0]

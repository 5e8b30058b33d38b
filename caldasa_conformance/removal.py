"""How to remove what lives at a path of the API: the one answer for the session's cleanup stack and for
`caldasa-conformance cleanup`.

Bookings and events cannot be deleted: they are cancelled, unless a test already brought them to an end, and
quietly (nobody is to be told of a test's booking or event). Everything else with a DELETE operation is
deleted; what has none (customers) can only be reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

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
    return response.status_code == 409 and problem_code(response) in ALREADY_DONE


def problem_code(response: httpx.Response) -> str | None:
    """The `code` of a problem body (`in_use`, ...), or None."""
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


# A booking brought to an end the API will not cancel (design §8 #27, #44) still occupies its staff member,
# units and location until it ends, so they answer 409 in_use until then.
ENDED_BUT_LIVE = frozenset({"Completed", "NoShow"})


@dataclass
class UndoJudge:
    """Judges the answers to a stack's undo actions, in the order they run: which ones leave something behind,
    and why. It remembers the latest end of the bookings that stay live though ended, to explain the in_use
    409s they cause (the stack undoes bookings before what they use)."""

    live_until: str | None = None

    def leftover_reason(self, response: httpx.Response) -> str | None:
        """None when the undo reached its goal, else the reason the entity stays."""
        self._remember_live_booking(response)
        if response.status_code in (200, 202, 204, 404) or already_done(response):
            return None
        code = problem_code(response)
        reason = f"cleanup answered {response.status_code}" + (f" {code}" if code else "")
        if code == "in_use" and self.live_until is not None:
            reason += (
                f": a Completed or NoShow booking of this run holds it until {self.live_until};"
                " `caldasa-conformance cleanup` with the run's tag removes it after that"
            )
        return reason

    def _remember_live_booking(self, response: httpx.Response) -> None:
        if response.status_code != 200 or response.request.method != "GET":
            return
        try:
            body = response.json()
        except ValueError:
            return
        if not isinstance(body, dict) or body.get("status") not in ENDED_BUT_LIVE:
            return
        ends = _instant(body.get("endsAt"))
        if ends is not None and ends > datetime.now(timezone.utc):
            latest = _instant(self.live_until)
            if latest is None or ends > latest:
                self.live_until = str(body["endsAt"])


def _instant(timestamp: object) -> datetime | None:
    """An RFC 3339 timestamp as an aware instant (None when it is not one)."""
    if not isinstance(timestamp, str):
        return None
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


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

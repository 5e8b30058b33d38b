"""Path parameters from real ids, so Schemathesis' generated cases reach the 2xx branch of every operation.

Schemathesis fills a path id with a random UUID, so an operation with an id in its path would only ever meet
its 404 branch. `fill_path` puts the ids of entities that exist into a generated case instead: one of the
`IdSets` built for the generated tests (a busy world with a booking, an idle one without, bare entities that
nothing uses, and what only provider states create; operations that may change their entity get sets of their
own). A share of the cases keeps its random ids, for the 404 branch. Which share, and which set, is a
function of the generated values alone, so a replayed example makes the same choice (never of the target's
state).

Every answer is recorded by operation and status class (`record_status`), so a run can show which branches
each operation met (`read_status_classes`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from schemathesis import GenerationMode

from caldasa_conformance.builders.factory import DataFactory, build_world
from caldasa_conformance.fixtures.data import SetupFailed
from caldasa_conformance.states import StateProvider, StateRejected, StateUnavailable
from caldasa_conformance.workflows.timeutil import tomorrow

RANDOM_SHARE = 4  # one case in RANDOM_SHARE keeps its generated (random) ids: the 404 branch
STATUS_LOG_GLOB = "statuses-*.jsonl"
IdSet = dict[str, str]
# Top-level body fields that name an entity → the path parameter name of that entity in the id sets.
BODY_IDS = {"businessLocationId": "locationId"}


def _choice(case: Any) -> int:
    values = case.path_parameters or {}
    return zlib.crc32(json.dumps(values, sort_keys=True, default=str).encode("utf-8"))


def fill_path(case: Any, id_sets: Iterable[Mapping[str, str]]) -> Any:
    """Replace the generated path values of `case` with those of one id set that names them all.

    A case keeps its random values when its choice falls in the random share, or when no set names all its
    path parameters. A positive case whose path was filled also gets the set's ids in the top-level body
    fields that name an entity (`BODY_IDS`) and a time window that ends after it starts, within a day
    (`order_window`): a random location id or a reversed window would only ever meet a 400. Returns `case`
    (changed in place).
    """
    values = case.path_parameters or {}
    if not values:
        return case
    choice = _choice(case)
    if choice % RANDOM_SHARE == 0:
        return case
    fitting = [ids for ids in id_sets if all(name in ids for name in values)]
    if not fitting:
        return case
    chosen = fitting[(choice // RANDOM_SHARE) % len(fitting)]
    case.path_parameters = {name: chosen[name] for name in values}
    body = case.body
    if is_positive(case) and isinstance(body, dict):
        for field, name in BODY_IDS.items():
            if isinstance(body.get(field), str) and name in chosen:
                body[field] = chosen[name]
        order_window(body, choice)
    return case


def is_positive(case: Any) -> bool:
    return case.meta is None or case.meta.generation.mode is GenerationMode.POSITIVE


def order_window(body: dict[str, Any], choice: int) -> None:
    """Make a `startsAt`/`endsAt` pair a window of 15 minutes to 8 hours (same instant form as generated)."""
    starts, ends = body.get("startsAt"), body.get("endsAt")
    if not (isinstance(starts, str) and isinstance(ends, str)):
        return
    try:
        start = dt.datetime.fromisoformat(starts.replace("Z", "+00:00"))
    except ValueError:
        return
    if start.tzinfo is None or start.year > 9000:
        return
    end = start + dt.timedelta(minutes=15 * (1 + choice % 32))
    body["endsAt"] = end.isoformat().replace("+00:00", "Z")


SHARING_PREFIXES = (
    "get",
    "list",
    "create",
)  # reads, and creates under a parent, leave their entities as found


def is_destructive(operation_id: str) -> bool:
    """Whether a 2xx of `operation_id` may leave its path entity changed for the cases of other operations
    (deleted, cancelled, published, moderated, deactivated by a PATCH, its secret rotated, ...)."""
    return not operation_id.startswith(SHARING_PREFIXES)


class IdSets:
    """The id sets of the generated tests.

    Operations that may change their entity get sets of their own, built the first time one of their cases
    asks (so a delete or a deactivating PATCH never takes away what a later operation's cases need); reads
    and creates share the durable sets:
    a busy world (with a booking), an idle one (no booking), bare entities, and the provider states' ids.
    """

    def __init__(self, factory: DataFactory, states: StateProvider) -> None:
        self.factory, self.states = factory, states
        self.durable = [build_world(factory).path_values(), *self._disposable()]
        self.own: dict[str, list[IdSet]] = {}

    def for_operation(self, operation_id: str) -> list[IdSet]:
        if not is_destructive(operation_id):
            return self.durable
        if operation_id not in self.own:
            self.own[operation_id] = self._disposable()
        return self.own[operation_id]

    def _disposable(self) -> list[IdSet]:
        sets = [_idle(self.factory), _bare(self.factory)]
        for build in (_paid_tickets, _deposit_booking, _review):
            found = _from_states(build, self.states)
            if found:
                sets.append(found)
        return sets


def _idle(factory: DataFactory) -> IdSet:
    """One of each catalog entity and no booking: staff, shifts, units and services can be removed."""
    day = tomorrow()
    location = factory.location()
    staff = factory.staff_member(location["id"])
    resource_type = factory.resource_type()
    ids: IdSet = {
        "locationId": location["id"],
        "staffMemberId": staff["id"],
        "shiftId": factory.shift(staff["id"], location["id"], day)["id"],
        "blockId": factory.block(staff["id"], day + dt.timedelta(days=2))["id"],
        "resourceTypeId": resource_type["id"],
        "resourceId": factory.resource(resource_type["id"], location["id"])["id"],
        "reservableId": factory.reservable(location["id"], [staff["id"]], [resource_type["id"]])["id"],
        "eventType": "booking.created",
    }
    customer = factory.customer()
    ids.update(customerId=customer["id"], noteId=factory.note(customer["id"])["id"])
    try:
        event, ticket_type = factory.event(location["id"])
        ids.update(eventId=event["id"], ticketTypeId=ticket_type["id"], webhookId=factory.webhook()["id"])
    except SetupFailed:
        pass
    return ids


def _bare(factory: DataFactory) -> IdSet:
    """A location and a resource type that nothing uses (their deletes can succeed)."""
    return {"locationId": factory.location()["id"], "resourceTypeId": factory.resource_type()["id"]}


def _from_states(build: Callable[[StateProvider], IdSet], states: StateProvider) -> IdSet:
    try:
        return build(states)
    except (StateUnavailable, StateRejected):
        return {}


def _paid_tickets(states: StateProvider) -> IdSet:
    ids = states.provide("event-with-paid-ticket-order", {"quantity": 1})
    return {key: str(ids[key]) for key in ("eventId", "ticketTypeId", "ticketOrderId")}


def _deposit_booking(states: StateProvider) -> IdSet:
    ids = states.provide("deposit-booking", {"depositCents": 1000})
    found = {key: str(ids[key]) for key in ("bookingId", "orderId", "customerId")}
    form = states.provide("signed-form", {"bookingId": found["bookingId"]})
    found.update(signedFormId=str(form["signedFormId"]), formTemplateId=str(form["formTemplateId"]))
    return found


def _review(states: StateProvider) -> IdSet:
    return {"reviewId": str(states.provide("pending-review", {})["reviewId"])}


# ---------------------------------------------------------------------------------------------- statuses


def status_log_path(report_dir: Path) -> Path:
    """This process's record of the generated tests' answers (one JSON line per answer)."""
    return report_dir / ".caldasa" / f"statuses-{os.getpid()}.jsonl"


def record_status(report_dir: Path, operation_id: str, status: int, filled: bool) -> None:
    """Append one answer: the operation, its status and whether its path ids were real ones."""
    path = status_log_path(report_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"operationId": operation_id, "status": status, "realIds": filled})
    with path.open("a", encoding="utf-8") as log:
        log.write(line + "\n")


def read_status_classes(report_dir: Path) -> dict[str, set[str]]:
    """Operation → the status classes (`2xx`, `4xx`, …) its generated cases met, over every process's log."""
    classes: dict[str, set[str]] = {}
    for path in sorted((report_dir / ".caldasa").glob(STATUS_LOG_GLOB)):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            classes.setdefault(record["operationId"], set()).add(f"{int(record['status']) // 100}xx")
    return classes

"""`caldasa-conformance cleanup`: remove what a run left on a target, and nothing else.

Two ways to know what the run made, the first preferred:
- **the run's own record** (`--from-report DIR`): every entity a 201 named, in the order created; each is
  removed only if it still carries the run tag (a sub-resource without names, such as a shift, through the
  parent it belongs to);
- **the run tag** (`--run-tag T`): entities whose names, descriptions or emails hold the tag as a whole
  token (`naming.carries_tag`), and bookings at the run's locations.

Bookings and events are cancelled (the API cannot delete them); everything else is deleted, newest or
dependants first. Customers cannot be deleted through the API and are reported as kept. `--dry-run` lists the
plan; a plan larger than `--max-removals` is carried out only with `--yes` or a "y" at the prompt.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from caldasa_conformance.client import CREATED_LOG_GLOB
from caldasa_conformance.naming import TAGGED_FIELDS, carries_tag
from caldasa_conformance.removal import (
    CANCELLABLE,
    already_done,
    has_operation,
    is_deletable,
    kind_of,
    matches,
    undo_for,
)

PAGE_SIZE = 100
MAX_PAGES = 1000
DEFAULT_MAX_REMOVALS = 25
# (kind, list path, paginated): the deletable kinds, dependants first.
DELETE_ORDER: tuple[tuple[str, str, bool], ...] = (
    ("webhook", "/webhooks", False),
    ("reservable", "/reservables", True),
    ("resource", "/resources", True),
    ("staff member", "/staff", True),
    ("resource type", "/resource-types", False),
    ("location", "/locations", True),
)
_FINAL_BOOKING_STATES = {"Cancelled", "Completed", "NoShow"}


@dataclass(frozen=True)
class Removal:
    """One planned removal: what it is (for people) and the path it lives at (for the API)."""

    label: str
    path: str


@dataclass
class CleanupReport:
    """What was removed, what could not be, what the API cannot remove, and what was left alone."""

    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)


def list_all(
    client: httpx.Client, path: str, *, paginated: bool, params: dict[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every item of a list endpoint (walking pages when it paginates), with `params` as filters."""
    if not paginated:
        response = client.get(path, params=params)
        response.raise_for_status()
        yield from response.json().get("items", [])
        return
    for page in range(1, MAX_PAGES + 1):
        response = client.get(path, params={**(params or {}), "page": page, "pageSize": PAGE_SIZE})
        response.raise_for_status()
        items = response.json().get("items", [])
        yield from items
        if len(items) < PAGE_SIZE:
            return


def _label(kind: str, entity: dict[str, Any]) -> str:
    name = entity.get("name") or entity.get("customerName") or entity.get("description") or ""
    return f"{kind} {entity.get('id')}" + (f" ({name})" if name else "")


# ---------------------------------------------------------------- plans
def plan_by_tag(client: httpx.Client, run_tag: str, report: CleanupReport) -> list[Removal]:
    """What carries `run_tag` as a whole token: bookings and events to cancel, then the catalog, dependants
    first; customers go to `report.kept`."""
    ours = [loc for loc in list_all(client, "/locations", paginated=True) if carries_tag(loc, run_tag)]
    locations = {loc["id"] for loc in ours}
    plan = [
        Removal(_label("booking", booking), f"/bookings/{booking['id']}")
        for booking in list_all(client, "/bookings", paginated=True)
        if (carries_tag(booking, run_tag) or booking.get("businessLocationId") in locations)
        and booking.get("status") not in _FINAL_BOOKING_STATES
    ]
    plan += [
        Removal(_label("event", event), f"/events/{event['id']}")
        for event in list_all(client, "/events", paginated=True)
        if carries_tag(event, run_tag) and event.get("status") != "Cancelled"
    ]
    for kind, path, paginated in DELETE_ORDER:
        entities = ours if path == "/locations" else list_all(client, path, paginated=paginated)
        plan += [Removal(_label(kind, e), f"{path}/{e['id']}") for e in entities if carries_tag(e, run_tag)]
    report.kept += [_label("customer", customer) for customer in tagged_customers(client, run_tag)]
    return plan


def plan_from_record(
    client: httpx.Client, run_tag: str, paths: list[str], report: CleanupReport
) -> list[Removal]:
    """The recorded paths, newest first, that still exist and still carry `run_tag`."""
    plan: list[Removal] = []
    owners: dict[str, bool] = {}
    for path in reversed(dict.fromkeys(paths)):
        kind = kind_of(path)
        try:
            entity = _read(client, path)
            ours = entity is not None and _belongs_to_run(client, path, entity, run_tag, owners)
        except httpx.HTTPStatusError as error:
            report.failed.append(f"{kind} {path}: reading it answered {error.response.status_code}")
            continue
        if entity is None:
            report.removed.append(f"{kind} {path} (already gone)")
        elif not ours:
            report.untouched.append(f"{_label(kind, entity)}: no longer carries the run tag {run_tag}")
        elif undo_for(client, path) is None:
            report.kept.append(_label(kind, entity))
        elif not _already_ended(path, entity):
            plan.append(Removal(_label(kind, entity), path))
    return plan


def _read(client: httpx.Client, path: str) -> dict[str, Any] | None:
    """The entity at `path`, None when it is gone; a kind without a GET (webhooks) is found in its list.

    Raises:
        httpx.HTTPStatusError: any other answer (the target is not well).
    """
    if not has_operation("GET", path):
        collection, _, entity_id = path.rpartition("/")
        listed = list_all(client, collection, paginated=False)
        return next((item for item in listed if item.get("id") == entity_id), None)
    response = client.get(path)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    body = response.json()
    return body if isinstance(body, dict) else {}


def _belongs_to_run(
    client: httpx.Client, path: str, entity: dict[str, Any], run_tag: str, owners: dict[str, bool]
) -> bool:
    """The entity carries the tag; one without any tagged field (a shift, a note) through its parent."""
    if any(name in entity for name in TAGGED_FIELDS):
        return carries_tag(entity, run_tag)
    parent = path.rsplit("/", 2)[0]
    if parent.count("/") < 2:
        return False
    if parent not in owners:
        owner = _read(client, parent)
        owners[parent] = owner is not None and carries_tag(owner, run_tag)
    return owners[parent]


def _already_ended(path: str, entity: dict[str, Any]) -> bool:
    return any(matches(t, path) and entity.get("status") in final for t, (final, _) in CANCELLABLE.items())


def recorded_paths(report_dir: Path) -> tuple[str | None, dict[str, list[str]]]:
    """The run tag and the created paths per tenant, from `summary.json` or else the run's raw records.

    Raises:
        ValueError: neither is there, or they cannot be read.
    """
    summary_path = report_dir / "summary.json"
    if summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        created = summary.get("created")
        if isinstance(created, list):
            return summary.get("run_tag"), _by_tenant(created)
    entries = read_created_logs(report_dir)
    if not entries:
        raise ValueError(f"{report_dir} holds no record of what a run created (summary.json or .caldasa/)")
    return None, _by_tenant(entries)


def read_created_logs(report_dir: Path) -> list[dict[str, str]]:
    """Every created-entity line the run's processes wrote, each path once, in the order written."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for log in sorted((report_dir / ".caldasa").glob(CREATED_LOG_GLOB)):
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line) if line.strip() else None
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                seen.setdefault((str(entry.get("tenant")), entry["path"]), entry)
    return list(seen.values())


def _by_tenant(entries: list[Any]) -> dict[str, list[str]]:
    paths: dict[str, list[str]] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            paths.setdefault(str(entry.get("tenant") or "primary"), []).append(entry["path"])
    return paths


# ---------------------------------------------------------------- carrying out
def execute(client: httpx.Client, plan: list[Removal], report: CleanupReport) -> None:
    for removal in plan:
        undo = undo_for(client, removal.path)
        if undo is None:  # planned kinds always have one; stay safe if the operation table changes
            report.kept.append(removal.label)
            continue
        _act(undo, removal, report)


def _act(undo: Callable[[], httpx.Response], removal: Removal, report: CleanupReport) -> None:
    try:
        response = undo()
    except (httpx.HTTPError, ValueError) as error:  # ValueError: a GET answer that is not JSON
        report.failed.append(f"{removal.label}: {type(error).__name__}")
        return
    if response.status_code in (200, 202, 204):
        report.removed.append(removal.label)
    elif response.status_code == 404:
        report.removed.append(f"{removal.label} (already gone)")
    elif already_done(response):
        report.removed.append(f"{removal.label} (already cancelled)")
    else:
        method = "DELETE" if is_deletable(removal.path) else "POST"
        answer = f"{response.status_code}{_problem_code(response)}"
        report.failed.append(f"{removal.label}: {method} {removal.path} answered {answer}")


def _problem_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return f" {body.get('code')}" if isinstance(body, dict) and body.get("code") else ""


def tagged_customers(client: httpx.Client, run_tag: str) -> list[dict[str, Any]]:
    """The customers carrying `run_tag`: what a run leaves for good (the API cannot delete customers).

    `search` (name, email or phone contains, design §2) keeps this to a page or two on a staging tenant with
    many customers; the tag is checked again, so a target that ignores `search` only costs more pages.
    """
    found = list_all(client, "/customers", paginated=True, params={"search": run_tag})
    return [customer for customer in found if carries_tag(customer, run_tag)]


def make_client(base_url: str, token: str, timeout: float) -> httpx.Client:
    """An httpx client for the target, authenticated with the bearer token."""
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)


def print_plan(tenant: str, plan: list[Removal]) -> None:
    for removal in plan:
        print(f"would remove  [{tenant}] {removal.label}")


def print_report(tenant: str, report: CleanupReport) -> None:
    for line in report.removed:
        print(f"removed   [{tenant}] {line}")
    for line in report.failed:
        print(f"NOT REMOVED [{tenant}] {line}")
    for line in report.untouched:
        print(f"untouched [{tenant}] {line}")
    for line in report.kept:
        print(f"kept      [{tenant}] {line} (the API cannot delete it)")
    print(
        f"{tenant} tenant: {len(report.removed)} removed, {len(report.failed)} could not be removed, "
        f"{len(report.kept)} kept, {len(report.untouched)} left alone (not the run's)"
    )


def confirm(count: int, limit: int, assume_yes: bool, where: str) -> bool:
    """True when `count` removals may go ahead: few enough, `--yes`, or a "y" typed at the prompt."""
    if count <= limit or assume_yes:
        return True
    if not sys.stdin.isatty():
        return False
    answer = input(f"Remove {count} entities from {where}? Check them with --dry-run first. [y/N] ")
    return answer.strip().lower() in ("y", "yes")

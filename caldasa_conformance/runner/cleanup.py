"""`caldasa-conformance cleanup --run-tag T`: remove what a run left on a target, through the public API.

An entity belongs to the run when one of its top-level string fields contains the run tag (the suite puts it
into every name); a booking also belongs to it when it sits at one of the run's locations. Bookings and events
are cancelled (the API cannot delete them); everything else is deleted, dependants first. Customers cannot be
deleted through the API and are reported as kept.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

PAGE_SIZE = 100
MAX_PAGES = 1000
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


@dataclass
class CleanupReport:
    """What was removed, what could not be, and what the API cannot remove."""

    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def carries_tag(entity: dict[str, Any], run_tag: str) -> bool:
    """True when a top-level string field of `entity` contains `run_tag`."""
    return any(isinstance(value, str) and run_tag in value for value in entity.values())


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
    name = entity.get("name") or entity.get("customerName") or entity.get("url") or ""
    return f"{kind} {entity.get('id')}" + (f" ({name})" if name else "")


def _act(client: httpx.Client, method: str, path: str, label: str, report: CleanupReport) -> None:
    try:
        response = client.request(method, path)
    except httpx.HTTPError as error:
        report.failed.append(f"{label}: {type(error).__name__}")
        return
    if response.status_code in (200, 202, 204):
        report.removed.append(label)
    elif response.status_code == 404:
        report.removed.append(f"{label} (already gone)")
    else:
        code = _problem_code(response)
        report.failed.append(f"{label}: {method} {path} answered {response.status_code}{code}")


def _problem_code(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return f" {body.get('code')}" if isinstance(body, dict) and body.get("code") else ""


def _cancel_bookings(client: httpx.Client, run_tag: str, locations: set[str], report: CleanupReport) -> None:
    for booking in list(list_all(client, "/bookings", paginated=True)):
        ours = carries_tag(booking, run_tag) or booking.get("businessLocationId") in locations
        if ours and booking.get("status") not in _FINAL_BOOKING_STATES:
            _act(client, "POST", f"/bookings/{booking['id']}/cancel", _label("booking", booking), report)


def _cancel_events(client: httpx.Client, run_tag: str, report: CleanupReport) -> None:
    for event in list(list_all(client, "/events", paginated=True)):
        if carries_tag(event, run_tag) and event.get("status") != "Cancelled":
            _act(client, "POST", f"/events/{event['id']}/cancel", _label("event", event), report)


def cleanup(client: httpx.Client, run_tag: str) -> CleanupReport:
    """Cancel and delete everything of `run_tag` on the target `client` points at."""
    report = CleanupReport()
    locations = {
        loc["id"] for loc in list_all(client, "/locations", paginated=True) if carries_tag(loc, run_tag)
    }
    _cancel_bookings(client, run_tag, locations, report)
    _cancel_events(client, run_tag, report)
    for kind, path, paginated in DELETE_ORDER:
        for entity in list(list_all(client, path, paginated=paginated)):
            if carries_tag(entity, run_tag):
                _act(client, "DELETE", f"{path}/{entity['id']}", _label(kind, entity), report)
    report.kept += [_label("customer", customer) for customer in tagged_customers(client, run_tag)]
    return report


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


def _print_report(report: CleanupReport) -> None:
    for line in report.removed:
        print(f"removed   {line}")
    for line in report.failed:
        print(f"NOT REMOVED {line}")
    for line in report.kept:
        print(f"kept      {line} (the API cannot delete customers)")
    print(
        f"{len(report.removed)} removed, {len(report.failed)} could not be removed, {len(report.kept)} kept"
    )


def run_cleanup(base_url: str, run_tag: str, timeout: float) -> int:
    """Clean a target by run tag (token from env); exit 0 when nothing was left, 1 otherwise, 3 unreachable.

    Raises:
        UsageError: no token in the environment.
        RunAborted: the target is unreachable or rejects the token (exit 3).
    """
    from caldasa_conformance.redaction import register_secret
    from caldasa_conformance.runner.options import tokens_from_env
    from caldasa_conformance.runner.probe import TargetUnavailable, probe
    from caldasa_conformance.runner.run import EXIT_UNAVAILABLE, RunAborted

    token = tokens_from_env().primary
    register_secret(token)
    try:
        probe(base_url, token, timeout=timeout)
    except TargetUnavailable as error:
        raise RunAborted(EXIT_UNAVAILABLE, str(error)) from None
    with make_client(base_url, token, timeout) as client:
        try:
            report = cleanup(client, run_tag)
        except httpx.HTTPError as error:
            raise RunAborted(EXIT_UNAVAILABLE, f"cleanup stopped: {type(error).__name__} {error}") from None
    _print_report(report)
    return 1 if report.failed else 0


def run_cleanup_after_interrupt(base_url: str, run_tag: str, timeout: float) -> None:
    """After Ctrl-C: remove what the interrupted run left, best effort, never raising."""
    print(f"caldasa-conformance: cleaning up run tag {run_tag} on {base_url}", file=sys.stderr)
    try:
        run_cleanup(base_url, run_tag, timeout)
    except Exception as error:
        print(
            f"caldasa-conformance: cleanup incomplete ({type(error).__name__}); run: "
            f"caldasa-conformance cleanup --run-tag {run_tag}",
            file=sys.stderr,
        )

"""Provider states: named preconditions a test needs that the public API cannot build (design §8 #65–#66).

`require_state(name, provider, **params)` returns the state's ids, or skips the calling test with one line
naming the missing state (it never fails it). Two sources exist:

* `TestingApiStates` — the reference server's testing API, `POST /_testing/states {"state", "params"}` →
  `{"state", "ids"}` (only with `--enable-testing-api`; `404` elsewhere).
* `ManifestStates` — a YAML manifest of pre-provisioned ids for targets without a testing API
  (`--caldasa-states FILE`). Format::

      # caldasa provider-state manifest
      version: 1
      states:
        event-with-paid-ticket-order:    # the state's name (design §8 provider-states table)
          - ids:                         # one entry per pre-provisioned instance
              eventId: 3f0c…
              ticketTypeId: 9a1e…
              ticketOrderId: 51d2…
              tickets: [{ticketId: 77aa…, code: "TCK-…"}]
            params: {quantity: 2}        # optional: serves only calls whose params include these
            reusable: false              # optional (default false): a consumed entry is not handed out twice
        form-templates:
          ids: {waiverTemplateId: …, intakeTemplateId: …}   # a single mapping = one reusable entry

  Entries are handed out in file order, each at most once per run unless `reusable: true` (tests that redeem
  or cancel consume their state). A state absent from the manifest, or with no entry left, is unavailable.

`ChainStates` asks several sources in order (the plugin uses testing API, then manifest). Whether the target
has a testing API is probed once per run (`probe_testing_api`, `GET /_testing/states`), never
assumed: without one, the states' tests skip naming the probe's answer, and the machines that would ask for
states on the fly (`dynamic`) leave those steps out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest

from caldasa_conformance.expectations import FileProblem, line_of, read_yaml

TESTING_STATES_PATH = "/_testing/states"


class StateUnavailable(Exception):
    """The source cannot provide the state; the message says why (one line)."""


class StateRejected(Exception):
    """The source understood the request but refused it (e.g. `409 sold_out`); carries the answer."""

    def __init__(self, state: str, status: int, code: str | None, body: Any) -> None:
        super().__init__(f"provider state {state!r} answered {status}" + (f" ({code})" if code else ""))
        self.state = state
        self.status = status
        self.code = code
        self.body = body


class StateProvider(Protocol):
    """Something that turns a state name and params into ids."""

    def provide(self, state: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Return the ids, or raise `StateUnavailable` / `StateRejected`."""
        ...

    @property
    def dynamic(self) -> bool:
        """Whether arbitrary params work (a testing API), not just pre-provisioned instances."""
        ...


@dataclass
class NoStates:
    """The source used when nothing is configured: every state is unavailable."""

    reason: str = "no testing API and no --caldasa-states manifest"
    dynamic: bool = False

    def provide(self, state: str, params: Mapping[str, Any]) -> dict[str, Any]:
        raise StateUnavailable(self.reason)


def probe_testing_api(client: httpx.Client) -> str | None:
    """None when the target serves the testing API, else why not (one line), from `GET /_testing/states`
    (which lists the states a testing API provides). The run asks once (`RunSession.testing_api_absence`)."""
    try:
        response = client.get(TESTING_STATES_PATH)
    except httpx.HTTPError as error:
        return f"testing API unreachable ({type(error).__name__})"
    if response.status_code == 200 and isinstance(_json(response), (dict, list)):
        return None
    return f"the target has no testing API (GET {TESTING_STATES_PATH} answered {response.status_code})"


@dataclass
class TestingApiStates:
    """Provider states from the target's testing API (`POST /_testing/states`)."""

    __test__ = False  # not a pytest test class despite the name

    client: httpx.Client
    dynamic: bool = True
    # Told of every state provided (state, ids, params), so the run can remove what the state created.
    on_provided: Callable[[str, dict[str, Any], dict[str, Any]], None] | None = None

    def provide(self, state: str, params: Mapping[str, Any]) -> dict[str, Any]:
        ids = self._request(state, params)
        if self.on_provided is not None:
            self.on_provided(state, ids, dict(params))
        return ids

    def _request(self, state: str, params: Mapping[str, Any]) -> dict[str, Any]:
        try:
            response = self.client.post(TESTING_STATES_PATH, json={"state": state, "params": dict(params)})
        except httpx.HTTPError as error:
            raise StateUnavailable(f"testing API unreachable ({type(error).__name__})") from error
        if response.status_code in (404, 405):
            raise StateUnavailable("the target has no testing API (404 on /_testing/states)")
        body = _json(response)
        if response.status_code != 200:
            code = body.get("code") if isinstance(body, dict) else None
            raise StateRejected(state, response.status_code, code, body)
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, dict):
            raise StateUnavailable(f"testing API answered 200 without ids for {state!r}")
        return ids


@dataclass
class _Entry:
    ids: dict[str, Any]
    params: dict[str, Any]
    reusable: bool
    used: bool = False


@dataclass
class ManifestStates:
    """Provider states from a YAML manifest of pre-provisioned ids (format: module docstring)."""

    path: Path
    dynamic: bool = False
    _entries: dict[str, list[_Entry]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self._entries = load_manifest(self.path)

    def provide(self, state: str, params: Mapping[str, Any]) -> dict[str, Any]:
        entries = self._entries.get(state)
        if not entries:
            raise StateUnavailable(f"not in the manifest {self.path.name}")
        with self._lock:
            for entry in entries:
                if entry.used or not _params_match(entry.params, params):
                    continue
                entry.used = not entry.reusable
                return dict(entry.ids)
        raise StateUnavailable(f"no unused manifest entry with params {dict(params)} in {self.path.name}")


def load_manifest(path: Path) -> dict[str, list[_Entry]]:
    """Parse and validate a manifest.

    Raises:
        FileProblem: a one-line message naming the file, the line and the problem.
    """
    document, tree = read_yaml(path)
    states = document.get("states") if isinstance(document, dict) else None
    if not isinstance(states, dict):
        raise FileProblem(f"{path}:1: expected a mapping `states:` of state name -> entries")
    parsed: dict[str, list[_Entry]] = {}
    for name, raw in states.items():
        if not isinstance(raw, (list, dict)):
            line = line_of(tree, "states", str(name))
            raise FileProblem(f"{path}:{line}: state {name!r}: expected an entry or a list of entries")
        items = raw if isinstance(raw, list) else [{**raw, "reusable": raw.get("reusable", True)}]
        lines = [
            line_of(tree, "states", str(name), *([index] if isinstance(raw, list) else []))
            for index in range(len(items))
        ]
        parsed[str(name)] = [
            _entry(f"{path}:{line}", str(name), item) for line, item in zip(lines, items, strict=True)
        ]
    return parsed


def _entry(where: str, name: str, item: Any) -> _Entry:
    if not isinstance(item, dict) or not isinstance(item.get("ids"), dict):
        raise FileProblem(f"{where}: state {name!r}: every entry needs an `ids:` mapping")
    params = item.get("params") or {}
    if not isinstance(params, dict):
        raise FileProblem(f"{where}: state {name!r}: `params` must be a mapping")
    return _Entry(dict(item["ids"]), dict(params), bool(item.get("reusable", False)))


def _params_match(wanted: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    return all(given.get(key) == value for key, value in wanted.items())


@dataclass
class ChainStates:
    """Ask each source in order; the first that provides wins. Rejections are not retried elsewhere."""

    sources: Sequence[StateProvider]

    @property
    def dynamic(self) -> bool:
        return any(source.dynamic for source in self.sources)

    def provide(self, state: str, params: Mapping[str, Any]) -> dict[str, Any]:
        reasons = []
        for source in self.sources:
            try:
                return source.provide(state, params)
            except StateUnavailable as unavailable:
                reasons.append(str(unavailable))
        raise StateUnavailable("; ".join(reasons) or "no state source configured")


def skip_reason(state: str, why: str) -> str:
    """The one line a skipped test shows."""
    return f"provider state {state!r} unavailable: {why}"


def require_state(state: str, provider: StateProvider, **params: Any) -> dict[str, Any]:
    """Return the ids of provider state `state`, or skip the calling test naming the missing state.

    Args:
        state: the state's name, e.g. `"event-with-paid-ticket-order"`.
        provider: the source (a stateful test's `workflow_target.states`).
        **params: the state's params (design §8 provider-states table).

    Raises:
        StateRejected: the source refused the params (that is a test input problem, not a skip).
    """
    try:
        return provider.provide(state, params)
    except StateUnavailable as unavailable:
        pytest.skip(skip_reason(state, str(unavailable)))


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None

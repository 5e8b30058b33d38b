"""A journal of the steps a workflow took and the requests each step sent.

When a machine fails, Hypothesis has already shrunk the run to a minimal sequence of steps; the journal of
that last run is rendered as a numbered script with one curl command per request, so a reader can replay the
failure by hand. Tokens never appear: the curl reads `$CALDASA_TOKEN`, and the text goes through redaction.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from caldasa_conformance.redaction import redact

_MAX_BODY = 600


@dataclass
class RecordedRequest:
    method: str
    url: str
    body: Any
    status: int | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)
    check: bool = False  # sent by an invariant (a read after the step), shown in brief

    def brief(self) -> str:
        path = self.url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
        return f"{self.method} /{path} -> {self.status}"

    def curl(self) -> str:
        parts = ["curl", "-sS", "-X", self.method, "-H", '"Authorization: Bearer $CALDASA_TOKEN"']
        for name, value in self.extra_headers.items():
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.body is not None:
            parts += ["-H", shlex.quote("Content-Type: application/json")]
            parts += ["-d", shlex.quote(json.dumps(self.body, separators=(",", ":")))]
        parts.append(shlex.quote(self.url))
        return " ".join(parts)


@dataclass
class Step:
    name: str
    arguments: dict[str, Any]
    requests: list[RecordedRequest] = field(default_factory=list)


@dataclass
class Journal:
    """Steps in order; requests made outside any step belong to an implicit `setup` step."""

    steps: list[Step] = field(default_factory=list)
    checking: bool = False

    def begin(self, name: str, **arguments: Any) -> None:
        self.steps.append(Step(name, arguments))

    def record(self, request: RecordedRequest) -> None:
        if not self.steps:
            self.begin("setup")
        request.check = self.checking
        self.steps[-1].requests.append(request)

    def render(self) -> str:
        lines = [
            f"Minimal failing sequence ({len(self.steps)} steps), replayable with curl "
            "(export CALDASA_TOKEN and put it where the script shows [REDACTED]):"
        ]
        last = self.steps[-1].requests[-1] if self.steps and self.steps[-1].requests else None
        for number, step in enumerate(self.steps, start=1):
            args = ", ".join(f"{key}={value!r}" for key, value in step.arguments.items())
            lines.append(f"{number:>3}. {step.name}({args})")
            checks = [r for r in step.requests if r.check and r is not last]
            for request in step.requests:
                if request in checks:
                    continue
                lines.append(f"       {request.curl()}")
                lines.append(f"       # -> {request.status if request.status is not None else 'no response'}")
            if checks:
                lines.append("       # then checked: " + "; ".join(r.brief() for r in checks))
        text = "\n".join(lines)
        return redact(text if len(text) < 40_000 else text[:40_000] + "\n… (truncated)")


# Request extension keys: the journal a request goes to (with the caller's own headers), and its record.
_JOURNAL = "caldasa.journal"
_RECORDED = "caldasa.journal.recorded"


def journaled(journal: Journal, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The request extensions that make the client's journal hooks record a request in `journal`.

    The caller's headers are carried apart because the request's own headers mix them with the client's
    (the bearer token among them), and the curl line shows only the former.
    """
    return {_JOURNAL: (journal, dict(headers or {}))}


def install_hooks(client: httpx.Client) -> None:
    """Add the journal's request and response hooks to `client`, once; requests without a journal pass."""
    hooks = client.event_hooks
    if _record_request not in hooks["request"]:
        hooks["request"].append(_record_request)
        hooks["response"].append(_record_status)
        client.event_hooks = hooks


def _record_request(request: httpx.Request) -> None:
    entry = request.extensions.get(_JOURNAL)
    if entry is None:
        return
    journal, headers = entry
    body = json.loads(request.content) if request.content else None
    recorded = RecordedRequest(request.method, str(request.url), body, extra_headers=headers)
    journal.record(recorded)
    request.extensions[_RECORDED] = recorded


def _record_status(response: httpx.Response) -> None:
    recorded = response.request.extensions.get(_RECORDED)
    if recorded is not None:
        recorded.status = response.status_code


def shorten(value: Any) -> str:
    """A compact, redacted JSON rendering of a response body for failure messages."""
    text = json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else value
    return redact(text if len(text) <= _MAX_BODY else text[:_MAX_BODY] + "…")

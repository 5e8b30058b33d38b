"""Operation helpers of the workflows: one call per operationId, raw `httpx.Response` back.

The route table is `support.operations.OPERATIONS` (the 87 operations); `Api.call` fills the path template,
sends the request through the suite's client and records it in the journal for readable failures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from caldasa_conformance.support.operations import OPERATIONS
from caldasa_conformance.workflows.journal import Journal, RecordedRequest

# One route table for the whole harness: the operation helpers' (operationId -> method, path template).
ROUTES = OPERATIONS


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

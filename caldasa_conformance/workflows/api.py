"""The machines' operation caller: `Api.call("getBooking", path={...})` by operationId, raw `httpx.Response`.

It is a keyword adapter over `support.operations.call`, the harness's one call path (which percent-encodes
path values); it adds only the machine's journal, as a request extension that the client's journal hooks
(`journal.install_hooks`) record, so a failing machine's curl script shows every request it sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from caldasa_conformance.support import operations as ops
from caldasa_conformance.workflows.journal import Journal, install_hooks, journaled


class Api:
    """Calls operations by operationId on one client and journals every request.

    Args:
        client: an `httpx.Client` whose base URL and bearer token point at the target.
        journal: where requests are recorded (the machine's journal).
    """

    def __init__(self, client: httpx.Client, journal: Journal | None = None) -> None:
        self.client = client
        self.journal = journal if journal is not None else Journal()
        install_hooks(client)

    def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        return ops.call(
            self.client,
            operation_id,
            path,
            params=_clean(params),
            headers=headers,
            body=json,
            extensions=journaled(self.journal, headers),
        )


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

"""Before a run: is the target there, and does it accept our credentials? (`GET /tenant`)"""

from __future__ import annotations

from typing import Any

import httpx

from caldasa_conformance.redaction import redact


class TargetUnavailable(Exception):
    """The target cannot be reached or rejects the credentials (exit code 3); the message says which."""


def probe(
    base_url: str,
    token: str,
    *,
    timeout: float,
    label: str = "CALDASA_TOKEN",
    client: httpx.Client | None = None,
) -> dict[str, Any]:
    """Send `GET {base_url}/tenant` with the bearer token; return the tenant it names.

    `client` (no base URL, no token of its own) lets the runner's probes share one kept-alive connection: on
    HTTPS each new one costs several round trips.

    Raises:
        TargetUnavailable: connection error or timeout, a 401/403 answer, or an answer that is not the
            JSON of a Caldasa API (a web server, a gateway, a wrong path prefix).
    """
    url = base_url.rstrip("/") + "/tenant"
    try:
        headers = {"Authorization": f"Bearer {token}"}
        if client is None:
            response = httpx.get(url, headers=headers, timeout=timeout)
        else:
            response = client.get(url, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise TargetUnavailable(
            f"target {base_url} did not answer GET /tenant within {timeout:g} s"
        ) from None
    except httpx.HTTPError as error:
        reason = redact(str(error)) or type(error).__name__
        raise TargetUnavailable(f"target {base_url} is unreachable: {reason}") from None
    if response.status_code in (401, 403):
        raise TargetUnavailable(
            f"target {base_url} rejected {label} (GET /tenant answered {response.status_code}): "
            f"check the token is valid for this target"
        )
    return _tenant(base_url, response)


def _tenant(base_url: str, response: httpx.Response) -> dict[str, Any]:
    kind = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
    try:
        body = response.json() if response.status_code == 200 and kind.endswith("json") else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise TargetUnavailable(
            f"target {base_url} is not a Caldasa API: GET /tenant answered {response.status_code} {kind} "
            f"(expected 200 application/json): check --base-url, including any path prefix"
        )
    return body


def resolve_testing_api(mode: str, base_url: str, token: str, timeout: float) -> tuple[str, str]:
    """`on` or `off` for the run's pytest children, and what was found: with `auto`, one probe of
    `GET /_testing/states` for the whole run (its workers then never ask again)."""
    if mode != "auto":
        return mode, f"--testing-api {mode}"
    from caldasa_conformance.states import probe_testing_api

    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=timeout) as client:
        why_not = probe_testing_api(client)
    return ("on", "found (GET /_testing/states answered 200)") if why_not is None else ("off", why_not)

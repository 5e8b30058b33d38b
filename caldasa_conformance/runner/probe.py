"""Before a run: is the target there, and does it accept our credentials? (`GET /tenant`)"""

from __future__ import annotations

import httpx

from caldasa_conformance.redaction import redact


class TargetUnavailable(Exception):
    """The target cannot be reached or rejects the credentials (exit code 3); the message says which."""


def probe(base_url: str, token: str, *, timeout: float, label: str = "CALDASA_TOKEN") -> None:
    """Send `GET {base_url}/tenant` with the bearer token.

    Raises:
        TargetUnavailable: connection error or timeout, or a 401/403 answer.
    """
    url = base_url.rstrip("/") + "/tenant"
    try:
        response = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
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

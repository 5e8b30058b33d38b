"""Redaction of secrets (bearer tokens, webhook secrets) from everything the suite writes.

Secrets are registered once, when they become known (tokens at configuration time, webhook secrets when a
create/rotate response is seen); `redact` then replaces every occurrence, and also masks any bearer token or
`whsec_` secret by pattern so that an unregistered secret does not leak either.
"""

from __future__ import annotations

import re
import threading

MASK = "[REDACTED]"
_MIN_SECRET_LENGTH = 4
_PATTERNS = (
    # The token is RFC 6750's b64token, nothing more: never a quote or the backslash that escapes one in JSON.
    re.compile(
        r"(?i)(authorization:\s*bearer\s+|authorization['\"]?\s*[:=]\s*['\"]?bearer\s+)[A-Za-z0-9._~+/-]+=*"
    ),
    re.compile(r"whsec_[A-Za-z0-9+/=_-]+"),
)
_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(value: str) -> None:
    """Remember `value` so that `redact` masks it from now on (short values are ignored)."""
    if value and len(value) >= _MIN_SECRET_LENGTH:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """Return `text` with every registered secret and every bearer token / webhook secret masked."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(lambda match: match.group(1) + MASK, text)
    return _PATTERNS[1].sub(MASK, text)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """Return a copy of `headers` with credentials masked."""
    sensitive = {"authorization", "cookie", "set-cookie", "webhook-signature"}
    return {name: (MASK if name.lower() in sensitive else redact(value)) for name, value in headers.items()}

"""Server-wide state: configuration, tenants by token, fault switches, rate limiter."""

from __future__ import annotations

import hmac
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from caldasa_reference.faults import FAULT_NAMES, validate_fault_names
from caldasa_reference.store import Clock, TenantStore
from caldasa_reference.variants import (
    DEFAULT_LATENCY_MS,
    DEFAULT_RATE_LIMIT,
    VARIANT_NAMES,
    validate_variant_names,
)

if TYPE_CHECKING:
    from caldasa_reference.spec import Contract
    from caldasa_reference.webhooks import Dispatcher

DEMO_TOKENS = {"caldasa-demo-token-a": "Demo Salon A", "caldasa-demo-token-b": "Demo Salon B"}


@dataclass(frozen=True)
class RateLimit:
    requests: int
    per_seconds: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``20/s``, ``100/m``, ``5/2s`` → RateLimit; raises ValueError otherwise."""
        count, _, unit = text.partition("/")
        units = {"s": 1.0, "m": 60.0, "h": 3600.0}
        multiplier = unit[:-1] or "1"
        if not count.isdigit() or int(count) < 1 or unit[-1:] not in units or not multiplier.isdigit():
            raise ValueError(f"expected a rate like 20/s or 100/m, got {text!r}")
        return cls(int(count), float(multiplier) * units[unit[-1]])


@dataclass
class ServerConfig:
    tokens: dict[str, str] = field(default_factory=lambda: dict(DEMO_TOKENS))
    enable_testing_api: bool = False
    allow_insecure_webhooks: bool = False
    rate_limit: RateLimit | None = None
    faults: frozenset[str] = frozenset()
    variants: frozenset[str] = frozenset()
    latency_ms: int = 0  # every answer waits this long (a remote target)
    webhook_retry_delays: tuple[float, ...] = (10.0, 60.0, 300.0)
    download_ttl_seconds: int = 300


class FixedWindowLimiter:
    """Counts requests per key in fixed windows; answers the seconds to wait when over the limit."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._windows: dict[str, tuple[float, int]] = {}

    def check(self, key: str) -> int | None:
        now = time.monotonic()
        start, count = self._windows.get(key, (now, 0))
        if now - start >= self.limit.per_seconds:
            start, count = now, 0
        if count >= self.limit.requests:
            remaining = self.limit.per_seconds - (now - start)
            return max(1, int(remaining + 0.999))
        self._windows[key] = (start, count + 1)
        return None


class Services:
    """Everything handlers may need beyond their tenant."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.faults = validate_fault_names(config.faults)
        self.variants = validate_variant_names(config.variants)
        self.clock = Clock()
        self.url_key = secrets.token_bytes(32)
        self.tenants_by_token: dict[str, TenantStore] = {}
        self.tenants: list[TenantStore] = []
        by_name: dict[str, TenantStore] = {}
        for token, name in config.tokens.items():
            tenant = by_name.get(name)
            if tenant is None:
                tenant = TenantStore(
                    id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"caldasa-reference:{name}")),
                    name=name,
                    clock=self.clock,
                    slug=_slug(name),
                    faults=self.faults,
                )
                by_name[name] = tenant
                self.tenants.append(tenant)
            self.tenants_by_token[token] = tenant
        # The `rate-limit` and `latency` variants choose a limit and a delay when the command line does not.
        rate_limit = config.rate_limit
        if rate_limit is None and "rate-limit" in self.variants:
            rate_limit = RateLimit.parse(DEFAULT_RATE_LIMIT)
        self.limiter = FixedWindowLimiter(rate_limit) if rate_limit else None
        latency_ms = config.latency_ms or (DEFAULT_LATENCY_MS if "latency" in self.variants else 0)
        self.latency_seconds = latency_ms / 1000
        self.dispatcher: Dispatcher | None = None
        self.contract: Contract | None = None

    def fault(self, name: str) -> bool:
        if name not in FAULT_NAMES:
            raise KeyError(f"unknown fault {name!r}")
        return name in self.faults

    def variant(self, name: str) -> bool:
        if name not in VARIANT_NAMES:
            raise KeyError(f"unknown variant {name!r}")
        return name in self.variants

    def tenant_for(self, token: str | None) -> TenantStore | None:
        if token is None:
            return None
        for known, tenant in self.tenants_by_token.items():
            if hmac.compare_digest(known.encode(), token.encode()):
                return tenant
        if self.fault("auth-bypass") and self.tenants:
            return self.tenants[0]
        return None

    def tenant_by_id(self, tenant_id: str) -> TenantStore | None:
        return next((t for t in self.tenants if t.id == tenant_id), None)


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "tenant"

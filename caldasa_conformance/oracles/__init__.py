"""Oracles: small registered functions that judge one response against the contract.

Every oracle has the same signature, `(ctx, response, exchange) -> None`, and raises a
`caldasa_conformance.failures.ConformanceFailure` when the response breaks its requirement:

- `ctx` (`OracleContext`): what holds for the whole run (the contract);
- `response`: the `httpx.Response` received;
- `exchange` (`Exchange`): what was asked (operationId, whether the input was deliberately invalid, which
  fields or request locations were made invalid, whether the configured token was sent).

`run_oracles(ctx, response, exchange)` runs the registered oracles in registration order (server errors
first, so a 500 is reported as S4 and not as a schema mismatch).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from caldasa_conformance.client import curl_command
from caldasa_conformance.failures import ConformanceFailure
from caldasa_conformance.spec import Contract


@dataclass(frozen=True)
class OracleContext:
    """Run-wide inputs of the oracles."""

    contract: Contract


@dataclass(frozen=True)
class Exchange:
    """What the suite asked for, so oracles can tell an expected rejection from a broken one."""

    operation_id: str
    negative: bool = False
    invalid_fields: tuple[str, ...] = ()
    authenticated: bool = False
    # Request parts generated invalid ("body", "query", "path", "header"); empty when unknown.
    invalid_locations: tuple[str, ...] = ()


Oracle = Callable[[OracleContext, httpx.Response, Exchange], None]
_REGISTRY: dict[str, Oracle] = {}


def oracle(name: str) -> Callable[[Oracle], Oracle]:
    """Register an oracle under `name`; a second registration of the same name is a programming error."""

    def register(function: Oracle) -> Oracle:
        if name in _REGISTRY:
            raise ValueError(f"oracle {name!r} is already registered")
        _REGISTRY[name] = function
        return function

    return register


def registered() -> dict[str, Oracle]:
    """The registered oracles by name, in registration order."""
    return dict(_REGISTRY)


def run_oracles(
    ctx: OracleContext, response: httpx.Response, exchange: Exchange, only: Iterable[str] | None = None
) -> None:
    """Run the registered oracles (or the named subset) on one response; the first failure propagates."""
    names = list(only) if only is not None else list(_REGISTRY)
    try:
        for name in names:
            _REGISTRY[name](ctx, response, exchange)
    except ConformanceFailure as failure:
        failure.attach_reproduction(curl_command(response.request))
        raise


from caldasa_conformance.oracles import http as _http  # noqa: E402,F401  (registers the oracles)
from caldasa_conformance.oracles import problems as _problems  # noqa: E402,F401

__all__ = ["Exchange", "Oracle", "OracleContext", "oracle", "registered", "run_oracles"]

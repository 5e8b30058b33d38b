"""Handler registry: operations (by operationId) and testing-API provider states (by name).

A handler is a plain synchronous function ``def handler(ctx: RequestContext) -> Reply``. It runs on the
event loop without awaiting, so each handler is atomic with respect to every other request.
Deep helpers may ``raise ProblemError(reply)`` instead of returning; the framework turns it into the reply.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from caldasa_reference.store import Clock, TenantStore

if TYPE_CHECKING:
    from caldasa_reference.services import Services

PROBLEM_TITLES = {
    400: "One or more validation errors occurred.",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


@dataclass
class Reply:
    """An HTTP answer. ``body`` is JSON-serialisable (or None for no body); ``raw`` wins over ``body``."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/json"
    raw: bytes | None = None


class ProblemError(Exception):
    """Raised anywhere inside a handler to answer with ``reply`` (usually a problem)."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(f"{reply.status} {reply.body!r}")
        self.reply = reply


def problem(status: int, code: str | None = None, detail: str | None = None, **ext: Any) -> Reply:
    """An ``application/problem+json`` reply; ``code`` and ``ext`` become extension members."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": PROBLEM_TITLES.get(status, "Error"),
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    if code is not None:
        body["code"] = code
    body.update(ext)
    return Reply(status, body, media_type="application/problem+json")


def validation_problem(errors: Mapping[str, list[str] | str]) -> Reply:
    """A 400 ``ValidationProblemDetails``; keys are camelCase JSON paths / parameter names (§8 #40)."""
    normalised = {key: ([value] if isinstance(value, str) else list(value)) for key, value in errors.items()}
    reply = problem(400, detail="See errors for the offending fields.")
    reply.body["errors"] = normalised
    return reply


def not_found(what: str = "resource") -> Reply:
    return problem(404, "not_found", f"The {what} does not exist.")


def conflict(code: str, detail: str, **ext: Any) -> Reply:
    return problem(409, code, detail, **ext)


def param_error(name: str, message: str) -> ProblemError:
    """A 400 for a bad provider-state parameter (key ``params.<name>``)."""
    return ProblemError(validation_problem({f"params.{name}": [message]}))


@dataclass
class RequestContext:
    """What a handler gets: the caller's tenant and the already-validated request parts."""

    operation_id: str
    tenant: TenantStore
    path: dict[str, str]
    query: dict[str, Any]
    body: Any
    headers: Mapping[str, str]
    clock: Clock
    services: Services
    base_url: str = ""

    def fault(self, name: str) -> bool:
        """Whether the fault switch ``name`` is on (names are checked against the registry)."""
        return self.services.fault(name)

    def variant(self, name: str) -> bool:
        """Whether the legal variant ``name`` is on (names are checked against the registry)."""
        return self.services.variant(name)

    # Reply helpers, so handlers need only ``ctx``.
    @staticmethod
    def ok(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        return Reply(status, body, dict(headers or {}))

    @staticmethod
    def created(body: Any, location: str) -> Reply:
        return Reply(201, body, {"Location": location})

    @staticmethod
    def accepted(body: Any = None) -> Reply:
        return Reply(202, body)

    @staticmethod
    def no_content() -> Reply:
        return Reply(204)

    @staticmethod
    def problem(status: int, code: str | None = None, detail: str | None = None, **ext: Any) -> Reply:
        return problem(status, code, detail, **ext)

    @staticmethod
    def validation_problem(errors: Mapping[str, list[str] | str]) -> Reply:
        return validation_problem(errors)

    @staticmethod
    def not_found(what: str = "resource") -> Reply:
        return not_found(what)

    @staticmethod
    def conflict(code: str, detail: str, **ext: Any) -> Reply:
        return conflict(code, detail, **ext)


Handler = Callable[[RequestContext], Reply]
AsyncHandler = Callable[[RequestContext], Awaitable[Reply]]
StateHandler = Callable[[RequestContext, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {}
# Only for operations that must await outbound HTTP (sendTestEvent); everything else is synchronous.
ASYNC_HANDLERS: dict[str, AsyncHandler] = {}
PROVIDER_STATES: dict[str, StateHandler] = {}


@dataclass(frozen=True)
class Write:
    """The write half of a check-then-write handler: what the handler's atomicity keeps next to its check."""

    apply: Callable[[], Reply]


StagedHandler = Callable[[RequestContext], "Reply | Write"]
# operationId -> (the fault that removes its lock, the handler split into check and write)
STAGED: dict[str, tuple[str, StagedHandler]] = {}


def settle(outcome: Reply | Write) -> Reply:
    """The reply of a staged handler run atomically (the write right after the check)."""
    return outcome.apply() if isinstance(outcome, Write) else outcome


def locked_operation(operation_id: str, lock_fault: str) -> Callable[[StagedHandler], StagedHandler]:
    """Register a check-then-write handler: it returns a `Reply` (refused) or a `Write` (accepted).

    Normally it runs atomically like any handler (`HANDLERS`). With the fault ``lock_fault`` on, the
    dispatcher awaits between check and write, so a parallel request checks against the state before
    this write.
    """

    def register(handler: StagedHandler) -> StagedHandler:
        def atomic(ctx: RequestContext) -> Reply:
            return settle(handler(ctx))

        operation(operation_id)(atomic)
        STAGED[operation_id] = (lock_fault, handler)
        return handler

    return register


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the implementation of ``operation_id`` (exactly one per id)."""

    def register(handler: Handler) -> Handler:
        if operation_id in HANDLERS and HANDLERS[operation_id] is not handler:
            raise RuntimeError(f"two handlers for {operation_id}")
        HANDLERS[operation_id] = handler
        return handler

    return register


def async_operation(operation_id: str) -> Callable[[AsyncHandler], AsyncHandler]:
    """Register a coroutine handler; it must do all its checks and writes before its first ``await``."""

    def register(handler: AsyncHandler) -> AsyncHandler:
        ASYNC_HANDLERS[operation_id] = handler
        return handler

    return register


def provider_state(name: str) -> Callable[[StateHandler], StateHandler]:
    """Register a testing-API provider state: ``def state(ctx, params) -> ids``.

    ``ctx.body`` is the whole request body; ``params`` is its ``params`` object ({} when absent).
    Raise ``ProblemError(ctx.conflict("invalid_state", ...))`` or a validation problem for bad params.
    """

    def register(handler: StateHandler) -> StateHandler:
        PROVIDER_STATES[name] = handler
        return handler

    return register

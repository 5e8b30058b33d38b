"""The ASGI application: spec-driven routing, auth, rate limiting, validation, dispatch and rendering.

Precedence of outcomes (§8 #15): 404 unknown path → 405 undocumented method → 401 → 429 → 400 schema →
(handler) 404 path entity → 400 semantic → 409 → success. Every error is ``application/problem+json``;
an unexpected exception becomes a 500 problem without any trace in the body.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import pkgutil
import traceback
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from caldasa_reference import testing_api, wire
from caldasa_reference.downloads import serve_download
from caldasa_reference.lists import MAX_PAGE_SIZE
from caldasa_reference.routing import (
    ASYNC_HANDLERS,
    HANDLERS,
    STAGED,
    ProblemError,
    Reply,
    RequestContext,
    Write,
    conflict,
    problem,
    validation_problem,
)
from caldasa_reference.services import ServerConfig, Services
from caldasa_reference.spec import (
    Contract,
    Operation,
    integral_floats_to_int,
    load_contract,
    parse_json_body,
)
from caldasa_reference.store import ID_VERSION, TenantStore
from caldasa_reference.unwell import Unwell
from caldasa_reference.webhooks import Dispatcher

log = logging.getLogger("caldasa_reference")

HANDLER_PACKAGE = "caldasa_reference.handlers"  # every registration lives here; domain/ registers nothing
BOOKING_OPERATIONS = frozenset({"createBooking", "getBooking", "listBookings", "cancelBooking"})
INSECURE_WEBHOOK_OPERATIONS = frozenset({"createWebhook", "updateWebhook"})
# How long a check-then-write handler whose lock a fault removed waits between check and write.
RACE_WINDOW_SECONDS = 0.05


def load_handler_modules() -> None:
    """Import every module of ``handlers/`` so their ``@operation`` and ``@provider_state`` register."""
    package = importlib.import_module(HANDLER_PACKAGE)
    for module in pkgutil.walk_packages(package.__path__, prefix=f"{HANDLER_PACKAGE}."):
        importlib.import_module(module.name)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def unauthorized() -> Reply:
    reply = problem(401, "unauthorized", "A valid bearer token is required.")
    reply.headers["WWW-Authenticate"] = "Bearer"
    return reply


class Api:
    """The single ASGI endpoint behind every path."""

    def __init__(self, services: Services, contract: Contract) -> None:
        self.services = services
        self.contract = contract
        self.unwell = Unwell(services.fault)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if self.services.variant("uuid-v7"):
            ID_VERSION.set(7)  # this request's context only (and the tasks it spawns)
        operation_id = ""
        try:
            reply, operation_id = await self.handle(request)
        except Exception:  # the catch-all: log the trace, never send it
            log.error(
                "unhandled error on %s %s\n%s", request.method, request.url.path, traceback.format_exc()
            )
            reply = problem(500, "internal_error", "An unexpected error occurred.")
        reply = self.apply_response_faults(reply, operation_id)
        reply = wire.dress(reply, request, self.services.variant)
        response = await self.unwell.spoil(self.render(reply), operation_id)
        if self.services.latency_seconds:
            await asyncio.sleep(self.services.latency_seconds)
        await wire.send(response, request, self.services.variant)(scope, receive, send)

    def origin(self, request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    async def handle(self, request: Request) -> tuple[Reply, str]:
        path: str = request.scope["path"]  # decoded; request.url would re-parse "?" or "#" inside it
        if path.startswith("/_files/"):
            return serve_download(self.services, path, dict(request.query_params)), ""
        if path.startswith("/_testing/") and self.services.config.enable_testing_api:
            tenant = self.services.tenant_for(bearer_token(request))
            if tenant is None:
                return unauthorized(), ""
            return await testing_api.handle(self.services, request, tenant, self.origin(request)), ""
        routed = self.contract.route(path)
        if routed is None:
            return problem(404, "not_found", f"No resource at {path}."), ""
        by_method, raw_path_params = routed
        operation = by_method.get(request.method)
        if operation is None:
            reply = problem(405, "method_not_allowed", f"{request.method} is not allowed on this path.")
            reply.headers["Allow"] = ", ".join(sorted(by_method))
            return reply, ""
        tenant = self.services.tenant_for(bearer_token(request))
        if tenant is None:
            return unauthorized(), operation.operation_id
        limited = self.rate_limited(request)
        if limited is not None:
            return limited, operation.operation_id
        ctx_or_reply = await self.build_context(request, operation, raw_path_params, tenant)
        if isinstance(ctx_or_reply, Reply):
            return ctx_or_reply, operation.operation_id
        return await self.dispatch(ctx_or_reply), operation.operation_id

    def rate_limited(self, request: Request) -> Reply | None:
        if self.services.limiter is None:
            return None
        wait = self.services.limiter.check(bearer_token(request) or "")
        if wait is None:
            return None
        reply = problem(429, "rate_limited", "Too many requests; retry later.")
        if not self.services.fault("missing-retry-after"):
            reply.headers["Retry-After"] = str(wait)
        return reply

    async def build_context(
        self, request: Request, operation: Operation, raw_path: dict[str, str], tenant: TenantStore
    ) -> RequestContext | Reply:
        errors: dict[str, list[str]] = {}
        path_values: dict[str, str] = {}
        query: dict[str, Any] = {}
        for parameter in operation.parameters:
            if parameter.location == "path":
                value: Any = raw_path.get(parameter.name, "")
                found = self.contract.validate_value(parameter.validator, value, parameter.name)
                if not found and parameter.schema.get("format") == "uuid":
                    value = value.lower()
                path_values[parameter.name] = value
            elif parameter.location == "query":
                raw = request.query_params.getlist(parameter.name)
                if not raw:
                    found = (
                        {parameter.name: [f"The {parameter.name} field is required."]}
                        if parameter.required
                        else {}
                    )
                else:
                    value = self.contract.coerce_query(parameter, raw)
                    found = self.contract.validate_value(parameter.validator, value, parameter.name)
                    query[parameter.name] = value
            else:
                header = request.headers.get(parameter.name)
                if header is None:
                    found = {parameter.name: ["This header is required."]} if parameter.required else {}
                else:
                    found = self.contract.validate_value(parameter.validator, header, parameter.name)
            for key, messages in found.items():
                errors.setdefault(key, []).extend(messages)
        body = await self.read_body(request, operation, errors)
        self.forgive(operation, body, query, errors)
        if errors:
            if operation.operation_id == "createLocation" and self.services.fault("invalid-input-conflict"):
                return conflict("duplicate_name", "A location with this name already exists.")
            return validation_problem(errors)
        return RequestContext(
            operation_id=operation.operation_id,
            tenant=tenant,
            path=path_values,
            query=query,
            body=body,
            headers=request.headers,
            clock=self.services.clock,
            services=self.services,
            base_url=self.origin(request),
        )

    async def read_body(self, request: Request, operation: Operation, errors: dict[str, list[str]]) -> Any:
        if not operation.has_body:
            return None
        raw = await request.body()
        if not raw.strip():
            if operation.body_required:
                errors.setdefault("body", []).append("A non-empty request body is required.")
            return {}
        try:
            body = parse_json_body(raw)
        except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            errors.setdefault("body", []).append("The request body is not valid JSON.")
            return {}
        if operation.body_validator is not None:
            for key, messages in self.contract.validate_value(operation.body_validator, body, "body").items():
                errors.setdefault(key, []).extend(messages)
        return integral_floats_to_int(body)

    def forgive(
        self, operation: Operation, body: Any, query: dict[str, Any], errors: dict[str, list[str]]
    ) -> None:
        """Drop the schema errors that a command-line switch or fault deliberately lets through (a fault may
        rewrite the value it lets through)."""
        if operation.operation_id == "createCustomer" and self.services.fault("accepts-invalid-input"):
            errors.pop("name", None)
        page_size = query.get("pageSize")
        if (
            isinstance(page_size, int)
            and page_size > MAX_PAGE_SIZE
            and self.services.fault("page-size-clamped")
        ):  # T3: the fault clamps what it should refuse
            errors.pop("pageSize", None)
            query["pageSize"] = MAX_PAGE_SIZE
        if (
            operation.operation_id in INSECURE_WEBHOOK_OPERATIONS
            and self.services.config.allow_insecure_webhooks
            and isinstance(body, dict)
            and isinstance(body.get("url"), str)
            and body["url"].startswith("http://")
        ):
            errors.pop("url", None)

    async def dispatch(self, ctx: RequestContext) -> Reply:
        handler = HANDLERS.get(ctx.operation_id)
        async_handler = ASYNC_HANDLERS.get(ctx.operation_id)
        staged = STAGED.get(ctx.operation_id)
        try:
            if staged is not None and ctx.fault(staged[0]):  # the lock removed: check, await, then write
                outcome = staged[1](ctx)
                if isinstance(outcome, Write):
                    await asyncio.sleep(RACE_WINDOW_SECONDS)
                    outcome = outcome.apply()
                return outcome
            if handler is not None:
                return handler(ctx)
            if async_handler is not None:
                return await async_handler(ctx)
        except ProblemError as raised:
            return raised.reply
        return problem(501, "not_implemented", f"{ctx.operation_id} is not implemented by this server.")

    def render(self, reply: Reply) -> Response:
        if reply.status == 404 and self.services.fault("plain-text-errors"):
            return PlainTextResponse("Not Found", status_code=404, headers=reply.headers)
        variant = self.services.variant
        if reply.raw is not None:
            return Response(
                reply.raw, reply.status, reply.headers, wire.media_type(reply.media_type, variant)
            )
        if reply.body is None:
            return Response(None, reply.status, reply.headers)
        content = wire.encode(reply.body, variant)
        return Response(content, reply.status, reply.headers, wire.media_type(reply.media_type, variant))

    def apply_response_faults(self, reply: Reply, operation_id: str) -> Reply:
        fault = self.services.fault
        if reply.status == 201 and fault("missing-location-header"):
            reply.headers.pop("Location", None)
        if reply.status == 201 and fault("created-as-text-json"):
            reply.media_type = "text/json"
        if operation_id in BOOKING_OPERATIONS and fault("booking-missing-public-id"):
            _strip_public_id(reply.body)
        if reply.status == 409 and isinstance(reply.body, dict):
            if fault("problem-status-mismatch"):
                reply.body["status"] = 400
            if fault("stack-trace-in-detail"):
                reply.body["detail"] = (
                    f"{reply.body.get('detail', '')}\nTraceback (most recent call last):\n"
                    '  File "/srv/caldasa/app.py", line 412, in create\n    raise ConflictError(code)\n'
                    "caldasa_reference.errors.ConflictError: conflict"
                )
        return reply


def _strip_public_id(body: Any) -> None:
    if isinstance(body, dict):
        body.pop("publicId", None)
        for item in body.get("items", []) if isinstance(body.get("items"), list) else []:
            if isinstance(item, dict):
                item.pop("publicId", None)


def create_app(config: ServerConfig | None = None, contract: Contract | None = None) -> Starlette:
    """Build the reference server for ``config`` (demo tenants, no faults by default)."""
    services = Services(config or ServerConfig())
    load_handler_modules()
    dispatcher = Dispatcher(services.fault, services.config.webhook_retry_delays, services.variant)
    services.dispatcher = dispatcher
    for tenant in services.tenants:
        tenant.event_sink = dispatcher.on_event
    services.contract = contract or load_contract()
    if services.variant("large-tenant") and services.tenants:
        from caldasa_reference.seed import seed_large_tenant

        version = ID_VERSION.set(7 if services.variant("uuid-v7") else 4)
        seed_large_tenant(services, services.tenants[0])
        ID_VERSION.reset(version)
    api = Api(services, services.contract)
    app = Starlette(lifespan=dispatcher.lifespan)
    # No Starlette routes: every request (even paths a route regex would miss) reaches the Api.
    app.router.default = api
    app.state.services = services
    return app

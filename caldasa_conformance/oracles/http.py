"""Oracles on status, content type, body schema and headers (S1-S4, T5)."""

from __future__ import annotations

import json

import httpx

from caldasa_conformance import evidence
from caldasa_conformance.client import retry_after_seconds
from caldasa_conformance.failures import (
    MissingHeader,
    RetryAfterMissing,
    SchemaViolation,
    ServerError,
    SuspiciousAuthRejection,
    UndocumentedStatus,
    WrongContentType,
)
from caldasa_conformance.oracles import Exchange, OracleContext, oracle
from caldasa_conformance.redaction import redact

_JSON_TYPES = ("application/json", "application/problem+json")


def media_type(response: httpx.Response) -> str:
    """The response's media type without parameters, lower-cased ('' when absent)."""
    return str(response.headers.get("content-type", "")).split(";")[0].strip().lower()


def _excerpt(response: httpx.Response) -> str:
    return redact(response.text[:300])


@oracle("no_server_error")
def no_server_error(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """S4: no input ever yields a 5xx."""
    if response.status_code >= 500:
        raise ServerError(
            f"{response.status_code} {_excerpt(response)}",
            "a status below 500",
            operation_id=exchange.operation_id,
        )
    evidence.held("S4")


@oracle("credentials_accepted")
def credentials_accepted(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """T2 guard: a 401 to the configured token means the run tests nothing (a wrong token must not pass)."""
    if exchange.authenticated and response.status_code == 401:
        raise SuspiciousAuthRejection(
            "401 to the configured token", "any status but 401", operation_id=exchange.operation_id
        )


@oracle("status_documented")
def status_documented(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """S2: the status is one the contract documents for the operation."""
    if ctx.contract.response(exchange.operation_id, response.status_code) is None:
        documented = ", ".join(ctx.contract.documented_statuses(exchange.operation_id))
        raise UndocumentedStatus(
            str(response.status_code), f"one of {documented}", operation_id=exchange.operation_id
        )
    evidence.held("S2")


@oracle("content_type")
def content_type(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """S3: a success body has a documented media type (error bodies are judged by `problem_shape`)."""
    documented = ctx.contract.response(exchange.operation_id, response.status_code)
    if documented is None or response.status_code >= 400:
        return
    media_types = tuple(documented[0].get("content", {}))
    if not media_types:
        if response.content:
            raise WrongContentType(
                f"a {len(response.content)}-byte body", "no body", operation_id=exchange.operation_id
            )
        evidence.held("S3")
        return
    if media_type(response) not in media_types:
        raise WrongContentType(
            repr(media_type(response)), " or ".join(media_types), operation_id=exchange.operation_id
        )
    evidence.held("S3")


@oracle("response_schema")
def response_schema(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """S1: a JSON body validates against its documented schema, formats included."""
    documented = ctx.contract.response(exchange.operation_id, response.status_code)
    kind = media_type(response)
    if documented is None or kind not in _JSON_TYPES or kind not in documented[0].get("content", {}):
        return
    if response.status_code == 401 and not response.content:
        return
    try:
        body = response.json()
    except json.JSONDecodeError:
        raise SchemaViolation(
            f"unparsable JSON: {_excerpt(response)}", "a JSON document", operation_id=exchange.operation_id
        ) from None
    pointer = f"{documented[1]}/content/{kind.replace('/', '~1')}/schema"
    error = next(iter(sorted(ctx.contract.validator(pointer).iter_errors(body), key=lambda e: e.path)), None)
    if error is not None:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        raise SchemaViolation(
            f"{where}: {redact(error.message)[:300]}",
            f"{where} to satisfy `{error.validator}`: {redact(repr(error.validator_value))[:200]}",
            operation_id=exchange.operation_id,
        )
    evidence.held("S1")


@oracle("required_headers")
def required_headers(ctx: OracleContext, response: httpx.Response, exchange: Exchange) -> None:
    """S3 (Location on 201 and documented required headers) and T5 (Retry-After on 429)."""
    if response.status_code == 429:
        if retry_after_seconds(response) is None:
            raise RetryAfterMissing(
                repr(response.headers.get("Retry-After")),
                "Retry-After: <integer seconds>",
                operation_id=exchange.operation_id,
            )
        evidence.held("T5")
        return
    documented = ctx.contract.response(exchange.operation_id, response.status_code)
    required = {"location"} if response.status_code == 201 else set()
    if documented is not None:
        for name, header in documented[0].get("headers", {}).items():
            if ctx.contract.resolve(header, "")[0].get("required"):
                required.add(name.lower())
    for name in sorted(required):
        if not response.headers.get(name):
            raise MissingHeader(
                f"no {name} header on {response.status_code}",
                f"a {name} header",
                operation_id=exchange.operation_id,
            )
    if required:
        evidence.held("S3")

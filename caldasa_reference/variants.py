"""The one registry of legal variants: behaviours the contract allows that the reference does not choose.

A variant is a correct server that chose differently where the contract, the RFCs it cites and the design
leave room (design §8 #30: any open eligible staff member may be assigned; #31: any free unit). The suite
must pass against every variant; a failure on a variant is a defect of the suite, never of the variant.
Like a fault, a variant is a switch checked at one point in the code (``ctx.variant("name")``).
Switch variants on with ``caldasa-reference serve --variant NAME`` (repeatable).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    allowed_by: str


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "staff-highest-id",
        "a null staffMemberId gets the open eligible staff member with the highest id",
        "design §8 #30: any open eligible staff member may be assigned",
    ),
    Variant(
        "staff-random",
        "a null staffMemberId gets a random open eligible staff member",
        "design §8 #30: any open eligible staff member may be assigned",
    ),
    Variant(
        "unit-random",
        "an unpinned resource selection gets a random free unit of the type",
        "design §8 #31: any free unit of the type may be allocated",
    ),
    Variant(
        "uuid-v7",
        "every new id is a UUIDv7 (time-ordered) instead of a UUIDv4",
        "contract: ids are `format: uuid`, no version named; RFC 9562 §5.7",
    ),
    Variant(
        "ties-reversed",
        "lists whose documented order names no tiebreaker (location staff and reservable staff by name, "
        "signed forms by signedAt) break ties the other way by id",
        "contract: listLocationStaff/listReservableStaff `name asc`, listSignedForms `signedAt desc`",
    ),
    Variant(
        "webhook-duplicates",
        "every webhook delivery is POSTed twice with the same webhook-id, after a random delay, so "
        "deliveries of later events can arrive first",
        "Standard Webhooks: at-least-once delivery, receivers deduplicate by webhook-id; no order promised",
    ),
    Variant(
        "absolute-location",
        "Location headers hold absolute URIs (origin + path)",
        "RFC 9110 §10.2.2: Location is a URI reference, absolute or relative",
    ),
    Variant(
        "json-charset",
        "JSON media types carry `; charset=utf-8`",
        "RFC 8259 §11 / RFC 9457: the parameter has no effect but is allowed",
    ),
    Variant(
        "gzip",
        "bodies are gzip-compressed when the request accepts gzip",
        "RFC 9110 §8.4 and §12.5.3: content coding negotiated by Accept-Encoding",
    ),
    Variant(
        "chunked",
        "bodies are sent with Transfer-Encoding: chunked instead of a Content-Length",
        "RFC 9112 §7.1: chunked transfer coding",
    ),
    Variant(
        "connection-close",
        "every response says `Connection: close` and the server closes the connection",
        "RFC 9112 §9.6: either side may close a persistent connection",
    ),
    Variant(
        "extra-headers",
        "responses carry headers the contract does not list: X-Request-Id, Cache-Control: no-store and "
        "RateLimit-Limit/-Remaining/-Reset",
        "RFC 9110 §5.1: unrecognised header fields are ignored; the contract lists no closed header set",
    ),
    Variant(
        "problem-extensions",
        "problem details carry `instance` (the request path as sent), an ASP.NET Core `traceId` and "
        "another extension member",
        "RFC 9457 §3.1.5 and §3.2; ProblemDetails sets additionalProperties: true",
    ),
    Variant(
        "extra-properties",
        "JSON response objects (and the objects of their `items`) carry a property the contract does "
        "not list",
        "no response schema sets additionalProperties: false; design: clients must ignore unknown fields",
    ),
    Variant(
        "json-pretty",
        "JSON bodies are indented with two spaces and their keys sorted",
        "RFC 8259: insignificant whitespace and member order carry no meaning",
    ),
    Variant(
        "latency",
        "every answer is delayed by 40 ms, like a remote target (`serve --latency MS` chooses the delay)",
        "any server is some distance away",
    ),
    Variant(
        "rate-limit",
        "a per-token limit of 50 requests/s answers 429 with Retry-After (`serve --rate-limit` chooses it)",
        "contract: every operation documents 429 with Retry-After",
    ),
    Variant(
        "large-tenant",
        "the first tenant starts with 5,000 customers and 3,000 bookings",
        "a long-lived staging holds data (customers cannot be deleted)",
    ),
)

# What a variant implies when the command line does not choose it itself.
DEFAULT_LATENCY_MS = 40
DEFAULT_RATE_LIMIT = "50/s"

VARIANT_NAMES: frozenset[str] = frozenset(variant.name for variant in VARIANTS)


class UnknownVariantError(ValueError):
    """A variant name that is not in the registry."""


def validate_variant_names(names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Return ``names`` as a frozenset, or raise :class:`UnknownVariantError` naming the valid variants."""
    unknown = sorted(set(names) - VARIANT_NAMES)
    if unknown:
        valid = ", ".join(variant.name for variant in VARIANTS)
        raise UnknownVariantError(f"unknown variant {', '.join(unknown)}; valid variants: {valid}")
    return frozenset(names)

"""Glue between Schemathesis and the harness: schema loading per budget, sending cases through our client.

Cases are sent with the suite's `httpx.Client` (so the token, timeout, 429 handling, request counting and
Allure attachments apply to them too) and judged by our oracles first, then by Schemathesis' own checks.
The link-driven machine's steps go through the same client (`send`).
Each generation mode gets its own loaded schema object: clones made by include()/exclude() share one
config, so a negative-mode update would leak into every positive test (schemathesis-notes gotcha 0.2).
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import schemathesis
from schemathesis import GenerationMode

from caldasa_conformance.budget import budget_named
from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.naming import carries_tag
from caldasa_conformance.spec import load_contract

# Operations where schema-valid input may still get a semantic 400 (design §8 #19).
SEMANTIC_400_OPERATIONS = frozenset(
    {
        "listAvailabilitySlots",
        "createBooking",
        "sendCustomerMessage",
        "createEvent",
        "updateEvent",
        "createTicketType",
        "updateTicketType",
        "createLocation",
        "updateLocation",
        "replaceBusinessHours",
        "createReservable",
        "updateReservable",
        "createResource",
        "updateResource",
        "createStaffMember",
        "createStaffShift",
        "createStaffBlock",
        "createWebhook",
        "updateWebhook",
    }
)


def load_schema(config: SuiteConfig, mode: GenerationMode) -> Any:
    """A freshly loaded schema generating only `mode` data, sized by the budget."""
    # A deep copy per load: Schemathesis mutates the document; each mode needs its own schema (gotcha 0.2).
    budget = budget_named(config.budget)
    schema = schemathesis.openapi.from_dict(copy.deepcopy(dict(load_contract(config.spec).document)))
    # What Schemathesis sends itself waits as long as the suite's client does (`--timeout`), not its own 10 s.
    schema.config.update(base_url=config.base_url or "http://caldasa.invalid", request_timeout=config.timeout)
    schema.config.generation.update(
        modes=[mode],
        max_examples=budget.schema_examples,
        database="none",
        with_security_parameters=False,
        allow_extra_parameters=False,
    )
    phases = list(budget.schema_phases)
    if mode is GenerationMode.NEGATIVE:  # the examples phase replays the contract's (valid) examples
        phases = [phase for phase in phases if phase != "examples"]
    schema.config.phases.update(phases=phases)
    return schema


def is_negative(case: Any) -> bool:
    """True when Schemathesis generated this case to violate the schema, and the request as sent still does.

    Coverage-phase negatives (deep budget only) are left out: their intent does not always survive
    serialisation (an empty array in the query is sent as no parameter at all) and their Content-Type probes
    are ignored by design (§8 #8), so a 2xx to them is no evidence. Every other oracle still judges them.
    """
    if case.meta is None or case.meta.generation.mode is not GenerationMode.NEGATIVE:
        return False
    return str(case.meta.phase.name) != "coverage"


def negative_locations(case: Any) -> tuple[str, ...]:
    """The request parts ("body", "query", "path", "header") a fuzzing-phase negative case made invalid.

    Empty outside the fuzzing phase: the coverage phase's content-type probes mark the headers negative
    while the server rightly complains about the body, so their components do not say what is wrong.
    """
    if not is_negative(case) or str(case.meta.phase.name) != "fuzzing":
        return ()
    return tuple(
        sorted(str(where.value) for where, info in case.meta.components.items() if info.mode.is_negative)
    )


# The generated fields that name what a request creates (a booking's `customerName` names the customer it
# creates implicitly, which the API cannot delete: it must carry the tag to be listed as the run's).
_NAME_FIELDS = ("name", "customerName")


def tag_generated_names(schema: Any, run_tag: str) -> None:
    """Tag every positive case's name fields with the run tag (`tag_case`), as Schemathesis maps them.

    Uses `map_case` and checks the mode: mapping a negative case could make it valid (gotcha 0.8). The
    examples phase of the pytest integration does not pass through `map_case`: send those through `tag_case`.
    """

    @schema.hook("map_case")  # type: ignore[untyped-decorator]
    def _tag(ctx: Any, case: Any) -> Any:
        return tag_case(case, run_tag)


def tag_case(case: Any, run_tag: str) -> Any:
    """Prefix the name fields of a positive case's body with the run tag (once), so what it creates is the
    run's: findable, attributable, and removable by `cleanup`."""
    body = case.body
    if is_negative(case) or not isinstance(body, dict):
        return case
    for name in _NAME_FIELDS:
        value = body.get(name)
        if isinstance(value, str) and not carries_tag({name: value}, run_tag):
            limit = _field_limit(case, name)
            if limit > len(run_tag) + 1:
                body[name] = f"{run_tag} {value}"[:limit]
    return case


def _field_limit(case: Any, name: str) -> int:
    schema = case.operation.body[0].definition.get("schema", {}) if case.operation.body else {}
    resolved = schema.get("properties", {}).get(name, {}) if isinstance(schema, dict) else {}
    return int(resolved.get("maxLength", 100)) if isinstance(resolved, dict) else 100


def operation_id(case: Any) -> str:
    return str(case.operation.definition.raw["operationId"])


def is_documented_method(case: Any) -> bool:
    """False for the coverage phase's probes with an undocumented method (PATCH on a GET path, TRACE, ...)."""
    return str(case.method).upper() == str(case.operation.method).upper()


def send(client: httpx.Client, case: Any) -> httpx.Response:
    """Send a Schemathesis case through `client` and return the httpx response."""
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url).rstrip("/"))
    kwargs.pop("cookies", None)
    headers = {
        # Negative cases may carry non-ASCII header values: send their UTF-8 bytes (httpx wants ASCII str).
        key: value if not isinstance(value, str) or value.isascii() else value.encode("utf-8")
        for key, value in (kwargs.pop("headers", None) or {}).items()
        if key.lower() not in ("authorization", "user-agent")
    }
    method, url = kwargs.pop("method"), kwargs.pop("url")
    return client.request(method, url, headers=headers, **kwargs)

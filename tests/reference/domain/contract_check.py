"""Check every response of the domain tests against `openapi/caldasa.yaml` (S1 schema, S2 status)."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlsplit

import httpx

from caldasa_reference.spec import Contract, load_contract


@functools.cache
def contract() -> Contract:
    return load_contract()


def _response_validator(template: str, method: str, status: int) -> tuple[Any, bool]:
    """(validator or None, documented?) for one response of one operation."""
    spec = contract()
    pointer = "paths/" + template.replace("~", "~0").replace("/", "~1") + f"/{method.lower()}/responses"
    responses = spec.document["paths"][template][method.lower()]["responses"]
    if str(status) not in responses:
        return None, False
    node, node_pointer = spec._deref(responses[str(status)], f"{pointer}/{status}")
    for media, content in node.get("content", {}).items():
        if "schema" in content:
            media_pointer = media.replace("~", "~0").replace("/", "~1")
            return spec._validator(f"{node_pointer}/content/{media_pointer}/schema"), True
    return None, True


def check_response(response: httpx.Response) -> None:
    """Raise AssertionError when `response` breaks the contract (undocumented status or schema violation)."""
    path = urlsplit(str(response.request.url)).path
    if path.startswith("/_testing"):
        return
    found = contract().route(path)
    assert found is not None, f"no route for {path}"
    operation = found[0][response.request.method]
    validator, documented = _response_validator(operation.template, operation.method, response.status_code)
    assert documented, f"{operation.operation_id}: undocumented status {response.status_code}"
    if validator is not None and response.content:
        errors = [error.message for error in validator.iter_errors(response.json())]
        assert not errors, f"{operation.operation_id} {response.status_code}: {errors[:3]}"


def contract_hook(response: httpx.Response) -> None:
    response.read()
    check_response(response)

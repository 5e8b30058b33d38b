"""Every operation with generated positive data, judged by our oracles and Schemathesis' checks."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from caldasa_conformance.fixtures.data import Cleanup, track_created
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support.generated import generated_cases
from caldasa_conformance.support.st import (
    SEMANTIC_400_OPERATIONS,
    is_documented_method,
    operation_id,
    send,
    tag_case,
)

_BUILTIN = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _checks(case: Any) -> list[Any]:
    if operation_id(case) in SEMANTIC_400_OPERATIONS:
        return _BUILTIN
    return [*_BUILTIN, positive_data_acceptance]


@pytest.mark.schema
@pytest.mark.req("S1", "S2", "S3", "S4")
@generated_cases(GenerationMode.POSITIVE)
def test_generated_requests_get_documented_responses(
    case: Any, api: httpx.Client, oracle_ctx: OracleContext, cleanup: Cleanup, run_tag: str
) -> None:
    """Test purpose: responses to schema-valid requests match the contract (status, type, headers, body).

    Method: send each generated case with the primary token; run our oracles first (typed failures naming the
    requirement), then Schemathesis' built-in checks (curl reproductions with the token sanitized).
    """
    response = send(api, tag_case(case, run_tag))
    track_created(cleanup, api, response)
    if not is_documented_method(case):
        run_oracles(
            oracle_ctx,
            response,
            Exchange(operation_id(case), authenticated=True),
            only=["no_server_error", "problem_shape"],
        )
        return
    run_oracles(oracle_ctx, response, Exchange(operation_id(case), authenticated=True))
    case.validate_response(response, checks=_checks(case))

"""Schemathesis negative generation on every operation: invalid input is rejected cleanly."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, not_a_server_error

from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.support.generated import generated_cases
from caldasa_conformance.support.st import (
    is_negative,
    negative_locations,
    operation_id,
    send,
)

_ORACLES = [
    "no_server_error",
    "credentials_accepted",
    "problem_shape",
    "no_leaky_detail",
    "invalid_input_rejected",
    "validation_keys_exist",
]


@pytest.mark.errors
@pytest.mark.req("V1", "S4", "T6")
@generated_cases(GenerationMode.NEGATIVE)  # its own schema object: negative mode must not leak (gotcha 0.2)
def test_invalid_requests_are_rejected_as_problems(
    case: Any, api: httpx.Client, oracle_ctx: OracleContext
) -> None:
    """Test purpose: schema-invalid input gets a 4xx problem+json, never a 2xx or a 5xx; a 400 names fields.

    Method: send each negative case with the primary token; our oracles judge status, problem shape,
    detail and (on 400) that every `errors` key names a field of the request, the mutated part among them;
    Schemathesis' negative_data_rejection and not_a_server_error run as well.
    """
    response = send(api, case)
    exchange = Exchange(
        operation_id(case),
        negative=is_negative(case),
        authenticated=True,
        invalid_locations=negative_locations(case),
    )
    run_oracles(oracle_ctx, response, exchange, only=_ORACLES)
    case.validate_response(response, checks=[not_a_server_error, negative_data_rejection])

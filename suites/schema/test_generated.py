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

from caldasa_conformance.builders.factory import DataFactory
from caldasa_conformance.config import SuiteConfig
from caldasa_conformance.fixtures.data import Cleanup, SetupFailed, track_created
from caldasa_conformance.oracles import Exchange, OracleContext, run_oracles
from caldasa_conformance.session import RunSession
from caldasa_conformance.support.generated import generated_cases
from caldasa_conformance.support.path_ids import IdSets, fill_path, record_status
from caldasa_conformance.support.st import (
    SEMANTIC_400_OPERATIONS,
    is_documented_method,
    operation_id,
    send,
    tag_case,
)
from caldasa_conformance.workflows.fixtures import state_sources

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


@pytest.fixture(scope="module")
def id_sets(
    caldasa_session: RunSession, api: httpx.Client, cleanup: Cleanup, request: pytest.FixtureRequest
) -> IdSets | None:
    """Ids of real entities for the generated cases' path parameters (none under the readonly profile)."""
    if caldasa_session.config.profile == "readonly":
        return None
    factory: DataFactory = request.getfixturevalue("factory")
    try:
        return IdSets(factory, state_sources(api, caldasa_session, cleanup))
    except SetupFailed:  # a target that cannot build the world (a stateless mock) gets random ids only
        return None


@pytest.mark.schema
@pytest.mark.req("S1", "S2", "S3", "S4")
@generated_cases(GenerationMode.POSITIVE)
def test_generated_requests_get_documented_responses(
    case: Any,
    api: httpx.Client,
    oracle_ctx: OracleContext,
    cleanup: Cleanup,
    run_tag: str,
    caldasa_config: SuiteConfig,
    id_sets: IdSets | None,
) -> None:
    """Test purpose: responses to schema-valid requests match the contract (status, type, headers, body).

    Method: put ids of real entities into most cases' path parameters (the rest keep their random ids, for
    the 404 branch); send each generated case with the primary token; run our oracles first (typed failures
    naming the requirement), then Schemathesis' built-in checks (curl reproductions with the token sanitized).
    """
    generated = dict(case.path_parameters or {})
    fill_path(case, id_sets.for_operation(operation_id(case)) if id_sets else [])
    response = send(api, tag_case(case, run_tag))
    record_status(
        caldasa_config.report_dir,
        operation_id(case),
        response.status_code,
        generated != case.path_parameters,
    )
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

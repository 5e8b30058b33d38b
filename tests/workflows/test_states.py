"""Provider states: the manifest path, the testing-API path, and the skip when neither provides a state."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from caldasa_conformance.states import (
    ChainStates,
    ManifestStates,
    NoStates,
    StateRejected,
    StateUnavailable,
    TestingApiStates,
    load_manifest,
    require_state,
)
from caldasa_conformance.workflows.target import Target

MANIFEST = """
version: 1
states:
  event-with-paid-ticket-order:
    - ids: {eventId: e-1, ticketTypeId: tt-1, ticketOrderId: o-1, tickets: [{ticketId: t-1, code: C-1}]}
    - ids: {eventId: e-2, ticketTypeId: tt-2, ticketOrderId: o-2, tickets: [{ticketId: t-2, code: C-2}]}
      params: {quantity: 2}
  form-templates:
    ids: {waiverTemplateId: w-1, intakeTemplateId: i-1}
"""


@pytest.fixture
def manifest(tmp_path: Path) -> ManifestStates:
    path = tmp_path / "states.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    return ManifestStates(path)


def test_manifest_hands_out_each_entry_once(manifest: ManifestStates) -> None:
    assert manifest.provide("event-with-paid-ticket-order", {})["eventId"] == "e-1"
    assert manifest.provide("event-with-paid-ticket-order", {"quantity": 2})["eventId"] == "e-2"
    with pytest.raises(StateUnavailable, match="no unused manifest entry"):
        manifest.provide("event-with-paid-ticket-order", {})


def test_manifest_entry_serves_only_matching_params(manifest: ManifestStates) -> None:
    manifest.provide("event-with-paid-ticket-order", {})
    with pytest.raises(StateUnavailable):
        manifest.provide("event-with-paid-ticket-order", {"quantity": 3})


def test_manifest_single_mapping_is_reusable(manifest: ManifestStates) -> None:
    first = manifest.provide("form-templates", {})
    assert (
        manifest.provide("form-templates", {})
        == first
        == {"waiverTemplateId": "w-1", "intakeTemplateId": "i-1"}
    )


def test_manifest_missing_state_is_unavailable(manifest: ManifestStates) -> None:
    with pytest.raises(StateUnavailable, match="not in the manifest"):
        manifest.provide("booking-completed", {"bookingId": "b-1"})


@pytest.mark.parametrize("text", ["states: [1, 2]", "states:\n  x:\n    - params: {}\n", "nothing: here"])
def test_bad_manifest_is_rejected_with_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml") as raised:
        load_manifest(path)
    assert "\n" not in str(raised.value)


def test_require_state_skips_naming_the_missing_state() -> None:
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_state("event-with-paid-ticket-order", NoStates())
    message = str(skipped.value)
    assert "event-with-paid-ticket-order" in message
    assert "\n" not in message


def test_chain_falls_back_to_manifest_when_testing_api_is_absent(manifest: ManifestStates) -> None:
    absent = TestingApiStates(_client(lambda request: httpx.Response(404)))
    chain = ChainStates([absent, manifest])
    assert require_state("form-templates", chain)["waiverTemplateId"] == "w-1"
    assert chain.dynamic


def test_testing_api_rejection_carries_the_code() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(409, json={"status": 409, "code": "sold_out"})

    with pytest.raises(StateRejected) as rejected:
        TestingApiStates(_client(answer)).provide("ticket-order", {"eventId": "e"})
    assert rejected.value.code == "sold_out"


def test_testing_api_of_reference_server_provides_a_state(clean_target: Target) -> None:
    ids = require_state("event-with-paid-ticket-order", clean_target.states, quantity=2)
    assert {"eventId", "ticketTypeId", "ticketOrderId", "tickets"} <= set(ids)
    assert len(ids["tickets"]) == 2


def _client(handler: object) -> httpx.Client:
    return httpx.Client(base_url="http://target.test", transport=httpx.MockTransport(handler))  # type: ignore[arg-type]


def _counting_client(status: int, seen: list[str], base_url: str) -> httpx.Client:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(status, json={"items": []} if status == 200 else {"status": status})

    return httpx.Client(base_url=base_url, transport=httpx.MockTransport(answer))


def test_the_testing_api_is_probed_once_per_target_not_assumed() -> None:
    from caldasa_conformance.config import SuiteConfig
    from caldasa_conformance.session import RunSession

    session = RunSession(SuiteConfig())
    seen: list[str] = []
    absent = _counting_client(404, seen, "http://probe-absent.invalid")
    reason = session.testing_api_absence(absent)
    assert reason is not None
    assert "no testing API" in reason
    assert "404" in reason
    assert session.testing_api_absence(absent) == reason
    assert seen == ["GET /_testing/states"]  # once, however often it is asked
    present = _counting_client(200, seen, "http://probe-present.invalid")
    assert session.testing_api_absence(present) is None
    assert seen == ["GET /_testing/states", "GET /_testing/states"]


def test_without_a_testing_api_states_skip_naming_the_probe_and_nothing_is_dynamic(
    manifest: ManifestStates,
) -> None:
    from caldasa_conformance.config import SuiteConfig
    from caldasa_conformance.fixtures.data import Cleanup
    from caldasa_conformance.session import RunSession
    from caldasa_conformance.workflows.fixtures import state_sources

    seen: list[str] = []
    client = _counting_client(404, seen, "http://probe-sources.invalid")
    states = state_sources(client, RunSession(SuiteConfig()), Cleanup())
    assert not states.dynamic  # machines leave out the steps that would buy tickets on the fly
    with pytest.raises(pytest.skip.Exception, match="GET /_testing/states answered 404"):
        require_state("pending-review", states)
    assert seen == ["GET /_testing/states"]  # the probe; no POST was tried

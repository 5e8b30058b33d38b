"""The link machine sends every step on one kept-alive session (a new connection per step costs a TCP and,
on HTTPS, a TLS handshake: several round trips against a remote target)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import httpx
import pytest
import requests
import schemathesis

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.spec import load_contract
from caldasa_conformance.workflows import target as target_module
from caldasa_conformance.workflows.links import kept_alive_session, link_machine


def test_every_step_gets_the_same_session_and_the_targets_token(monkeypatch: pytest.MonkeyPatch) -> None:
    schema = schemathesis.openapi.from_dict(copy.deepcopy(dict(load_contract(BUNDLED_SPEC).document)))
    schema.config.update(base_url="http://127.0.0.1:9")
    machine = link_machine(schema, lambda: None)  # type: ignore[arg-type,return-value]
    client = httpx.Client(headers={"Authorization": "Bearer cc-token"})
    monkeypatch.setattr(target_module, "current", lambda: SimpleNamespace(client=client))
    first, second = (machine.get_call_kwargs(object(), None) for _ in range(2))
    assert isinstance(first["session"], requests.Session)
    assert first["session"] is second["session"] is kept_alive_session()
    assert first["headers"] == {"Authorization": "Bearer cc-token"}
    client.close()

"""The link machine sends every step on one kept-alive session (a new connection per step costs a TCP and,
on HTTPS, a TLS handshake: several round trips against a remote target)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import httpx
import requests
import schemathesis

from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.spec import load_contract
from caldasa_conformance.workflows.links import kept_alive_session, link_machine


def test_every_step_gets_the_same_session_and_the_targets_token() -> None:
    schema = schemathesis.openapi.from_dict(copy.deepcopy(dict(load_contract(BUNDLED_SPEC).document)))
    schema.config.update(base_url="http://127.0.0.1:9")
    client = httpx.Client(headers={"Authorization": "Bearer cc-token"})
    target = SimpleNamespace(client=client, budget="smoke")
    machine = link_machine(schema, lambda: None, None, target)  # type: ignore[arg-type,return-value]
    first, second = (machine.get_call_kwargs(object(), None) for _ in range(2))
    assert isinstance(first["session"], requests.Session)
    assert first["session"] is second["session"] is kept_alive_session()
    assert first["headers"] == {"Authorization": "Bearer cc-token"}
    client.close()

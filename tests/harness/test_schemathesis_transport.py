"""Schemathesis' cases, the link-driven machine's steps included, go through the suite's client and meet the
target's health like every other request: no answer within the timeout in force, or an answer broken off
mid-body, is the target unwell (a `TargetUnwell` naming the request, counted), and a replay that cannot
reproduce it does not turn it into Hypothesis' flakiness."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from schemathesis import GenerationMode

from caldasa_conformance.client import make_client
from caldasa_conformance.config import Secret, SuiteConfig
from caldasa_conformance.failures import NoAnswerInTime, UnparsableBody
from caldasa_conformance.health import TargetHealth
from caldasa_conformance.oracles import OracleContext
from caldasa_conformance.spec import load_contract
from caldasa_conformance.support.generated import run_schema
from caldasa_conformance.support.st import send
from caldasa_conformance.workflows.links import link_machine
from caldasa_reference import unwell
from caldasa_reference.server import serve_in_thread

TOKEN = "caldasa-demo-token-a"
TIMEOUT = 0.3  # seconds; every hang below lasts longer


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A loopback server that reads one request per connection and answers it with `answer(connection)`."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                answer(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


def _silent(connection: socket.socket) -> None:
    threading.Event().wait(3 * TIMEOUT)


def _stalls_mid_body(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{")
    threading.Event().wait(3 * TIMEOUT)


def _cut_mid_body(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{")


def _client(base_url: str, health: TargetHealth) -> httpx.Client:
    """A client as the session makes them: judged into `health`, with the run's timeout."""
    return make_client(SuiteConfig(base_url=base_url, token=Secret(TOKEN), timeout=TIMEOUT), health=health)


def _case(base_url: str) -> Any:
    schema = run_schema(SuiteConfig(base_url=base_url, timeout=TIMEOUT), GenerationMode.POSITIVE)
    return schema["/customers"]["GET"].Case()


@pytest.mark.parametrize(
    ("answer", "failure", "said"),
    [
        (_silent, NoAnswerInTime, f"GET /customers did not answer within {TIMEOUT:g} s"),
        (_stalls_mid_body, NoAnswerInTime, f"GET /customers did not answer within {TIMEOUT:g} s"),
        (_cut_mid_body, UnparsableBody, "GET /customers: the connection broke mid-answer"),
    ],
    ids=["no-answer", "body-stalls", "body-cut"],
)
def test_a_case_s_transport_errors_are_the_target_unwell(
    answer: Callable[[socket.socket], None], failure: type[Exception], said: str
) -> None:
    health = TargetHealth()
    with raw_server(answer) as base_url, pytest.raises(failure) as caught:
        send(_client(base_url, health), _case(base_url))
    assert said in str(caught.value)
    assert sum(health.counts.values()) == 1
    assert health.first_for_test() is caught.value


def test_a_refused_connection_stays_what_it_is() -> None:
    with socket.create_server(("127.0.0.1", 0)) as placeholder:
        base_url = f"http://127.0.0.1:{placeholder.getsockname()[1]}"
    health = TargetHealth()
    with pytest.raises(httpx.ConnectError):
        send(_client(base_url, health), _case(base_url))
    assert sum(health.counts.values()) == 0


def test_link_machine_reports_a_timeout_its_replay_cannot_reproduce_as_the_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first API answer comes after the timeout; Hypothesis' replay of that example gets its answer in
    time, which Hypothesis calls flaky. The test still ends with the transport's cause, counted."""
    spoil = unwell.Unwell.spoil
    hung: list[str] = []

    async def hang_once(self: unwell.Unwell, response: Any, operation_id: str) -> Any:
        if operation_id and not hung:
            hung.append(operation_id)
            await asyncio.sleep(3 * TIMEOUT)
        return await spoil(self, response, operation_id)

    monkeypatch.setattr(unwell.Unwell, "spoil", hang_once)
    health = TargetHealth()
    with serve_in_thread() as base_url, _client(base_url, health) as client:
        config = SuiteConfig(base_url=base_url, token=Secret(TOKEN), timeout=TIMEOUT, budget="smoke")
        schema = run_schema(config, GenerationMode.POSITIVE)
        schema.config.phases.update(phases=["stateful"])
        contract = OracleContext(contract=load_contract(config.spec))
        target = SimpleNamespace(client=client, budget="smoke")
        machine = link_machine(schema, lambda: contract, None, target)  # type: ignore[arg-type]
        with pytest.raises(NoAnswerInTime, match=f"did not answer within {TIMEOUT:g} s"):
            machine.TestCase().runTest()
    assert hung
    assert health.counts["timeouts"] >= 1

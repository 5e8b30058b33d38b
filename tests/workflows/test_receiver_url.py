"""The webhook receiver for a target elsewhere: `--webhook-receiver-url` (its public URL, e.g. a tunnel) and
where it listens (`--webhook-receiver-host`, `--webhook-receiver-port`)."""

from __future__ import annotations

import socket

import httpx
import pytest

from caldasa_conformance.options import BY_NAME, ConfigError
from caldasa_conformance.states import NoStates
from caldasa_conformance.workflows import receiver
from caldasa_conformance.workflows.target import Target
from caldasa_conformance.workflows.webhooks import unreachable_reason

pytest_plugins = ["pytester"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_subscriptions_get_the_public_url_and_the_receiver_listens_where_told() -> None:
    port = _free_port()
    settings = receiver.ReceiverSettings("127.0.0.1", port, "https://tunnel.example/hooks/")
    with receiver.Receiver(settings) as running:
        url = running.url("w2-abc", status=500)
        assert url == "https://tunnel.example/hooks/status/500/w2-abc"
        # what the tunnel forwards, path prefix included, reaches the receiver on the chosen port
        answer = httpx.post(f"http://127.0.0.1:{port}/hooks/status/500/w2-abc", content=b"{}")
        assert answer.status_code == 500  # the status in the path, wherever the prefix puts it
        assert [d.path for d in running.received("w2-abc")] == ["/hooks/status/500/w2-abc"]


def test_a_remote_target_reaches_the_receiver_only_through_a_public_url() -> None:
    client = httpx.Client(base_url="https://staging.example.com")
    remote = Target(client=client, states=NoStates(), receiver=receiver.LazyReceiver())
    assert not remote.reaches_receiver
    reason = unreachable_reason(remote.reaches_receiver)
    assert reason is not None
    assert "--webhook-receiver-url" in reason
    tunnelled = receiver.LazyReceiver(receiver.ReceiverSettings(public_url="https://tunnel.example"))
    remote = Target(client=client, states=NoStates(), receiver=tunnelled)
    assert remote.reaches_receiver
    assert unreachable_reason(remote.reaches_receiver) is None


def test_the_session_s_receiver_listens_where_the_options_say(pytester: pytest.Pytester) -> None:
    """`--caldasa-webhook-receiver-*` reach the receiver through the run session, not a module global."""
    port = _free_port()
    pytester.makepyfile(
        f"""
        def test_receiver(webhook_receiver):
            assert webhook_receiver.settings.port == {port}
            running = webhook_receiver.get()
            assert running.url("x") == "https://tunnel.example/status/200/x"
            assert webhook_receiver.get() is running
        """
    )
    pytester.makeconftest(
        'pytest_plugins = ["caldasa_conformance.plugin"]\n'
        "from caldasa_conformance.workflows.fixtures import webhook_receiver  # noqa: F401\n"
    )
    result = pytester.runpytest_inprocess(
        f"--caldasa-webhook-receiver-port={port}",
        "--caldasa-webhook-receiver-url=https://tunnel.example",
    )
    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("webhook_receiver_port", "0", 0),
        ("webhook_receiver_port", "8099", 8099),
        ("webhook_receiver_host", "127.0.0.1", "127.0.0.1"),
        ("webhook_receiver_host", "[::1]", "::1"),
        ("webhook_receiver_host", "receiver.internal", "receiver.internal"),
        ("webhook_receiver_url", "https://tunnel.example/hooks/", "https://tunnel.example/hooks"),
    ],
)
def test_receiver_options_convert(name: str, raw: str, value: object) -> None:
    assert BY_NAME[name].parse(raw) == value


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("webhook_receiver_port", "65536"),
        ("webhook_receiver_port", "-1"),
        ("webhook_receiver_host", "a host"),
        ("webhook_receiver_url", "tunnel.example"),
    ],
)
def test_receiver_options_refuse_bad_values(name: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=BY_NAME[name].flag):
        BY_NAME[name].parse(raw)

"""The target a workflow runs against: a client, the provider states and the budget.

Suites get one `Target` per test from the `workflow_target` fixture (from the plugin's configuration);
self-tests make their own. A machine receives it with its class (`WorkflowMachine.against(target)`),
because Hypothesis instantiates machines with no arguments.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from caldasa_conformance.states import StateProvider
from caldasa_conformance.workflows.receiver import LazyReceiver, ReceiverSettings


@dataclass
class Target:
    """Everything a workflow needs to talk to the target.

    Attributes:
        client: authenticated client with the target's base URL.
        states: provider-state source (testing API, manifest, or none).
        budget: `smoke`, `default` or `deep` (examples and steps of the machines).
        run_tag: put into the names of everything the workflows create.
        record_leftover: told `{"kind", "id", "reason"}` for everything cleanup could not remove.
        receiver: the webhook receiver deliveries go to (the run session's; started on first use).
    """

    client: httpx.Client
    states: StateProvider
    budget: str = "default"
    run_tag: str = "cc-local"
    record_leftover: Callable[[dict[str, str]], None] | None = None
    receiver: LazyReceiver = field(default_factory=LazyReceiver)

    @property
    def reaches_receiver(self) -> bool:
        """Whether the target can deliver to the suite's webhook receiver: it runs on this machine, or the
        receiver has a public URL (`--webhook-receiver-url`)."""
        return reaches_receiver(self.client, self.receiver.settings)

    @property
    def is_loopback(self) -> bool:
        """Whether the target runs on this machine (then it can reach a loopback webhook receiver)."""
        return is_loopback(self.client)


def reaches_receiver(client: httpx.Client, settings: ReceiverSettings) -> bool:
    """Whether `client`'s target can deliver to a webhook receiver with `settings`: it runs on this machine,
    or the receiver has a public URL (`--webhook-receiver-url`)."""
    return is_loopback(client) or settings.public_url is not None


def is_loopback(client: httpx.Client) -> bool:
    """Whether `client`'s target runs on this machine."""
    host = urlsplit(str(client.base_url)).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

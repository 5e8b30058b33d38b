"""Each legal variant changes the free choice its registry entry names; the default server keeps its own.

The default picks the open staff member with the lowest id (design §8 #30) and the first free unit by name
(#31); a variant picks another allowed one. Nothing else differs: every answer stays within the contract.
"""

from __future__ import annotations

import json
import re
import socket
import time as clock
import uuid
from collections import Counter
from datetime import datetime, time, timedelta, timezone
from typing import Any

import httpx
import pytest

from caldasa_reference.cli import main
from caldasa_reference.services import ServerConfig, Services
from caldasa_reference.variants import VARIANTS
from tests.reference.conftest import (
    TOKEN_A,
    TOKEN_B,
    ServerFactory,
    assert_problem,
    client_for,
    created,
    make_customer,
    make_location,
    make_staff,
    unique,
)
from tests.reference.test_webhooks import Receiver, receiver, subscribe, verify  # noqa: F401 (fixture)

MINUTE = timedelta(minutes=1)
BOOKINGS = 16  # quarter-hour slots 09:00-13:00: two random choices agree 16 times with p = 2**-15


def _wire(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _world(c: httpx.Client, *, units: int) -> tuple[dict[str, Any], list[str], list[str], str]:
    """A UTC location open 09-17 with two staff on shift, `units` rooms and a 15-minute service."""
    location = make_location(c, timeZone="UTC")
    entries = [{"dayOfWeek": d, "opensAt": "09:00:00", "closesAt": "17:00:00"} for d in range(7)]
    assert c.put(f"/locations/{location['id']}/business-hours", json={"entries": entries}).status_code == 200
    day = datetime.now(timezone.utc).date() + timedelta(days=3)
    staff_ids = sorted(make_staff(c, businessLocationIds=[location["id"]])["id"] for _ in range(2))
    for staff_id in staff_ids:
        shift = {
            "businessLocationId": location["id"],
            "startsAt": _wire(datetime.combine(day, time(9), timezone.utc)),
            "endsAt": _wire(datetime.combine(day, time(17), timezone.utc)),
        }
        created(c.post(f"/staff/{staff_id}/shifts", json=shift))
    room_type = created(c.post("/resource-types", json={"name": f"Room {uuid.uuid4().hex[:8]}"}))
    body = {"resourceTypeId": room_type["id"], "businessLocationId": location["id"]}
    unit_ids = [created(c.post("/resources", json={"name": f"Room {i}", **body}))["id"] for i in range(units)]
    service = {
        "name": f"Svc {uuid.uuid4().hex[:8]}",
        "durationMinutes": 15,
        "priceCents": 100,
        "businessLocationIds": [location["id"]],
        "staffMemberIds": staff_ids,
        "resourceTypeIds": [room_type["id"]],
    }
    variant_id = created(c.post("/reservables", json=service))["variants"][0]["id"]
    first = datetime.combine(day, time(9), timezone.utc)
    bookings = []
    for k in range(BOOKINGS):
        start = _wire(first + 15 * k * MINUTE)
        item = {"reservableVariantId": variant_id, "staffMemberId": None, "startsAt": start}
        body = {"businessLocationId": location["id"], "customerName": "P", "customerEmail": "p@example.com"}
        bookings.append(created(c.post("/bookings", json={**body, "items": [item]})))
    return location, staff_ids, unit_ids, ",".join(b["items"][0]["staffMemberId"] for b in bookings)


def _staff_chosen(base_url: str) -> tuple[list[str], list[str]]:
    with client_for(base_url) as c:
        _, staff_ids, _, chosen = _world(c, units=1)
    return staff_ids, chosen.split(",")


def _units_chosen(base_url: str) -> tuple[list[str], list[str]]:
    with client_for(base_url) as c:
        _, _, unit_ids, _ = _world(c, units=2)
        return unit_ids, [
            unit
            for unit in unit_ids
            for _ in c.get("/bookings", params={"resourceId": unit, "pageSize": 100}).json()["items"]
        ]


def test_default_assigns_the_lowest_open_id_and_the_first_unit_by_name(core_server: ServerFactory) -> None:
    staff_ids, chosen = _staff_chosen(core_server())
    assert set(chosen) == {staff_ids[0]}
    unit_ids, held = _units_chosen(core_server())
    assert set(held) == {unit_ids[0]}


def test_staff_highest_id_assigns_the_highest_open_id(core_server: ServerFactory) -> None:
    staff_ids, chosen = _staff_chosen(core_server(variants=("staff-highest-id",)))
    assert set(chosen) == {staff_ids[1]}


def test_staff_random_assigns_either_open_member(core_server: ServerFactory) -> None:
    staff_ids, chosen = _staff_chosen(core_server(variants=("staff-random",)))
    assert set(chosen) == set(staff_ids)


def test_unit_random_allocates_either_free_unit(core_server: ServerFactory) -> None:
    unit_ids, held = _units_chosen(core_server(variants=("unit-random",)))
    assert set(held) == set(unit_ids)
    assert len(held) == BOOKINGS  # one unit per booking, never two


def test_variants_command_lists_every_variant(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["variants"]) == 0
    listed = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [variant.name for variant in VARIANTS]


def test_unknown_variant_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--variant", "staff-lowest-nope"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "unknown variant staff-lowest-nope" in err


# Probes of the wire, body, webhook and load variants: each shows the server really answers that way, and
# (through `client_for`'s contract check) that the answer still matches the contract.


def test_uuid_v7_ids(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("uuid-v7",))) as c:
        ids = [make_customer(c)["id"] for _ in range(3)]
    assert {uuid.UUID(identifier).version for identifier in ids} == {7}
    with client_for(core_server()) as c:
        assert uuid.UUID(make_customer(c)["id"]).version == 4


def _two_staff_named_alike(c: httpx.Client) -> tuple[str, list[str], list[str]]:
    """Location staff listed by name only: two members with one name tie; the list shows how ties break."""
    location = make_location(c)
    name = unique("Twin")
    ids = sorted(make_staff(c, name=name, businessLocationIds=[location["id"]])["id"] for _ in range(2))
    listed = [m["staffMemberId"] for m in c.get(f"/locations/{location['id']}/staff").json()["items"]]
    return name, ids, listed


def test_ties_reversed_breaks_unnamed_ties_the_other_way(core_server: ServerFactory) -> None:
    with client_for(core_server()) as c:
        _, ids, listed = _two_staff_named_alike(c)
        assert listed == ids
    with client_for(core_server(variants=("ties-reversed",))) as c:
        _, ids, listed = _two_staff_named_alike(c)
        assert listed == ids[::-1]
        # A documented tiebreaker stays: staff members are `name asc, id asc` on every server.
        staff = c.get("/staff", params={"pageSize": 100}).json()["items"]
        twins = [m["id"] for m in staff if m["id"] in ids]
        assert twins == ids


def test_webhook_duplicates_post_each_message_twice(
    core_server: ServerFactory,
    receiver: Receiver,  # noqa: F811 (the fixture imported above)
) -> None:
    with client_for(core_server(variants=("webhook-duplicates",))) as c:
        hook = subscribe(c, receiver.url, "customer.created")
        before = len(receiver.received)
        customers = [make_customer(c) for _ in range(6)]
        receiver.wait_for(before + 12, timeout=5.0)
        clock.sleep(0.6)
        mine = [
            (headers["webhook-id"], verify(hook["secret"], headers, body)["data"]["id"])
            for headers, body in receiver.received[before:]
        ]
        by_message = Counter(message for message, _ in mine)
        assert set(by_message.values()) == {2}
        assert len(by_message) == 6
        deliveries = c.get(f"/webhooks/{hook['id']}/deliveries").json()["items"]
        assert len(deliveries) == 6
        assert {d["attemptCount"] for d in deliveries} == {1}
        assert {customer for _, customer in mine} == {customer["id"] for customer in customers}


def test_absolute_location(core_server: ServerFactory) -> None:
    base_url = core_server(variants=("absolute-location",))
    with client_for(base_url) as c:
        located = c.post(
            "/customers", json={"name": unique("Abs"), "email": f"{uuid.uuid4().hex}@example.com"}
        )
        assert located.headers["location"] == f"{base_url}/customers/{located.json()['id']}"


def test_json_charset(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("json-charset",))) as c:
        assert c.get("/customers").headers["content-type"] == "application/json; charset=utf-8"
        missing = c.get(f"/customers/{uuid.uuid4()}")
        assert missing.headers["content-type"] == "application/problem+json; charset=utf-8"


def test_gzip_only_when_accepted(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("gzip",))) as c:
        zipped = c.get("/customers", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert "items" in zipped.json()
        gone = c.delete(f"/locations/{make_location(c)['id']}", headers={"Accept-Encoding": "gzip"})
        assert gone.status_code == 204  # no body, not even an empty gzip stream
        assert "content-encoding" not in gone.headers
        assert c.get("/customers").status_code == 200  # the connection is still in step
        plain = c.get("/customers", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert "items" in plain.json()


def test_chunked_bodies(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("chunked",))) as c:
        response = c.get("/customers", params={"pageSize": 100})
        assert response.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in response.headers
        assert "items" in response.json()


def test_connection_close(core_server: ServerFactory) -> None:
    base_url = core_server(variants=("connection-close",))
    host, port = httpx.URL(base_url).host, httpx.URL(base_url).port
    assert port is not None
    with socket.create_connection((host, port), timeout=5) as sock:
        request = f"GET /customers HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN_A}\r\n\r\n"
        sock.sendall(request.encode())
        received = b""
        while chunk := sock.recv(65536):  # ends only when the server closes the connection
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 200")
    assert b"connection: close" in head


def test_extra_headers(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("extra-headers",))) as c:
        headers = c.get("/customers").headers
        for name in (
            "x-request-id",
            "cache-control",
            "ratelimit-limit",
            "ratelimit-remaining",
            "ratelimit-reset",
        ):
            assert name in headers


def test_problem_extensions(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("problem-extensions",))) as c:
        missing = f"/customers/{str(uuid.uuid4()).upper()}"
        body = assert_problem(c.get(missing), 404, "not_found")
        assert body["instance"] == missing  # as sent, not normalised
        assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-00", body["traceId"])
        assert body["method"] == "GET"


def test_extra_properties(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("extra-properties",))) as c:
        customer = make_customer(c)
        assert customer["serverRegion"]
        page = c.get("/customers").json()
        assert page["serverRegion"]
        assert all(item["serverRegion"] for item in page["items"])


def test_json_pretty(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("json-pretty",))) as c:
        text = c.get("/customers").text
    assert text.startswith('{\n  "items": [')
    assert json.loads(text)["pageSize"] == 25


def test_latency(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("latency",))) as c:
        started = clock.monotonic()
        for _ in range(3):
            assert c.get("/customers").status_code == 200
        assert clock.monotonic() - started >= 3 * 0.04


def test_latency_option() -> None:
    config = ServerConfig(latency_ms=5, variants=frozenset({"latency"}))
    assert Services(config).latency_seconds == 0.005  # the option chooses the delay
    assert main(["serve", "--latency", "-1"]) == 2


def test_rate_limit_answers_429_with_retry_after(core_server: ServerFactory) -> None:
    with client_for(core_server(variants=("rate-limit",))) as c:
        answers = [c.get("/customers") for _ in range(80)]
    limited = [r for r in answers if r.status_code == 429]
    assert limited
    assert all(int(r.headers["retry-after"]) >= 1 for r in limited)
    assert_problem(limited[0], 429)


def test_large_tenant_holds_5000_customers_and_3000_bookings(core_server: ServerFactory) -> None:
    base_url = core_server(variants=("large-tenant",))
    with client_for(base_url) as c:
        assert c.get("/customers", params={"pageSize": 1}).json()["totalCount"] >= 5_000
        assert c.get("/bookings", params={"pageSize": 1}).json()["totalCount"] >= 3_000
    with client_for(base_url, TOKEN_B) as other:  # only the first tenant
        assert other.get("/customers", params={"pageSize": 1}).json()["totalCount"] < 5_000

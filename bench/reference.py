"""Reference-server benchmark (issue 3 "Performance"): `python bench/reference.py [--json FILE]`.

On a tenant holding 10,000 bookings (20 staff, 15-minute services) it measures, against a reference server
in its own process on a loopback port:
- ``POST /bookings``: median server-side time (``Server-Timing`` added by bench/instrumented_server.py) and
  median round trip seen by an httpx client; target: median <= 5 ms;
- ``GET /availability`` for one day and 20 staff: median server-side time; target <= 20 ms;
- ``GET /bookings/{id}`` throughput under wrk (Debian package ``wrk``); target >= 1,500 req/s.

All data goes in through the public API over HTTP (four keep-alive connections for the 10,000 bookings);
nothing imports the store. The bearer token is a fresh random value given to the server and to wrk through
the environment, never argv.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RunningServer, Stopwatch, instrumented_server, machine, median_ms, percentile_ms

BERLIN = ZoneInfo("Europe/Berlin")
STAFF = 20
SLOT = timedelta(minutes=15)
SEEDED_DAYS = 25
SEEDED_SLOTS_PER_DAY = 20  # 08:00-13:00 on every seeded day: 20 staff x 25 days x 20 slots = 10,000 bookings
CUSTOMERS = 1000  # bookings cycle over this many customer e-mails (regulars, as in a real salon)
TARGETS = {"create_booking_median_ms": 5.0, "availability_median_ms": 20.0, "get_booking_rps": 1500.0}
WRK_SCRIPT = """
local token = os.getenv("CALDASA_BENCH_TOKEN")
local ids = {}
for line in io.lines(os.getenv("CALDASA_BENCH_IDS")) do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  local path = "/bookings/" .. ids[(n % #ids) + 1]
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
local non2xx = 0
response = function(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end
"""


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def expect(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: {response.status_code}")
    return response.json() if response.content else None


def server_ms(response: httpx.Response) -> float:
    match = re.search(r"dur=([0-9.]+)", response.headers.get("server-timing", ""))
    if match is None:
        raise RuntimeError("the response carries no Server-Timing header (not the instrumented server?)")
    return float(match.group(1)) / 1000  # seconds, like the client-side samples


@dataclass
class Salon:
    location_id: str
    variant_id: str
    staff_ids: list[str]
    first_day: date

    def slot(self, day_offset: int, slot_index: int) -> datetime:
        day = self.first_day + timedelta(days=day_offset)
        return datetime.combine(day, datetime.min.time(), BERLIN) + timedelta(hours=8) + slot_index * SLOT

    def booking_body(self, staff_id: str, start: datetime, customer: int) -> dict[str, Any]:
        return {
            "businessLocationId": self.location_id,
            "customerName": f"Bench Customer {customer}",
            "customerEmail": f"bench-{customer}@example.com",
            "items": [
                {
                    "reservableVariantId": self.variant_id,
                    "staffMemberId": staff_id,
                    "startsAt": utc_iso(start),
                }
            ],
        }


def build_salon(client: httpx.Client, days: int) -> Salon:
    """One location open 08:00-18:00 daily, 20 staff with a shift every day, one 15-minute service."""
    first_day = datetime.now(BERLIN).date() + timedelta(days=2)
    location = expect(client.post("/locations", json={"name": "Bench", "timeZone": "Europe/Berlin"}), 201)[
        "id"
    ]
    hours = [{"dayOfWeek": d, "opensAt": "08:00:00", "closesAt": "18:00:00"} for d in range(7)]
    expect(client.put(f"/locations/{location}/business-hours", json={"entries": hours}), 200)
    staff_ids = []
    for index in range(STAFF):
        member = expect(
            client.post("/staff", json={"name": f"Stylist {index}", "businessLocationIds": [location]}), 201
        )
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            opens = datetime.combine(day, datetime.min.time(), BERLIN) + timedelta(hours=8)
            shift = {
                "businessLocationId": location,
                "startsAt": utc_iso(opens),
                "endsAt": utc_iso(opens + timedelta(hours=10)),
            }
            expect(client.post(f"/staff/{member['id']}/shifts", json=shift), 201)
        staff_ids.append(member["id"])
    reservable = {
        "name": "Quick trim",
        "durationMinutes": 15,
        "priceCents": 1500,
        "businessLocationIds": [location],
        "staffMemberIds": staff_ids,
    }
    variant = expect(client.post("/reservables", json=reservable), 201)["variants"][0]["id"]
    return Salon(location, variant, staff_ids, first_day)


def seed_bookings(
    server: RunningServer, headers: dict[str, str], salon: Salon, connections: int = 4
) -> list[str]:
    """10,000 bookings over HTTP; each connection books its own staff members, so none ever conflicts."""

    def book_for(staff_ids: list[str]) -> list[str]:
        ids: list[str] = []
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
            for offset in range(SEEDED_DAYS):
                for slot_index in range(SEEDED_SLOTS_PER_DAY):
                    for staff_id in staff_ids:
                        customer = len(ids) % CUSTOMERS
                        body = salon.booking_body(staff_id, salon.slot(offset, slot_index), customer)
                        ids.append(expect(client.post("/bookings", json=body), 201)["id"])
        return ids

    groups = [salon.staff_ids[i::connections] for i in range(connections)]
    with ThreadPoolExecutor(connections) as pool:
        return [booking_id for ids in pool.map(book_for, groups) for booking_id in ids]


def measure_create_booking(client: httpx.Client, salon: Salon, samples: int) -> dict[str, Any]:
    """Sequential bookings into the free afternoons while the tenant already holds 10,000 bookings."""
    server_side, round_trip = [], []
    free_slots = [
        (offset, slot_index, staff_id)
        for offset in range(SEEDED_DAYS)
        for slot_index in range(SEEDED_SLOTS_PER_DAY, 40)
        for staff_id in salon.staff_ids
    ]
    for count, (offset, slot_index, staff_id) in enumerate(free_slots[:samples]):
        body = salon.booking_body(staff_id, salon.slot(offset, slot_index), count % CUSTOMERS)
        began = time.perf_counter()
        response = client.post("/bookings", json=body)
        round_trip.append(time.perf_counter() - began)
        expect(response, 201)
        server_side.append(server_ms(response))
    return summary_of(server_side, round_trip)


def measure_availability(client: httpx.Client, salon: Salon, day_offset: int, samples: int) -> dict[str, Any]:
    query = {
        "reservableVariantId": salon.variant_id,
        "businessLocationId": salon.location_id,
        "date": (salon.first_day + timedelta(days=day_offset)).isoformat(),
    }
    server_side, round_trip, slots = [], [], 0
    for _ in range(samples):
        began = time.perf_counter()
        response = client.get("/availability", params=query)
        round_trip.append(time.perf_counter() - began)
        slots = len(expect(response, 200)["slots"])
        server_side.append(server_ms(response))
    return {**summary_of(server_side, round_trip), "slots_returned": slots}


def summary_of(server_side: list[float], round_trip: list[float]) -> dict[str, Any]:
    return {
        "samples": len(server_side),
        "server_median_ms": median_ms(server_side),
        "server_p90_ms": percentile_ms(server_side, 0.9),
        "round_trip_median_ms": median_ms(round_trip),
        "round_trip_p90_ms": percentile_ms(round_trip, 0.9),
    }


def run_wrk(url: str, path_ids: list[str], token: str, seconds: int, connections: int) -> dict[str, Any]:
    """``GET /bookings/{id}`` (rotating over ``path_ids``) under wrk; skipped with a reason without wrk."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"skipped": "wrk is not installed (Debian: apt-get install -y wrk); throughput not measured"}
    with tempfile.TemporaryDirectory(prefix="caldasa-wrk-") as scratch:
        script, ids = Path(scratch, "get_booking.lua"), Path(scratch, "ids.txt")
        script.write_text(WRK_SCRIPT)
        ids.write_text("\n".join(path_ids) + "\n")
        env = {**os.environ, "CALDASA_BENCH_TOKEN": token, "CALDASA_BENCH_IDS": str(ids)}
        command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
        output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60).stdout
    return parse_wrk(output) | {"threads": 2, "connections": connections, "seconds": seconds}


def parse_wrk(output: str) -> dict[str, Any]:
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    p50 = re.search(r"50%\s+([0-9.]+)(us|ms|s)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "requests_per_s": float(rps.group(1)) if rps else None,
        "requests": int(total.group(1)) if total else None,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "latency_p50_ms": round(float(p50.group(1)) * scale[p50.group(2)], 3) if p50 else None,
        "socket_errors": errors.group(1).strip() if errors else None,
    }


def verdicts(figures: dict[str, Any]) -> dict[str, Any]:
    wrk_rps = figures["get_booking_wrk"].get("requests_per_s")
    measured = {
        "create_booking_median_ms": figures["create_booking"]["server_median_ms"],
        "availability_median_ms": figures["availability_partly_booked_day"]["server_median_ms"],
        "get_booking_rps": wrk_rps,
    }
    return {
        name: {
            "target": target,
            "measured": measured[name],
            "met": None
            if measured[name] is None
            else (measured[name] >= target if name.endswith("rps") else measured[name] <= target),
        }
        for name, target in TARGETS.items()
    }


def run(samples: int = 300, wrk_seconds: int = 10, wrk_connections: int = 32) -> dict[str, Any]:
    token = secrets.token_urlsafe(24)
    headers = {"Authorization": f"Bearer {token}"}
    figures: dict[str, Any] = {"machine": machine()}
    with instrumented_server({token: "Bench Salon"}) as server:
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
            watch = Stopwatch()
            salon = build_salon(client, SEEDED_DAYS + 1)
            figures["setup_s"] = watch.seconds()
            watch = Stopwatch()
            booking_ids = seed_bookings(server, headers, salon)
            figures["seed"] = {
                "bookings": len(booking_ids),
                "seconds": watch.seconds(),
                "via": "HTTP, 4 connections",
            }
            figures["create_booking"] = measure_create_booking(client, salon, samples)
            figures["availability_partly_booked_day"] = measure_availability(client, salon, 3, 100)
            figures["availability_open_day"] = measure_availability(client, salon, SEEDED_DAYS, 100)
        figures["get_booking_wrk"] = run_wrk(
            server.url, booking_ids[::50], token, wrk_seconds, wrk_connections
        )
        figures["server_requests_counted"] = server.requests_seen()
    figures["verdicts"] = verdicts(figures)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--samples", type=int, default=300, help="timed POST /bookings calls")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=32)
    args = parser.parse_args(argv)
    figures = run(args.samples, args.wrk_seconds, args.wrk_connections)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    return 0 if all(v["met"] is not False for v in figures["verdicts"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Faults of the transport rather than of the API: a sick target as a proxy or gateway makes it.

Each is a switch of the fault registry, applied to the rendered response of an API operation (never to the
testing API): `hang-every-n` (every 7th availability query answers only after the client's timeout, at
most 3 times, so a run stays short), `truncate-every-n` (every 15th JSON body is cut in half) and
`gateway-page-every-n` (every 20th answer is a gateway's HTML 502 page).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

from starlette.responses import HTMLResponse, Response

HANG_SECONDS = 11.0  # longer than the suite's default timeout of 10 s
MAX_HANGS = 3
GATEWAY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


class Unwell:
    """Counts the API's answers and spoils the ones the switched-on faults name."""

    def __init__(self, fault: Callable[[str], bool]) -> None:
        self.fault = fault
        self.answers = itertools.count(1)
        self.availability = itertools.count(1)
        self.hangs = 0

    async def spoil(self, response: Response, operation_id: str) -> Response:
        if not operation_id:
            return response
        serial = next(self.answers)
        if self.fault("gateway-page-every-n") and serial % 20 == 0:
            return HTMLResponse(GATEWAY_PAGE, status_code=502)
        if self.fault("truncate-every-n") and serial % 15 == 0:
            return _cut_in_half(response)
        if operation_id == "listAvailabilitySlots" and self.fault("hang-every-n") and self._hang_now():
            await asyncio.sleep(HANG_SECONDS)
        return response

    def _hang_now(self) -> bool:
        if next(self.availability) % 7 != 0 or self.hangs >= MAX_HANGS:
            return False
        self.hangs += 1
        return True


def _cut_in_half(response: Response) -> Response:
    """The answer with its JSON body cut in half, Content-Length consistent: valid HTTP, broken JSON."""
    body = bytes(response.body)
    if not body or not (response.media_type or "").endswith("json"):
        return response
    dropped = ("content-length", "content-type")
    headers = {k: v for k, v in response.headers.items() if k.lower() not in dropped}
    return Response(body[: len(body) // 2], response.status_code, headers, response.media_type)

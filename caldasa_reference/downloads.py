"""Signed-form PDF downloads (§3.6, §8 #55; K5): the time-limited URLs and the endpoint that serves them.

Outside the public contract, like the testing API. A URL is on the server's own origin, carries an expiry and
an HMAC over (tenant, form, expiry) keyed by a per-process random key, and works without ``Authorization``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from caldasa_reference.routing import Reply, RequestContext, problem
from caldasa_reference.store import Record

if TYPE_CHECKING:
    from caldasa_reference.services import Services

DOWNLOAD_PREFIX = "/_files/signed-forms/"


def _signature(key: bytes, tenant_id: str, form_id: str, expires: int) -> str:
    return hmac.new(key, f"{tenant_id}/{form_id}/{expires}".encode(), hashlib.sha256).hexdigest()


def download_url(ctx: RequestContext, form: Record, expires_at: dt.datetime) -> str:
    expires = int(expires_at.timestamp())
    query = urlencode(
        {
            "expires": expires,
            "signature": _signature(ctx.services.url_key, ctx.tenant.id, form["id"], expires),
        }
    )
    return f"{ctx.base_url}{DOWNLOAD_PREFIX}{ctx.tenant.id}/{form['id']}?{query}"


def serve_download(services: Services, path: str, query: dict[str, str]) -> Reply:
    """``GET /_files/signed-forms/{tenantId}/{formId}?expires=&signature=`` (no bearer needed)."""
    parts = path[len(DOWNLOAD_PREFIX) :].split("/")
    denied = problem(403, "invalid_signature", "The download link is invalid or has expired.")
    if len(parts) != 2 or not query.get("expires", "").isdigit():
        return denied
    tenant_id, form_id = parts
    expires = int(query["expires"])
    expected = _signature(services.url_key, tenant_id, form_id, expires)
    if not hmac.compare_digest(expected, query.get("signature", "")):
        return denied
    if services.clock.now().timestamp() >= expires:
        return denied
    tenant = services.tenant_by_id(tenant_id)
    form = tenant.signed_forms.get(form_id) if tenant else None
    if form is None:
        return problem(404, "not_found", "The signed form no longer exists.")
    headers = {"Cache-Control": "no-store", "Content-Disposition": f'inline; filename="{form["id"]}.pdf"'}
    return Reply(200, headers=headers, media_type="application/pdf", raw=render_pdf(form))


def render_pdf(form: Record) -> bytes:
    """A tiny but valid one-page PDF naming the form and the signer."""
    text = (
        f"{form['formTemplateName']} - signed by {form.get('signerName') or 'unknown'} at {form['signedAt']}"
    )
    safe = (
        text.encode("latin-1", "replace")
        .decode("latin-1")
        .replace("\\", "\\\\")
        .replace("(", "\\(")
        .replace(")", "\\)")
    )
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)

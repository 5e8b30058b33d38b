"""Form templates, signed forms and their time-limited PDF download URLs (§3.6, §8 #55; K5).

The download URL is on the server's own origin, carries an expiry and an HMAC over (tenant, form, expiry)
keyed by a per-process random key, and works without ``Authorization``. Its provider states live here too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from caldasa_reference.handlers._common import require
from caldasa_reference.lists import as_list, plain
from caldasa_reference.routing import (
    ProblemError,
    Reply,
    RequestContext,
    operation,
    param_error,
    problem,
    provider_state,
)
from caldasa_reference.store import Record, TenantStore, add_activity, iso, new_id, ordered, public

if TYPE_CHECKING:
    from caldasa_reference.services import Services

DOWNLOAD_PREFIX = "/_files/signed-forms/"

TEMPLATE_SPECS: dict[str, tuple[str, str, list[tuple[str, str, bool, list[str] | None]]]] = {
    "Waiver": (
        "Liability waiver",
        "Release of liability signed before a treatment.",
        [
            ("I have read and accept the terms.", "Checkbox", True, None),
            ("Signature", "Signature", True, None),
        ],
    ),
    "Intake": (
        "Intake questionnaire",
        "Health and preference questions before the first visit.",
        [
            ("Date of birth", "Date", True, None),
            ("Known allergies", "TextArea", False, None),
            ("Preferred contact", "Select", False, ["Email", "Phone"]),
        ],
    ),
}


# --- form templates --------------------------------------------------------------------------------------


def ensure_templates(tenant: TenantStore) -> dict[str, str]:
    """Create the waiver and intake templates once per tenant; returns {kind: templateId}."""
    existing = {
        t["kind"]: t["id"]
        for t in tenant.form_templates.values()
        if t["name"] == TEMPLATE_SPECS[t["kind"]][0]
    }
    for kind, (name, description, fields) in TEMPLATE_SPECS.items():
        if kind in existing:
            continue
        template: Record = {
            "id": new_id(),
            "name": name,
            "kind": kind,
            "description": description,
            "version": 1,
            "isActive": True,
            "fields": [
                {
                    "id": new_id(),
                    "label": label,
                    "type": field_type,
                    "required": required,
                    "options": options,
                    "helpText": None,
                    "order": index,
                }
                for index, (label, field_type, required, options) in enumerate(fields, start=1)
            ],
            "createdAt": tenant.now_iso(),
            "updatedAt": None,
        }
        tenant.form_templates[template["id"]] = template
        existing[kind] = template["id"]
    return existing


@operation("listFormTemplates")
def list_form_templates(ctx: RequestContext) -> Reply:
    kinds = as_list(ctx.query.get("kind"))
    records = [t for t in ctx.tenant.form_templates.values() if not kinds or t["kind"] in kinds]
    return ctx.ok(plain(ordered(records, "name")))


@operation("getFormTemplate")
def get_form_template(ctx: RequestContext) -> Reply:
    return ctx.ok(public(require(ctx.tenant.form_templates, ctx.path["formTemplateId"], "form template")))


# --- signed forms ------------------------------------------------------------------------------------------


def _booking_and_form(
    ctx: RequestContext, booking_id: str, form_id: str | None
) -> tuple[Record, Record | None]:
    booking = require(ctx.tenant.bookings, booking_id, "booking")
    if form_id is None:
        return booking, None
    form = ctx.tenant.signed_forms.get(form_id)
    if form is None or form["bookingId"] != booking["id"]:
        raise ProblemError(ctx.not_found("signed form"))
    return booking, form


@operation("listSignedForms")
def list_signed_forms(ctx: RequestContext) -> Reply:
    booking, _ = _booking_and_form(ctx, ctx.path["bookingId"], None)
    forms = [f for f in ctx.tenant.signed_forms.values() if f["bookingId"] == booking["id"]]
    return ctx.ok(plain(ordered(forms, "signedAt", descending=True)))


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


def download_dto(ctx: RequestContext, form: Record, expires_at: dt.datetime) -> Record:
    return {
        "signedFormId": form["id"],
        "url": download_url(ctx, form, expires_at),
        "expiresAt": iso(expires_at),
        "fileName": f"{form['kind'].lower()}-{form['id'][:8]}.pdf",
        "contentType": "application/pdf",
    }


@operation("getSignedFormDownloadUrl")
def get_signed_form_download_url(ctx: RequestContext) -> Reply:
    _, form = _booking_and_form(ctx, ctx.path["bookingId"], ctx.path["signedFormId"])
    assert form is not None
    # Whole seconds: the URL carries a unix-second expiry, so expiresAt must not claim more.
    expires_at = (ctx.tenant.now() + dt.timedelta(seconds=ctx.services.config.download_ttl_seconds)).replace(
        microsecond=0
    )
    return ctx.ok(download_dto(ctx, form, expires_at), headers={"Cache-Control": "no-store"})


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


# --- provider states ---


@provider_state("form-templates")
def form_templates_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    ids = ensure_templates(ctx.tenant)
    return {"waiverTemplateId": ids["Waiver"], "intakeTemplateId": ids["Intake"]}


def _param_booking(ctx: RequestContext, params: dict[str, Any], required: bool = True) -> Record | None:
    booking_id = params.get("bookingId")
    if booking_id is None and not required:
        return None
    if not isinstance(booking_id, str):
        raise param_error("bookingId", "A bookingId is required.")
    booking = ctx.tenant.bookings.get(booking_id.lower())
    if booking is None:
        raise param_error("bookingId", "No booking with this id in this tenant.")
    return booking


@provider_state("signed-form")
def signed_form_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    booking = _param_booking(ctx, params)
    assert booking is not None
    kind = params.get("kind", "Waiver")
    if kind not in TEMPLATE_SPECS:
        raise param_error("kind", "kind must be Waiver or Intake.")
    template = ctx.tenant.form_templates[ensure_templates(ctx.tenant)[kind]]
    signer = params.get("signerName") or booking.get("customerName")
    form: Record = {
        "id": new_id(),
        "bookingId": booking["id"],
        "customerId": booking.get("customerId"),
        "formTemplateId": template["id"],
        "formTemplateName": template["name"],
        "kind": kind,
        "signerName": signer,
        "signedAt": ctx.tenant.now_iso(),
    }
    ctx.tenant.signed_forms[form["id"]] = form
    if booking.get("customerId"):
        add_activity(
            ctx.tenant,
            booking["customerId"],
            "FormSigned",
            f"{template['name']} signed",
            bookingId=booking["id"],
        )
    return {
        "signedFormId": form["id"],
        "formTemplateId": template["id"],
        "bookingId": booking["id"],
        "customerId": booking.get("customerId"),
    }


@provider_state("expired-download-url")
def expired_download_url_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    booking = _param_booking(ctx, params)
    assert booking is not None
    form_id = params.get("signedFormId")
    form = ctx.tenant.signed_forms.get(form_id.lower()) if isinstance(form_id, str) else None
    if form is None or form["bookingId"] != booking["id"]:
        raise param_error("signedFormId", "No signed form of this booking has this id.")
    expires_at = (ctx.tenant.now() - dt.timedelta(minutes=1)).replace(microsecond=0)
    return {"url": download_url(ctx, form, expires_at), "expiresAt": iso(expires_at)}

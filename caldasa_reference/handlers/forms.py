"""Form templates, signed forms and their time-limited PDF download URLs (§3.6, §8 #55; K5).

The URLs are signed and served by `caldasa_reference.downloads`. The provider states of forms live here too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from caldasa_reference.downloads import download_url
from caldasa_reference.handlers._common import require
from caldasa_reference.lists import as_list, ordered_open_ties, plain
from caldasa_reference.routing import (
    ProblemError,
    Reply,
    RequestContext,
    operation,
    param_error,
    provider_state,
)
from caldasa_reference.store import Record, TenantStore, add_activity, iso, new_id, ordered, public

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
    return ctx.ok(plain(ordered_open_ties(ctx, forms, "signedAt", descending=True)))


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


# --- provider states ---


@provider_state("form-templates")
def form_templates_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    ids = ensure_templates(ctx.tenant)
    return {"waiverTemplateId": ids["Waiver"], "intakeTemplateId": ids["Intake"]}


def _param_booking(ctx: RequestContext, params: dict[str, Any]) -> Record:
    booking_id = params.get("bookingId")
    if not isinstance(booking_id, str):
        raise param_error("bookingId", "A bookingId is required.")
    booking = ctx.tenant.bookings.get(booking_id.lower())
    if booking is None:
        raise param_error("bookingId", "No booking with this id in this tenant.")
    return booking


@provider_state("signed-form")
def signed_form_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    booking = _param_booking(ctx, params)
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
    form_id = params.get("signedFormId")
    form = ctx.tenant.signed_forms.get(form_id.lower()) if isinstance(form_id, str) else None
    if form is None or form["bookingId"] != booking["id"]:
        raise param_error("signedFormId", "No signed form of this booking has this id.")
    expires_at = (ctx.tenant.now() - dt.timedelta(minutes=1)).replace(microsecond=0)
    return {"url": download_url(ctx, form, expires_at), "expiresAt": iso(expires_at)}

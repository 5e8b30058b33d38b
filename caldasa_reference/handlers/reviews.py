"""Reviews and their moderation (§3.11; §8 #52; K6). Reviews come only from the ``pending-review`` state."""

from __future__ import annotations

from typing import Any

from caldasa_reference.handlers._common import require
from caldasa_reference.lists import matches, paginate
from caldasa_reference.routing import Reply, RequestContext, operation, param_error, provider_state
from caldasa_reference.store import (
    Record,
    add_activity,
    create_customer,
    emit_event,
    new_id,
    ordered,
    public,
)


@operation("listReviews")
def list_reviews(ctx: RequestContext) -> Reply:
    q = ctx.query
    location_id = q["businessLocationId"].lower() if q.get("businessLocationId") else None
    staff_id = q["staffMemberId"].lower() if q.get("staffMemberId") else None
    records = [
        r
        for r in ctx.tenant.reviews.values()
        if matches(r["status"], q.get("status"))
        and (q.get("minRating") is None or r["rating"] >= q["minRating"])
        and (q.get("maxRating") is None or r["rating"] <= q["maxRating"])
        and (location_id is None or r["businessLocationId"] == location_id)
        and (staff_id is None or r["staffMemberId"] == staff_id)
    ]
    return ctx.ok(paginate(ctx, ordered(records, "createdAt", descending=True)))


@operation("moderateReview")
def moderate_review(ctx: RequestContext) -> Reply:
    review = require(ctx.tenant.reviews, ctx.path["reviewId"], "review")
    review["status"] = ctx.body["status"]
    review["moderationReason"] = ctx.body.get("reason")
    # The fault forgets the timestamp in the stored review, so every later read lacks it too.
    review["moderatedAt"] = None if ctx.fault("moderation-without-timestamp") else ctx.tenant.now_iso()
    emit_event(ctx.tenant, "review.moderated", public(review))
    return ctx.ok(public(review))


@provider_state("pending-review")
def pending_review_state(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    rating = params.get("rating", 4)
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise param_error("rating", "rating must be an integer from 1 to 5.")
    comment = params.get("comment", "Lovely visit.")
    if comment is not None and not isinstance(comment, str):
        raise param_error("comment", "comment must be a string.")
    booking = _booking_param(ctx, params)
    if booking is not None:
        customer_id = booking.get("customerId")
        staff_id = next((i.get("staffMemberId") for i in booking["items"] if i.get("staffMemberId")), None)
        location_id = booking.get("businessLocationId")
    else:
        customer_id = create_customer(
            ctx.tenant, name="Review Author", email=f"review-{new_id()}@example.com"
        )["id"]
        staff_id = location_id = None
    customer: Record | None = ctx.tenant.customers.get(customer_id) if customer_id else None
    review: Record = {
        "id": new_id(),
        "rating": rating,
        "comment": comment,
        "status": "Pending",
        "customerId": customer_id,
        "customerName": customer["name"] if customer else None,
        "bookingId": booking["id"] if booking else None,
        "staffMemberId": staff_id,
        "businessLocationId": location_id,
        "moderationReason": None,
        "moderatedAt": None,
        "createdAt": ctx.tenant.now_iso(),
    }
    ctx.tenant.reviews[review["id"]] = review
    if customer_id:
        add_activity(
            ctx.tenant,
            customer_id,
            "ReviewSubmitted",
            f"Review ({rating}/5) submitted",
            reviewId=review["id"],
        )
    emit_event(ctx.tenant, "review.created", public(review))
    return {
        "reviewId": review["id"],
        "customerId": customer_id,
        "bookingId": review["bookingId"],
        "staffMemberId": staff_id,
        "businessLocationId": location_id,
    }


def _booking_param(ctx: RequestContext, params: dict[str, Any]) -> Record | None:
    booking_id = params.get("bookingId")
    if booking_id is None:
        return None
    booking = ctx.tenant.bookings.get(booking_id.lower()) if isinstance(booking_id, str) else None
    if booking is None:
        raise param_error("bookingId", "No booking with this id in this tenant.")
    return booking

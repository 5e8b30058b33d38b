"""Component schemas of forms, locations, orders and reservables (design §3.6–§3.9 as amended by §8)."""

from __future__ import annotations

from .dsl import (
    COUNTRY_PATTERN,
    CURRENCY_PATTERN,
    ID_LIST_MAX,
    Schema,
    array,
    boolean,
    cents_input,
    date_time,
    dto,
    email_input,
    enum,
    int32,
    int64,
    local_time,
    paged,
    plain,
    ref,
    request,
    string,
    uuid,
    uuid_list,
)
from .values import (
    FORM_FIELD_TYPES,
    FORM_KINDS,
    LINE_ITEM_KINDS,
    ORDER_SOURCES,
    ORDER_STATUSES,
    TICKET_STATUSES,
)


def form_schemas() -> dict[str, Schema]:
    return {
        "PublicFormTemplateDto": dto(
            "A waiver or intake form template.",
            {
                "id": uuid(),
                "name": string(),
                "kind": enum(*FORM_KINDS),
                "description": string(),
                "version": int32(1),
                "isActive": boolean(),
                "fields": array(ref("PublicFormTemplateFieldDto")),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "description updatedAt",
        ),
        "PublicFormTemplateFieldDto": dto(
            "One question of a form template.",
            {
                "id": uuid(),
                "label": string(),
                "type": enum(*FORM_FIELD_TYPES),
                "required": boolean(),
                "options": array(
                    string(), description="Choices; non-empty iff `type` is Select or MultiSelect."
                ),
                "helpText": string(),
                "order": int32(),
            },
            "options helpText",
        ),
        "PublicFormTemplateListResponse": plain(
            "PublicFormTemplateDto", "Form templates, `name asc, id asc`."
        ),
    }


def _address_input() -> dict[str, Schema]:
    return {
        "addressLine1": string(1, 200),
        "addressLine2": string(1, 200),
        "city": string(1, 100),
        "region": string(1, 100),
        "postalCode": string(1, 20),
        "country": string(2, 2, pattern=COUNTRY_PATTERN, description="ISO 3166-1 alpha-2."),
    }


def location_schemas() -> dict[str, Schema]:
    details = {
        "name": string(1, 200),
        "timeZone": string(1, 64, description="IANA time zone id, e.g. `Europe/Berlin`."),
        "phone": string(1, 32),
        "email": email_input(),
    }
    hours_entry = {
        "dayOfWeek": int32(0, 6, "0 = Sunday … 6 = Saturday."),
        "opensAt": local_time("Local time `HH:mm:ss`."),
        "closesAt": local_time("Local time `HH:mm:ss`, after `opensAt`."),
    }
    return {
        "PublicBusinessLocationDto": dto(
            "A business location.",
            {
                "id": uuid(),
                "name": string(),
                "timeZone": string(),
                "phone": string(),
                "email": string(),
                "addressLine1": string(),
                "addressLine2": string(),
                "city": string(),
                "region": string(),
                "postalCode": string(),
                "country": string(pattern=COUNTRY_PATTERN),
                "isActive": boolean(),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "phone email addressLine1 addressLine2 city region postalCode country updatedAt",
        ),
        "CreatePublicBusinessLocationRequest": request(
            "A new location.", {**details, **_address_input()}, "name timeZone"
        ),
        "UpdatePublicBusinessLocationDetailsRequest": request(
            "Partial update of the details (not the address); omitted or null fields are left unchanged.",
            {**details, "isActive": boolean()},
        ),
        "UpdatePublicBusinessLocationAddressRequest": request(
            "Partial update of the address; omitted or null fields are left unchanged.", _address_input()
        ),
        "PublicBusinessLocationListResponse": paged(
            "PublicBusinessLocationDto", "Locations, `name asc, id asc`."
        ),
        "PublicBusinessHourDto": dto("One opening interval of a weekday (local time).", hours_entry),
        "PublicBusinessHourListResponse": dto(
            "The weekly business hours of a location, sorted by `dayOfWeek`, `opensAt`.",
            {
                "businessLocationId": uuid(),
                "timeZone": string(),
                "items": array(ref("PublicBusinessHourDto")),
            },
        ),
        "UpdatePublicBusinessHoursRequest": request(
            "The complete new weekly schedule; `[]` closes the location all week.",
            {"entries": array(ref("UpdatePublicBusinessHourEntry"), 0, 28)},
            "entries",
        ),
        "UpdatePublicBusinessHourEntry": request(
            "One opening interval.", hours_entry, "dayOfWeek opensAt closesAt"
        ),
        "PublicBusinessLocationStaffDto": dto(
            "A staff member assigned to a location.",
            {
                "staffMemberId": uuid(),
                "name": string(),
                "email": string(),
                "isBookable": boolean(),
                "assignedAt": date_time(),
            },
            "email assignedAt",
        ),
        "PublicBusinessLocationStaffListResponse": plain(
            "PublicBusinessLocationStaffDto", "Staff of a location, `name asc, staffMemberId asc`."
        ),
    }


def _order_fields() -> dict[str, Schema]:
    return {
        "id": uuid(),
        "publicId": string(),
        "status": enum(*ORDER_STATUSES),
        "source": enum(*ORDER_SOURCES),
        "customerId": uuid(),
        "customerName": string(),
        "customerEmail": string(),
        "bookingId": uuid(),
        "eventId": uuid(),
        "subtotalCents": int64(0),
        "discountCents": int64(0),
        "taxCents": int64(0),
        "totalCents": int64(0),
        "paidCents": int64(0),
        "refundedCents": int64(0),
        "currency": string(pattern=CURRENCY_PATTERN),
        "createdAt": date_time(),
        "paidAt": date_time(),
    }


_ORDER_NULLABLE = "customerId customerName customerEmail bookingId eventId paidAt"


def order_schemas() -> dict[str, Schema]:
    return {
        "PublicOrderDto": dto(
            "A commerce order (booking deposit or ticket purchase).", _order_fields(), _ORDER_NULLABLE
        ),
        "PublicOrderDetailDto": dto(
            "An order with its line items and tickets.",
            {
                **_order_fields(),
                "lineItems": array(ref("PublicOrderLineItemDto"), 1),
                "tickets": array(ref("PublicOrderTicketDto")),
            },
            _ORDER_NULLABLE,
        ),
        "PublicOrderLineItemDto": dto(
            "One line of an order.",
            {
                "id": uuid(),
                "kind": enum(*LINE_ITEM_KINDS),
                "description": string(),
                "quantity": int32(1),
                "unitPriceCents": int64(0),
                "totalCents": int64(0),
                "bookingItemId": uuid(),
                "ticketTypeId": uuid(),
            },
            "bookingItemId ticketTypeId",
        ),
        "PublicOrderTicketDto": dto(
            "A ticket of an order.",
            {
                "id": uuid(),
                "eventId": uuid(),
                "ticketTypeId": uuid(),
                "ticketTypeName": string(),
                "attendeeName": string(),
                "code": string(),
                "status": enum(*TICKET_STATUSES),
                "redeemedAt": date_time(),
            },
            "attendeeName redeemedAt",
        ),
        "PublicOrderListResponse": paged("PublicOrderDto", "Orders, `createdAt desc, id desc`."),
    }


def reservable_schemas() -> dict[str, Schema]:
    requirement_ids = array(uuid(), 0, ID_LIST_MAX, description="Repeat an id to require several units.")
    create_fields = {
        "name": string(1, 200),
        "description": string(0, 5000),
        "durationMinutes": int32(5, 1440, "Duration of the default variant."),
        "priceCents": cents_input("Price of the default variant."),
        "requiresStaff": boolean(default=True),
        "businessLocationIds": uuid_list(1),
        "staffMemberIds": uuid_list(),
        "resourceTypeIds": requirement_ids,
    }
    update_fields = {
        "name": string(1, 200),
        "description": string(0, 5000),
        "isActive": boolean(),
        "requiresStaff": boolean(),
        "businessLocationIds": uuid_list(1),
        "staffMemberIds": uuid_list(),
        "resourceTypeIds": requirement_ids,
    }
    return {
        "PublicReservableDto": dto(
            "A bookable service with its variants and resource requirements.",
            {
                "id": uuid(),
                "name": string(),
                "description": string(),
                "isActive": boolean(),
                "requiresStaff": boolean(),
                "businessLocationIds": array(uuid(), 1, unique=True),
                "resources": array(ref("PublicReservableResourceSummary")),
                "variants": array(
                    ref("PublicReservableVariantDto"), 1, description="`sortOrder asc, id asc`."
                ),
                "createdAt": date_time(),
                "updatedAt": date_time(),
            },
            "description updatedAt",
        ),
        "PublicReservableResourceSummary": dto(
            "A resource requirement of a reservable.",
            {"resourceTypeId": uuid(), "resourceTypeName": string(), "quantity": int32(1)},
        ),
        "PublicReservableVariantDto": dto(
            "A variant (duration and price) of a reservable.",
            {
                "id": uuid(),
                "reservableId": uuid(),
                "name": string(),
                "durationMinutes": int32(5, 1440),
                "priceCents": int64(0),
                "depositCents": int64(0, None, "Deposit taken at booking; 0 ⇒ no deposit."),
                "isActive": boolean(),
                "sortOrder": int32(),
            },
        ),
        "PublicReservableStaffDto": dto(
            "A staff member eligible to perform a reservable.",
            {"staffMemberId": uuid(), "name": string(), "isBookable": boolean()},
        ),
        "CreatePublicReservableRequest": request(
            "A new reservable with one default variant.",
            create_fields,
            "name durationMinutes priceCents businessLocationIds",
        ),
        "UpdatePublicReservableRequest": request(
            "Partial update; omitted or null fields are left unchanged, `[]` clears a set.", update_fields
        ),
        "PublicReservableListResponse": paged("PublicReservableDto", "Reservables, `name asc, id asc`."),
        "PublicReservableVariantListResponse": plain(
            "PublicReservableVariantDto", "Variants, `sortOrder asc, id asc`."
        ),
        "PublicReservableStaffListResponse": plain("PublicReservableStaffDto", "Eligible staff, `name asc`."),
    }

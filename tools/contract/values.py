"""Closed value sets of design §3 (PascalCase, §8 #1): one tuple per enum-valued field."""

from __future__ import annotations

BOOKING_STATUSES = ("Pending", "Confirmed", "Completed", "Cancelled", "NoShow")
FORM_KINDS = ("Waiver", "Intake")
ACTIVITY_KINDS = (
    "BookingCreated",
    "BookingCancelled",
    "BookingCompleted",
    "BookingNoShow",
    "NoteCreated",
    "MessageSent",
    "FormSigned",
    "TicketOrderPlaced",
    "ReviewSubmitted",
)
CHANNELS = ("Email", "Sms")
EVENT_STATUSES = ("Draft", "Published", "Cancelled")
TICKET_ORDER_STATUSES = ("Pending", "Paid", "Cancelled", "Refunded")
TICKET_STATUSES = ("Valid", "Redeemed", "Cancelled")
ORDER_STATUSES = ("Pending", "Paid", "PartiallyRefunded", "Refunded", "Cancelled")
ORDER_SOURCES = ("Booking", "TicketPurchase")
LINE_ITEM_KINDS = ("Service", "Deposit", "Ticket", "Fee")
FORM_FIELD_TYPES = (
    "Text",
    "TextArea",
    "Email",
    "Phone",
    "Number",
    "Date",
    "Checkbox",
    "Select",
    "MultiSelect",
    "Signature",
    "Paragraph",
)
REVIEW_STATUSES = ("Pending", "Approved", "Rejected")
DELIVERY_STATUSES = ("Pending", "Succeeded", "Failed")

"""Customers machine (class `customers`: K1–K4, K6 and the activity timeline).

Customers are created with and without email/phone and consents, patched with omitted, `null` and new
values, get notes (created, edited, deleted) and messages on both channels; reviews come from the
`pending-review` provider state and are moderated. After every step each customer, its notes and its
timeline must equal the model.
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from caldasa_conformance.oracles import customers as oracles
from caldasa_conformance.oracles.customers import CUSTOMER_FIELDS
from caldasa_conformance.states import StateRejected, StateUnavailable
from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import WorkflowMachine, checked, step
from caldasa_conformance.workflows.reads import read_groups


@dataclass
class Customer:
    label: str
    id: str
    values: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)  # id -> body, in creation order
    deleted_notes: set[str] = field(default_factory=set)
    timeline: Counter[str] = field(default_factory=Counter)


def predict_message(values: dict[str, Any], channel: str) -> Expect:
    """sendCustomerMessage's answer (design §8 #57)."""
    if channel == "Email" and not values.get("email"):
        return Expect(409, "K4", "no_email", why="the customer has no email")
    if channel == "Sms" and not values.get("phone"):
        return Expect(409, "K4", "no_phone", why="the customer has no phone")
    if channel == "Sms" and not values.get("optInSms"):
        return Expect(409, "K4", "sms_not_permitted", why="no SMS consent")
    return Expect(202, "K4", why="an address and, for SMS, consent")


class CustomerTimeline(WorkflowMachine):
    """Customers, notes, messages and reviews against the model; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.customers: list[Customer] = []
        self.emails = [f"kim-{uuid.uuid4().hex[:8]}@example.test", f"lee-{uuid.uuid4().hex[:8]}@example.test"]

    # ---------------------------------------------------------------- rules
    @precondition(lambda self: len(self.customers) < 4)
    @rule(email=st.sampled_from([None, 0, 1]), upper=st.booleans(), phone=st.booleans(), sms=st.booleans())
    @step
    def create_customer(self, email: int | None, upper: bool, phone: bool, sms: bool) -> None:
        """K2: an email already in use (any case) answers 409 duplicate_email."""
        address = None if email is None else (self.emails[email].upper() if upper else self.emails[email])
        values = {
            "name": self.unique("customer"),
            "email": address,
            "phone": "+4915100000" + str(len(self.customers)) if phone or address is None else None,
            "optInEmail": False,
            "optInSms": sms,
        }
        taken = address is not None and any(
            (c.values.get("email") or "").lower() == address.lower() for c in self.customers
        )
        expect = Expect(409, "K2", "duplicate_email", why="email in use") if taken else Expect(201, "K2")
        dto = check_answer(self.api.call("createCustomer", json=values), expect, "createCustomer")
        if expect.status == 201:
            self.customers.append(Customer(f"c{len(self.customers) + 1}", dto["id"], values))

    @precondition(lambda self: bool(self.customers))
    @rule(
        pick=st.integers(0, 20),
        target_field=st.sampled_from(CUSTOMER_FIELDS),
        mode=st.sampled_from(["omit", "null", "value"]),
        other=st.sampled_from(["name", "phone", "optInSms"]),
    )
    @step
    def update_customer(self, pick: int, target_field: str, mode: str, other: str) -> None:
        """K1: omitted and null fields stay unchanged; K2 applies to new emails too."""
        customer = self._pick(pick)
        body: dict[str, Any] = {}
        if mode != "omit":
            body[target_field] = None if mode == "null" else self._new_value(customer, target_field)
        body.setdefault(other, None)
        changes = {k: v for k, v in body.items() if v is not None}
        email = changes.get("email")
        taken = email is not None and any(
            (c.values.get("email") or "").lower() == email.lower()
            for c in self.customers
            if c is not customer
        )
        expect = Expect(409, "K2", "duplicate_email", why="email in use") if taken else Expect(200, "K1")
        response = self.api.call("updateCustomer", path={"customerId": customer.id}, json=body)
        dto = check_answer(response, expect, "updateCustomer")
        if expect.status == 200:
            customer.values.update(changes)
            self._compare(customer, dto, "updateCustomer")

    def _new_value(self, customer: Customer, name: str) -> Any:
        if name == "email":
            return self.emails[len(customer.timeline) % 2]
        if name == "phone":
            return "+4915200000" + str(len(customer.notes))
        if name in ("optInEmail", "optInSms"):
            return not customer.values.get(name)
        return self.unique("renamed")

    @precondition(lambda self: bool(self.customers))
    @rule(pick=st.integers(0, 20))
    @step
    def add_note(self, pick: int) -> None:
        customer = self._pick(pick)
        text = f"note {uuid.uuid4().hex[:6]}"
        dto = check_answer(
            self.api.call("createCustomerNote", path={"customerId": customer.id}, json={"body": text}),
            Expect(201, "K3"),
            "createCustomerNote",
        )
        customer.notes[dto["id"]] = text
        customer.timeline["NoteCreated"] += 1

    @precondition(lambda self: any(c.notes for c in self.customers))
    @rule(pick=st.integers(0, 20), action=st.sampled_from(["edit", "delete", "foreign"]))
    @step
    def change_note(self, pick: int, action: str) -> None:
        """K3: PATCH sets updatedAt; a deleted note answers 404; so does another customer's path."""
        owners = [c for c in self.customers if c.notes]
        customer = owners[pick % len(owners)]
        note_id = list(customer.notes)[pick % len(customer.notes)]
        path = {"customerId": customer.id, "noteId": note_id}
        if action == "foreign":
            other = next((c for c in self.customers if c is not customer), None)
            if other is not None:
                response = self.api.call(
                    "updateCustomerNote",
                    path={"customerId": other.id, "noteId": note_id},
                    json={"body": "moved"},
                )
                check_answer(
                    response,
                    Expect(404, "K3", why="the note belongs to another customer"),
                    "updateCustomerNote",
                )
            return
        if action == "edit":
            text = f"edited {uuid.uuid4().hex[:6]}"
            dto = check_answer(
                self.api.call("updateCustomerNote", path=path, json={"body": text}),
                Expect(200, "K3"),
                "updateCustomerNote",
            )
            oracles.note_lifecycle(edited=dto, body=text)
            customer.notes[note_id] = text
            return
        check_answer(self.api.call("deleteCustomerNote", path=path), Expect(204, "K3"), "deleteCustomerNote")
        del customer.notes[note_id]
        check_answer(
            self.api.call("deleteCustomerNote", path=path),
            Expect(404, "K3", why="already deleted"),
            "deleteCustomerNote",
        )

    @precondition(lambda self: bool(self.customers))
    @rule(pick=st.integers(0, 20), channel=st.sampled_from(["Email", "Sms"]))
    @step
    def send_message(self, pick: int, channel: str) -> None:
        """K4: 202 Queued to the exact address, or 409 no_email / no_phone / sms_not_permitted."""
        customer = self._pick(pick)
        expect = predict_message(customer.values, channel)
        response = self.api.call(
            "sendCustomerMessage",
            path={"customerId": customer.id},
            json={"channel": channel, "body": "Hello from the conformance suite"},
        )
        dto = check_answer(response, expect, "sendCustomerMessage")
        if expect.status == 202:
            address = customer.values["email"] if channel == "Email" else customer.values["phone"]
            # Queued rather than Sent is a reference policy (design §8 #56), judged by the oracle itself.
            oracles.message_needs_address_and_consent(result=dto, recipient=address)
            customer.timeline["MessageSent"] += 1

    @precondition(lambda self: self.target.states.dynamic)
    @rule(
        first=st.sampled_from(["Approved", "Rejected"]),
        second=st.sampled_from([None, "Approved", "Rejected"]),
    )
    @step
    def moderate_review(self, first: str, second: str | None) -> None:
        """K6: Pending → Approved|Rejected with moderatedAt; re-moderation allowed."""
        try:
            ids = self.provide_state("pending-review", {"rating": 4, "comment": "Lovely"})
        except (StateUnavailable, StateRejected):
            return
        for status in (first, second):
            if status is None:
                continue
            response = self.api.call(
                "moderateReview",
                path={"reviewId": ids["reviewId"]},
                json={"status": status, "reason": "conformance"},
            )
            dto = check_answer(response, Expect(200, "K6"), "moderateReview")
            oracles.moderation_sets_status(dto, "moderateReview", status=status)

    # ---------------------------------------------------------------- invariants
    @invariant()
    @checked
    def customers_match_model(self) -> None:
        """K1 fields, K3 notes newest first, K3/K4 timeline counts (every customer's reads at once)."""
        with_timeline = [customer for customer in self.customers if customer.timeline]
        reads, note_lists, timelines = read_groups(
            [self._reader("getCustomer", customer) for customer in self.customers],
            [self._reader("listCustomerNotes", customer, pageSize=100) for customer in self.customers],
            [self._reader("listCustomerActivities", customer, limit=100) for customer in with_timeline],
        )
        for customer, read, notes in zip(self.customers, reads, note_lists, strict=True):
            self._compare(customer, check_answer(read, Expect(200, "K1"), "getCustomer"), "getCustomer")
            listed = check_answer(notes, Expect(200, "K3"), "listCustomerNotes").get("items", [])
            oracles.note_lifecycle(listed=[n.get("id") for n in listed], notes=customer.notes)
        for customer, timeline in zip(with_timeline, timelines, strict=True):
            self._check_timeline(customer, timeline)

    def _reader(self, operation_id: str, customer: Customer, **params: Any) -> Callable[[], httpx.Response]:
        return functools.partial(
            self.api.call, operation_id, path={"customerId": str(customer.id)}, params=params or None
        )

    def _check_timeline(self, customer: Customer, response: httpx.Response) -> None:
        listed = check_answer(response, Expect(200, "K3"), "listCustomerActivities")
        kinds = Counter(str(a.get("kind")) for a in listed.get("items", []))
        for kind, count in customer.timeline.items():  # in the order the model first saw each kind
            if kind == "MessageSent":
                oracles.message_needs_address_and_consent(activities=kinds, sent=count)
            else:
                oracles.note_lifecycle(activities=kinds, created=count)

    def _compare(self, customer: Customer, dto: dict[str, Any], operation_id: str) -> None:
        wanted = {name: customer.values.get(name) for name in CUSTOMER_FIELDS}
        oracles.patch_keeps_unsent_fields(dto, wanted, operation_id)

    def _pick(self, pick: int) -> Customer:
        customer = self.customers[pick % len(self.customers)]
        self.journal.steps[-1].arguments["customer"] = customer.label
        return customer


TestCustomerTimeline = CustomerTimeline.test_case()

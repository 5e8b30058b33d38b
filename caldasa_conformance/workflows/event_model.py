"""The in-memory model of one ticketed event: statuses, tiers, orders, tickets (design §4.4–4.5, §8.6)."""

from __future__ import annotations

from dataclasses import dataclass, field

from caldasa_conformance.workflows.checks import Expect


@dataclass
class Tier:
    id: str
    name: str
    price_cents: int
    capacity: int
    max_per_order: int | None
    sold: int = 0
    ever_sold: bool = False


@dataclass
class Ticket:
    id: str
    tier_id: str
    code: str
    status: str = "Valid"
    redeemed_at: str | None = None


@dataclass
class Order:
    label: str
    id: str
    tickets: list[Ticket]
    status: str = "Paid"


@dataclass
class EventModel:
    id: str
    capacity: int | None
    status: str = "Draft"
    ever_published: bool = False
    tiers: dict[str, Tier] = field(default_factory=dict)
    orders: list[Order] = field(default_factory=list)

    @property
    def sold(self) -> int:
        return sum(tier.sold for tier in self.tiers.values())

    @property
    def effective_capacity(self) -> int:
        total = sum(tier.capacity for tier in self.tiers.values())
        return total if self.capacity is None else min(self.capacity, total)

    def tickets(self) -> list[Ticket]:
        return [ticket for order in self.orders for ticket in order.tickets]

    def predict_publish(self) -> Expect:
        if self.status != "Draft":
            return Expect(409, "E1", "event_not_draft", why=f"the event is {self.status}")
        if not self.tiers:
            return Expect(409, "E2", "no_ticket_types", why="no ticket types")
        return Expect(200, "E1", why="Draft with ticket types")

    def predict_cancel(self) -> Expect:
        if self.status == "Cancelled":
            return Expect(409, "E1", "already_cancelled", why="already cancelled")
        return Expect(200, "E1", why=f"cancel from {self.status}")

    def predict_write(self, ok_status: int) -> Expect:
        if self.status == "Cancelled":
            return Expect(409, "E1", "event_cancelled", why="the event is cancelled")
        return Expect(ok_status, "E1", why="the event is writable")

    def predict_order(self, tier: Tier, quantity: int) -> Expect:
        """The `ticket-order` provider state's answer (#52 isOnSale, #66 precedence)."""
        tier_left, event_left = tier.capacity - tier.sold, self.effective_capacity - self.sold
        if self.status != "Published" or tier_left <= 0 or event_left <= 0:
            return Expect(
                409, "E3", "not_on_sale", why=f"the event is {self.status}, {min(tier_left, event_left)} left"
            )
        if tier.max_per_order is not None and quantity > tier.max_per_order:
            return Expect(409, "E3", "max_per_order_exceeded", why="more than maxPerOrder")
        if quantity > min(tier_left, event_left):
            return Expect(409, "E3", "sold_out", why="not enough tickets left")
        return Expect(200, "E3", why="on sale with room")

    def predict_order_cancel(self, order: Order) -> Expect:
        if order.status in ("Cancelled", "Refunded"):
            return Expect(409, "E6", "already_cancelled", why="the order is already cancelled")
        if any(ticket.status == "Redeemed" for ticket in order.tickets):
            return Expect(409, "E6", "ticket_redeemed", why="a ticket was redeemed")
        return Expect(200, "E6", why="a paid order can be cancelled")

    def predict_redeem(self, ticket: Ticket) -> Expect:
        if ticket.status == "Cancelled":
            return Expect(409, "R2", "ticket_cancelled", why="the ticket is cancelled")
        if ticket.status == "Redeemed":
            return Expect(409, "R1", "already_redeemed", why="the ticket was redeemed before")
        if self.status != "Published":
            return Expect(409, "R2", "event_not_active", why=f"the event is {self.status}")
        return Expect(200, "R1", why="a valid ticket of a published event")

    def predict_tier_update(self, tier: Tier, capacity: int, price_cents: int) -> Expect:
        if self.status == "Cancelled":
            return Expect(409, "E1", "event_cancelled", why="the event is cancelled")
        if capacity < tier.sold:
            return Expect(409, "E4", "capacity_below_sold", why="capacity below sold")
        if price_cents != tier.price_cents and tier.sold > 0:
            return Expect(409, "E4", "price_locked", why="price change after a sale")
        return Expect(200, "E4", why="allowed change")

    def predict_tier_delete(self, tier: Tier) -> Expect:
        if self.status == "Cancelled":
            return Expect(409, "E1", "event_cancelled", why="the event is cancelled")
        if tier.sold > 0:
            return Expect(409, "E4", "tickets_sold", why="the tier has sales")
        return Expect(204, "E4", why="an unsold tier can be deleted")

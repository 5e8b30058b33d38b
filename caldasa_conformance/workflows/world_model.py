"""The in-memory model of a world the world machine builds and tears down (`world_machine`).

Every entity the machine asks for is a model object, put into the machine's `Bundle`s whatever the server
answered: a refused create stays in its bundle with `id = None` (a step that draws it notes that and does
nothing), a delete marks it `deleted`. So what the bundles hold depends on the drawn steps only, never on an
answer, and a replay draws the same steps. The model knows the open-slot rule (design §8 #26), the booking
acceptance rules (#29–#31) and what keeps an entity in use (#44), and predicts every answer from them.
All of an example's times lie on one future local day (`day`) in one zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from caldasa_conformance.oracles.bookings import CLOSED_BY
from caldasa_conformance.workflows.checks import Expect
from caldasa_conformance.workflows.timeutil import GRID, Interval, local

# hours options: the same windows on every weekday (local wall clock)
HOURS = {
    "day": [("09:00:00", "17:00:00")],
    "split": [("09:00:00", "12:00:00"), ("13:00:00", "17:00:00")],
    "late": [("12:00:00", "20:00:00")],
    "closed": [],
}
# why a slot is closed, most specific first (a faulty server is likeliest to skip the specific check)
SPECIFICITY = ["busy", "block", "resource", "inactive", "eligibility", "assignment", "shift", "hours", "grid"]


@dataclass(eq=False)
class Entity:
    """Something the machine asked to create: `id` is None when the create was (rightly) refused."""

    label: str
    id: str | None = None
    name: str = ""
    deleted: bool = False

    @property
    def live(self) -> bool:
        return self.id is not None and not self.deleted

    def __repr__(self) -> str:
        return self.label


@dataclass(eq=False, repr=False)
class Location(Entity):
    hours: list[tuple[str, str]] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Member(Entity):
    locations: set[str] = field(default_factory=set)  # ids of the locations the member is assigned to


@dataclass(eq=False, repr=False)
class Shift(Entity):
    member: Member | None = None
    location: Location | None = None
    interval: Interval | None = None


@dataclass(eq=False, repr=False)
class Block(Entity):
    """Time off of a member: at every location (design §8, blocks are location-agnostic)."""

    member: Member | None = None
    interval: Interval | None = None


@dataclass(eq=False, repr=False)
class ResourceType(Entity):
    pass


@dataclass(eq=False, repr=False)
class Unit(Entity):
    rtype: ResourceType | None = None
    location: Location | None = None


@dataclass(eq=False, repr=False)
class Service(Entity):
    variant_id: str = ""
    location: Location | None = None
    staff: list[Member] = field(default_factory=list)  # eligible members (deleted ones drop out)
    rtype: ResourceType | None = None
    duration: timedelta = timedelta(minutes=30)
    price_cents: int = 0
    active: bool = True


@dataclass(eq=False, repr=False)
class Customer(Entity):
    """A customer the example created (customers cannot be deleted; a duplicate email names the holder)."""

    email: str = ""  # lower-cased


@dataclass(eq=False, repr=False)
class Booking(Entity):
    service: Service | None = None
    member: Member | None = None
    customer: str | None = None  # the id of the customer it is linked to (B10)
    interval: Interval | None = None
    units: list[Unit] = field(default_factory=list)
    status: str = "Refused"

    @property
    def occupying(self) -> bool:
        """Occupying = not Cancelled (§8 #27); every booking of the world lies ahead, so it is live too."""
        return self.id is not None and self.status != "Cancelled"

    def service_at(self, location: Location) -> bool:
        """Whether the booking takes place at `location` (a service is offered at one location)."""
        return self.service is not None and self.service.location is location


@dataclass
class World:
    """Everything one example asked for, in creation order."""

    zone: ZoneInfo
    day: date
    locations: list[Location] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    rtypes: list[ResourceType] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    customers: dict[str, str] = field(default_factory=dict)  # lower-cased email -> customer id
    customer_records: list[Customer] = field(default_factory=list)  # asked for by createCustomer

    def at(self, minutes: int) -> datetime:
        """The UTC instant `minutes` after local midnight of the world's day."""
        return local(self.day, time(0), self.zone) + timedelta(minutes=minutes)

    def hours_of(self, location: Location) -> list[Interval]:
        return [
            Interval(
                local(self.day, time.fromisoformat(o), self.zone),
                local(self.day, time.fromisoformat(c), self.zone),
            )
            for o, c in location.hours
        ]

    # ---------------------------------------------------------------- occupancy
    def occupying(self) -> list[Booking]:
        return [b for b in self.bookings if b.occupying]

    def items_of(self, member: Member, location: Location | None = None) -> list[Booking]:
        return [
            b for b in self.occupying() if b.member is member and (location is None or b.service_at(location))
        ]

    def blocks_over(self, member: Member, interval: Interval) -> list[Block]:
        return [
            b
            for b in self.blocks
            if b.live and b.member is member and b.interval and b.interval.overlaps(interval)
        ]

    def free_units(self, service: Service, interval: Interval) -> list[Unit]:
        """Live units of the service's type at its location that no occupying booking overlapping holds."""
        held = {
            id(u) for b in self.occupying() if b.interval and b.interval.overlaps(interval) for u in b.units
        }
        return [
            u
            for u in self.units
            if u.live and u.rtype is service.rtype and u.location is service.location and id(u) not in held
        ]

    def eligible(self, service: Service) -> list[Member]:
        return [m for m in service.staff if m.live]

    # ---------------------------------------------------------------- the open-slot rule (§8 #26)
    def closed_reason(self, service: Service, member: Member, start: datetime) -> str | None:
        """Why (service, member, start) is not an open slot, or None when it is open."""
        interval = Interval(start, start + service.duration)
        location = service.location
        assert location is not None
        midnight = local(self.day, time(0), self.zone)
        shifts = [s.interval for s in self.shifts if s.live and s.member is member and s.location is location]
        checks = (
            ("grid", (start - midnight) % GRID != timedelta(0)),
            ("hours", not interval.within(self.hours_of(location))),
            ("inactive", not service.active),
            ("eligibility", member not in self.eligible(service)),
            ("assignment", location.id not in member.locations),
            ("shift", not interval.within([s for s in shifts if s is not None])),
            ("block", bool(self.blocks_over(member, interval))),
            ("busy", any(b.interval.overlaps(interval) for b in self.items_of(member) if b.interval)),
            ("resource", service.rtype is not None and not self.free_units(service, interval)),
        )
        return next((reason for reason, failed in checks if failed), None)

    def open_slots(self, service: Service) -> set[tuple[datetime, str]]:
        """Every open (start, staff id) of the service on the day."""
        starts = [self.at(15 * k) for k in range(24 * 4)]
        return {
            (start, str(member.id))
            for member in self.eligible(service)
            for start in starts
            if self.closed_reason(service, member, start) is None
        }

    # ---------------------------------------------------------------- predictions
    def booking_refusal(self, service: Service, member: Member | None, unit: Unit | None) -> Expect | None:
        """The 400 of a createBooking naming an unknown or unfit id (§8 #29), or None."""
        location = service.location
        fields = {
            "businessLocationId": location is None or not location.live,
            "items[0].reservableVariantId": not service.live,
            "items[0].staffMemberId": member is not None and not member.live,
            "items[0].resourceSelections[0].specificResourceId": unit is not None
            and service.live
            and not (unit.live and unit.location is location and unit.rtype is service.rtype),
        }
        named = [key for key, bad in fields.items() if bad]
        if not named:
            return None
        return Expect(400, "B11", field=named[0] if len(named) == 1 else None, why=f"unknown/unfit {named}")

    def predict_booking(
        self, service: Service, member: Member | None, start: datetime, unit: Unit | None
    ) -> tuple[Expect, list[Member], list[Unit]]:
        """The answer to createBooking, the staff the server may assign, the units it may hold (#30, #31)."""
        refusal = self.booking_refusal(service, member, unit)
        if refusal is not None:
            return refusal, [], []
        candidates = [member] if member is not None else self.eligible(service)
        reasons = {id(m): self.closed_reason(service, m, start) for m in candidates}
        open_staff = [m for m in candidates if reasons[id(m)] is None]
        if not open_staff:
            present = {r for r in reasons.values() if r} or {"eligibility"}
            reason = next(r for r in SPECIFICITY if r in present)
            why = f"slot closed: {reason}"
            return Expect(409, CLOSED_BY[reason], "slot_unavailable", why=why), [], []
        if service.rtype is None:
            return Expect(201, "A1", why="the slot is open"), open_staff, []
        free = self.free_units(service, Interval(start, start + service.duration))
        if unit is not None and unit not in free:
            return Expect(409, "B2", "resource_unavailable", why=f"{unit.label} is held"), [], []
        return Expect(201, "A1", why="the slot is open"), open_staff, [unit] if unit else free

    def users_of(self, entity: Entity) -> list[str]:
        """What keeps `entity` in use (design §8 #44); a delete of it must answer 409 in_use."""
        live = self.occupying()
        if isinstance(entity, Location):
            return (
                [u.label for u in self.units if u.live and u.location is entity]
                + [s.label for s in self.services if s.live and s.location is entity]
                + [b.label for b in live if b.service_at(entity)]
            )
        if isinstance(entity, Member):
            return [b.label for b in live if b.member is entity]
        if isinstance(entity, Shift):
            return [
                b.label
                for b in live
                if b.member is entity.member
                and entity.location is not None
                and b.service_at(entity.location)
                and b.interval is not None
                and entity.interval is not None
                and b.interval.overlaps(entity.interval)
            ]
        if isinstance(entity, Service):
            return [b.label for b in live if b.service is entity]
        if isinstance(entity, Unit):
            return [b.label for b in live if entity in b.units]
        if isinstance(entity, ResourceType):
            return [u.label for u in self.units if u.live and u.rtype is entity] + [
                s.label for s in self.services if s.live and s.rtype is entity
            ]
        return []

    # ---------------------------------------------------------------- cascades (§8 #43)
    def unassigned(self, member: Member, location: Location) -> None:
        member.locations.discard(str(location.id))
        for shift in self.shifts:
            if shift.member is member and shift.location is location:
                shift.deleted = True

    def removed(self, entity: Entity) -> None:
        entity.deleted = True
        if isinstance(entity, Location):
            for member in self.members:
                self.unassigned(member, entity)
            entity.hours = []
        if isinstance(entity, Member):
            held: list[Shift | Block] = [*self.shifts, *self.blocks]
            for time_span in held:
                if time_span.member is entity:
                    time_span.deleted = True

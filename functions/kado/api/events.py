"""GraphQL for events: what members register for, what marketing runs, the door's check-in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from kado.api.kernel.audience import AudienceInput
from kado.api.kernel.budget_links import BudgetLinkInput
from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered, attempt
from kado.api.kernel.scalars import Amount
from kado.api.kernel.translations import Translated, translated
from kado.domain.events import rules as domain
from kado.domain.principal import Role
from kado.domain.translations import Subject
from kado.services.events import check_in as check_in_service
from kado.services.events import definitions as event_service
from kado.services.events import registrations as registration_service

EventInfo = Info[Context, None]
EventStatus = strawberry.enum(domain.EventStatus, name="EventStatus")
WaitlistMode = strawberry.enum(domain.WaitlistMode, name="WaitlistMode")
RegistrationStatus = strawberry.enum(domain.RegistrationStatus, name="RegistrationStatus")


@strawberry.type
class EventEligibility:
    tiers: list[str]
    account_ids: list[str]
    member_ids: list[str]


@strawberry.type
class Event(Translated):
    id: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    registration_opens_at: datetime
    registration_closes_at: datetime
    capacity: int
    per_account_limit: int | None
    cost_points: int | None
    waitlist_mode: WaitlistMode  # type: ignore[valid-type]
    offer_hold_hours: int
    check_in_opens_minutes_before: int
    status: EventStatus  # type: ignore[valid-type]
    audience: strawberry.Private[EventEligibility]
    program: strawberry.Private[str]
    domain_event: strawberry.Private[domain.Event]
    page: strawberry.Private[list[domain.Event] | None] = None

    @classmethod
    def of(cls, program: str, e: domain.Event, page: list[domain.Event] | None = None
           ) -> Event:
        return cls(id=e.id, **translated(Subject.EVENT, e.id, e.name, e.description), venue=e.venue,
                   starts_at=e.starts_at, ends_at=e.ends_at, timezone=e.timezone,
                   registration_opens_at=e.registration_opens_at,
                   registration_closes_at=e.registration_closes_at, capacity=e.capacity,
                   per_account_limit=e.per_account_limit, cost_points=e.cost_points,
                   waitlist_mode=e.waitlist.mode, offer_hold_hours=e.waitlist.offer_hold_hours,
                   check_in_opens_minutes_before=e.check_in_opens_minutes_before,
                   status=e.status, audience=EventEligibility(
                       tiers=list(e.eligibility.tiers),
                       account_ids=list(e.eligibility.account_ids),
                       member_ids=list(e.eligibility.member_ids)),
                   program=program, domain_event=e, page=page)

    @strawberry.field(description="Who may register: for admins only (null for anyone "
                                  "else: the lists name other members and companies).")
    def eligibility(self, info: EventInfo) -> EventEligibility | None:
        return self.audience if info.context.principal.role is Role.ADMIN else None

    @strawberry.field(description="Seats nobody holds now (read when asked for; costs 9).")
    def seats_left(self, info: EventInfo) -> int:
        return self._availability(info).seats_left

    @strawberry.field(description="How many wait for a seat now (read when asked for; "
                                  "costs 9, or nothing more beside seatsLeft).")
    def waitlist_length(self, info: EventInfo) -> int:
        return self._availability(info).waiting

    def _availability(self, info: EventInfo) -> event_service.Availability:
        """Read once per request for every event of the page this one came in (one batch
        of seat shards and waitlist counts, not a read per event), however many fields and
        aliases ask."""
        page = self.page or [self.domain_event]
        found = info.context.once(("availability", self.program, tuple(e.id for e in page)),
                                  lambda: event_service.availability_of(self.program, page))
        return found[self.id]


@strawberry.type
class Registration:
    event_id: str
    member_id: str
    status: RegistrationStatus  # type: ignore[valid-type]
    accepted_at: datetime
    position: int | None = strawberry.field(
        description="Place in line while WAITLISTED (1 = next), counted when read.")
    offer_expires_at: datetime | None
    checked_in_at: datetime | None
    cost_points: int | None
    check_in_qr: str | None = strawberry.field(
        description="Render as a QR code for the door; signed, so it cannot be forged. "
                    "Only while the registration is CONFIRMED or CHECKED_IN (an offer shows "
                    "none until accepted).")

    @classmethod
    def of(cls, program: str, r: registration_service.Registration) -> Registration:
        return cls(event_id=r.event_id, member_id=r.member_id, status=r.status,
                   accepted_at=r.accepted_at, position=r.position,
                   offer_expires_at=r.offer_expires_at, checked_in_at=r.checked_in_at,
                   cost_points=r.cost_points,
                   check_in_qr=check_in_service.ticket_of(program, r.event_id, r.member_id,
                                                          r.ticket, r.status))


@strawberry.type
class RegistrationPayload:
    registration: Registration | None
    errors: list[UserError]


@strawberry.input
class RegisterInput:
    event_id: str
    idempotency_key: str = strawberry.field(
        description="Unique per attempt (8-128 chars); a retry returns the first outcome.")


@strawberry.input
class EventRefInput:
    event_id: str


def _registration_payload(info: EventInfo, action: Any) -> RegistrationPayload:
    program = info.context.principal.program
    return answered(RegistrationPayload, "registration", lambda r: Registration.of(program, r),
                    action)


@strawberry.type
class MemberEventsQuery:
    @strawberry.field(description="Events open to the member (published or closed, not "
                                  "over), soonest first.")
    def events(self, info: EventInfo, first: int = 20,
               after: str | None = None) -> Connection[Event]:
        principal = info.context.principal
        found, page = event_service.open_to_member(principal.program, principal.subject,
                                                   first, after)
        return Connection.of([Event.of(principal.program, e, found) for e in found], page)

    @strawberry.field
    def event(self, info: EventInfo, id: str) -> Event | None:
        program = info.context.principal.program
        found, _ = attempt(lambda: event_service.get(program, id))
        if found is None or found.status is domain.EventStatus.DRAFT:
            return None
        return Event.of(program, found)

    @strawberry.field(description="The member's registrations, newest first.")
    def my_registrations(self, info: EventInfo, first: int = 20,
                         after: str | None = None) -> Connection[Registration]:
        principal = info.context.principal
        return registrations_of(principal.program, principal.subject, first, after)


def registrations_of(program: str, member_id: str, first: int,
                     after: str | None) -> Connection[Registration]:
    """A member's registrations, newest first (the member's own list, and the console's)."""
    # A place in line is counted when read (docs/guide/event-registrations.md), as everywhere.
    found, page = registration_service.member_registrations(program, member_id, first, after)
    return Connection.of([Registration.of(program, r) for r in found], page)


@strawberry.type
class MemberEventsMutation:
    @strawberry.mutation(description="CONFIRMED when a seat is free, else WAITLISTED with "
                                     "a position (or EVENT_FULL without a waitlist).")
    def register_for_event(self, info: EventInfo, input: RegisterInput) -> RegistrationPayload:
        return _registration_payload(info, lambda: registration_service.register(
            info.context.principal, input.event_id, input.idempotency_key))

    @strawberry.mutation(description="Give up a seat or a place in line; points come back "
                                     "and the seat goes to the first in line.")
    def cancel_registration(self, info: EventInfo, input: EventRefInput) -> RegistrationPayload:
        return _registration_payload(info, lambda: registration_service.cancel(
            info.context.principal, input.event_id))

    @strawberry.mutation(description="Take the seat offered to you, before the offer lapses.")
    def accept_offer(self, info: EventInfo, input: EventRefInput) -> RegistrationPayload:
        return _registration_payload(info, lambda: registration_service.accept(
            info.context.principal, input.event_id))

    @strawberry.mutation(description="Turn the offered seat down: it goes to the next in "
                                     "line.")
    def decline_offer(self, info: EventInfo, input: EventRefInput) -> RegistrationPayload:
        return _registration_payload(info, lambda: registration_service.decline(
            info.context.principal, input.event_id))


@strawberry.input
class EventEligibilityInput(AudienceInput):
    pass


@strawberry.input
class WaitlistInput:
    mode: WaitlistMode = domain.WaitlistMode.AUTO_CONFIRM  # type: ignore[valid-type]
    offer_hold_hours: int = 24


@strawberry.input
class EventInput:
    id: str
    name: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    registration_opens_at: datetime
    registration_closes_at: datetime
    capacity: int
    description: str = ""
    per_account_limit: int | None = strawberry.field(default=None,
                                                     description="Seats per company.")
    eligibility: EventEligibilityInput | None = None
    waitlist: WaitlistInput | None = None
    cost_points: int | None = None
    cost: Amount = strawberry.field(
        default=Amount(0), description="What each registration costs the program (minor "
                                       "units), from `budgets`; given back when it ends.")
    budgets: list[BudgetLinkInput] = strawberry.field(
        default_factory=list, description="The budgets that pay for registrations: a full "
                                          "one refuses them (BUDGET_EXHAUSTED).")
    check_in_opens_minutes_before: int = strawberry.field(
        default=domain.DEFAULT_CHECK_IN_MINUTES,
        description="The door opens this many minutes before the start (0-10080) and "
                    "closes at the end.")

    def to_domain(self) -> domain.Event:
        line = self.waitlist or WaitlistInput()
        return domain.Event(
            id=self.id, name=self.name, venue=self.venue, starts_at=self.starts_at,
            ends_at=self.ends_at, timezone=self.timezone,
            registration_opens_at=self.registration_opens_at,
            registration_closes_at=self.registration_closes_at, capacity=self.capacity,
            description=self.description, per_account_limit=self.per_account_limit,
            eligibility=(self.eligibility or EventEligibilityInput()).to_audience(),
            waitlist=domain.Waitlist(domain.WaitlistMode(line.mode), line.offer_hold_hours),
            cost_points=self.cost_points,
            check_in_opens_minutes_before=self.check_in_opens_minutes_before,
            cost=self.cost, budgets=tuple(b.to_domain() for b in self.budgets))


@strawberry.type
class EventPayload:
    event: Event | None
    errors: list[UserError]


def _event_payload(info: EventInfo, action: Any) -> EventPayload:
    done, errors = attempt(action)
    program = info.context.principal.program
    return EventPayload(event=Event.of(program, done) if done else None, errors=errors)


@strawberry.type
class EventSeats:
    capacity: int
    held: int = strawberry.field(description="Confirmed, offered or checked in.")
    left: int


@strawberry.type
class AdminEventsQuery:
    @strawberry.field(name="events", description="Every event, soonest first.")
    def all_events(self, info: EventInfo, first: int = 20,
                   after: str | None = None) -> Connection[Event]:
        program = info.context.principal.program
        found, page = event_service.listed(program, first, after)
        return Connection.of([Event.of(program, e, found) for e in found], page)

    @strawberry.field(name="event")
    def one_event(self, info: EventInfo, id: str) -> Event | None:
        program = info.context.principal.program
        found, _ = attempt(lambda: event_service.get(program, id))
        return Event.of(program, found) if found else None

    @strawberry.field(description="An event's registrations (every status). Read partition "
                                  "by partition, so while registrations move (a seat given "
                                  "up and passed on) the list is not one moment's view: "
                                  "eventSeats is, and its counts are the ones to trust.")
    def event_registrations(self, info: EventInfo, event_id: str) -> list[Registration]:
        program = info.context.principal.program
        return [Registration.of(program, r)
                for r in registration_service.event_registrations(program, event_id)]

    @strawberry.field(description="The event's seats from one consistent read of every "
                                  "seat shard: never more held than the capacity.")
    def event_seats(self, info: EventInfo, event_id: str) -> EventSeats:
        program = info.context.principal.program
        seats = event_service.seats_now(program, event_service.get(program, event_id))
        return EventSeats(capacity=seats.capacity, held=seats.held, left=seats.left)


@strawberry.type
class AdminEventsMutation:
    @strawberry.mutation(description="Create or edit an event (DRAFT until published).")
    def upsert_event(self, info: EventInfo, input: EventInput) -> EventPayload:
        return _event_payload(info, lambda: event_service.upsert(
            info.context.principal.program, input.to_domain()))

    @strawberry.mutation(description="Publish (or reopen) an event: members see it and "
                                     "register within its window.")
    def publish_event(self, info: EventInfo, id: str) -> EventPayload:
        return _event_payload(info, lambda: event_service.move(
            info.context.principal.program, id, domain.EventStatus.PUBLISHED))

    @strawberry.mutation(description="Close registration; cancellations and check-in go on.")
    def close_event(self, info: EventInfo, id: str) -> EventPayload:
        return _event_payload(info, lambda: event_service.move(
            info.context.principal.program, id, domain.EventStatus.CLOSED))

    @strawberry.mutation(description="Cancel the event: every registration is cancelled and "
                                     "its points refunded.")
    def cancel_event(self, info: EventInfo, id: str) -> EventPayload:
        return _event_payload(info, lambda: registration_service.cancel_event(
            info.context.principal.program, id))

    @strawberry.mutation(description="Mark the event done (after it took place).")
    def finish_event(self, info: EventInfo, id: str) -> EventPayload:
        return _event_payload(info, lambda: event_service.move(
            info.context.principal.program, id, domain.EventStatus.DONE))


@strawberry.input
class CheckInInput:
    event_id: str
    qr: str
    idempotency_key: str


@strawberry.type
class CheckIn:
    event_id: str
    member_id: str
    checked_in_at: datetime


@strawberry.type
class CheckInPayload:
    check_in: CheckIn | None
    errors: list[UserError]


@strawberry.type
class DoorTicket:
    event_id: str
    event_name: str
    venue: str
    starts_at: datetime
    member_id: str
    account_id: str | None
    account_name: str | None
    status: RegistrationStatus  # type: ignore[valid-type]
    checked_in_at: datetime | None
    checked_in_count: int = strawberry.field(
        description="Members of this event checked in so far, at every door.")

    @classmethod
    def of(cls, d: check_in_service.DoorTicket) -> DoorTicket:
        return cls(event_id=d.event.id, event_name=d.event.name, venue=d.event.venue,
                   starts_at=d.event.starts_at, member_id=d.member_id,
                   account_id=d.account_id, account_name=d.account_name, status=d.status,
                   checked_in_at=d.checked_in_at, checked_in_count=d.checked_in_count)


@strawberry.type
class DoorQuery:
    @strawberry.field(description="A scanned ticket as the door shows it (whose, which "
                                  "event, where it stands), before checking it in. Changes "
                                  "nothing.")
    def ticket(self, info: EventInfo, qr: str) -> DoorTicket:
        return DoorTicket.of(check_in_service.read_ticket(info.context.principal, qr))


@strawberry.type
class DoorMutation:
    @strawberry.mutation(description="Check a ticket in at the door (merchant role, or staff "
                                     "of the event's venue). A second scan is refused with "
                                     "when it was checked in; a retry with the same key "
                                     "answers the first outcome.")
    def check_in(self, info: EventInfo, input: CheckInInput) -> CheckInPayload:
        done, errors = attempt(lambda: check_in_service.check_in(
            info.context.principal, input.event_id, input.qr, input.idempotency_key))
        return CheckInPayload(check_in=CheckIn(event_id=done.event_id, member_id=done.member_id,
                                               checked_in_at=done.checked_in_at)
                              if done else None, errors=errors)

"""At the door: a scanned ticket checks its member in, once.

The move from CONFIRMED to CHECKED_IN is conditioned on the registration still being
confirmed with the same ticket, so two scanners at two doors check a member in once; a
retry with the same idempotency key answers the first outcome. The move rides in the
transaction of the attendance it proves, an EVENT_ATTENDED activity keyed by event and
member: a check-in that committed has earned its attendance, and one that did not has
earned nothing. The door is open from the event's checkInOpensMinutesBefore to its end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kado.domain.activities import Activity
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.events import tickets
from kado.domain.events.rules import TICKETED, Event, RegistrationStatus
from kado.domain.ids import derived_id
from kado.domain.principal import Principal, Role
from kado.domain.shards import pick_shard
from kado.domain.validation import require_idempotency_key
from kado.services import members
from kado.services.activities import recording as activities
from kado.services.events import definitions as events
from kado.services.kernel import code_key_ring as code_keys
from kado.services.kernel.loyalty_definitions import cached as definitions
from kado.store import events as store
from kado.store.kernel import transact

S = RegistrationStatus


@dataclass(frozen=True)
class CheckIn:
    event_id: str
    member_id: str
    checked_in_at: datetime


def ticket_of(program: str, event_id: str, member_id: str, ticket: str,
              status: RegistrationStatus) -> str | None:
    """The signed QR payload the member shows at the door, while the registration is one
    the door admits (domain TICKETED); else none."""
    return ticket_payload(program, event_id, member_id, ticket) if status in TICKETED \
        else None


def ticket_payload(program: str, event_id: str, member_id: str, ticket: str) -> str:
    return tickets.payload(tickets.Ticket(event_id, member_id, ticket), _mac(program))


def _mac(program: str) -> Callable[[str], str]:
    return lambda message: code_keys.keys().ticket_mac(program, message)


def check_in(principal: Principal, event_id: str, qr: str, idempotency_key: str) -> CheckIn:
    require_idempotency_key(idempotency_key)
    program = principal.program
    ticket = _read(program, qr)
    e = events.get(program, event_id)
    if ticket.event_id != e.id:
        raise DomainError(ErrorCode.WRONG_EVENT, f"this ticket is for event "
                          f"{ticket.event_id!r}", "qr")
    _require_door(principal, e, "eventId")
    now = utcnow()
    for _ in range(2):  # a parallel scan may win the race: then answer as it left things
        reg = store.get_registration(program, e.id, ticket.member_id)
        answered = _answer(e, reg, ticket, idempotency_key)
        if answered is not None:
            return answered
        if not e.check_in_open_at(now):
            opens = e.starts_at - timedelta(minutes=e.check_in_opens_minutes_before)
            raise DomainError(ErrorCode.CHECK_IN_CLOSED, "the door is open from "
                              f"{_local(e, opens)} to {_local(e, e.ends_at)}", "qr")
        moved = store.move_registration_part(
            program, e.id, ticket.member_id, S.CONFIRMED.value,
            {"status": S.CHECKED_IN.value, "checkedInAt": iso(now),
             "checkedInBy": principal.subject, "checkInKey": idempotency_key},
            also={"ticket": ticket.ticket})
        try:
            _attended(program, e, ticket.member_id, (reg or {}).get("accountId"), now, moved)
        except _ScannedMeanwhile:
            continue
        return _answer(e, store.get_registration(program, e.id, ticket.member_id), ticket,
                       idempotency_key) or CheckIn(e.id, ticket.member_id, now)
    raise DomainError(ErrorCode.BUSY, "this ticket is being scanned elsewhere; retry", "qr")


def _read(program: str, qr: str) -> tickets.Ticket:
    ticket = tickets.read(qr, _mac(program))
    if ticket is None:
        raise DomainError(ErrorCode.INVALID_CODE, "this is not a valid ticket for this "
                          "program", "qr")
    return ticket


def _require_door(principal: Principal, e: Event, field: str) -> None:
    """Merchants and door staff check tickets in (staff at their own venue's events only);
    no one else on the merchant API does (a rep awards points)."""
    if principal.role not in (Role.MERCHANT, Role.STAFF, Role.ADMIN):
        raise DomainError(ErrorCode.FORBIDDEN, "only the door checks tickets in", field)
    if principal.role is Role.STAFF and principal.venue != e.venue:
        raise DomainError(ErrorCode.FORBIDDEN, "your door is at another venue", field)


def _current(reg: dict[str, Any] | None, ticket: tickets.Ticket) -> dict[str, Any]:
    """The registration the ticket was issued for, still standing (a cancelled and renewed
    registration carries a new ticket)."""
    if reg is None or reg.get("ticket") != ticket.ticket:
        raise DomainError(ErrorCode.NOT_CONFIRMED, "this ticket is no longer valid", "qr")
    return reg


class _ScannedMeanwhile(Exception):
    """The registration moved between our read and the write: read it again."""


def _local(e: Event, moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(e.timezone)).strftime("%Y-%m-%d %H:%M")


def _answer(e: Event, reg: dict[str, Any] | None, ticket: tickets.Ticket,
            idempotency_key: str) -> CheckIn | None:
    """The outcome without writing, if there is one: a refusal, or a retry's first answer."""
    reg = _current(reg, ticket)
    if reg["status"] == S.CHECKED_IN:
        at = parse_iso(reg["checkedInAt"])
        if reg.get("checkInKey") == idempotency_key:
            return CheckIn(e.id, ticket.member_id, at)
        local = at.astimezone(ZoneInfo(e.timezone)).strftime("%H:%M")
        raise DomainError(ErrorCode.ALREADY_CHECKED_IN, f"already checked in at {local}", "qr")
    if reg["status"] != S.CONFIRMED:
        raise DomainError(ErrorCode.NOT_CONFIRMED, f"this registration is "
                          f"{reg['status'].lower().replace('_', ' ')}", "qr")
    return None


def _attended(program: str, e: Event, member_id: str, account_id: str | None,
              now: datetime, moved: dict[str, Any]) -> None:
    """Attendance as an activity (it earns by the program's rules, once per member), with
    the check-in's move in its transaction."""
    attended = Activity(f"attended:{derived_id(e.id, member_id)}", member_id,
                        "EVENT_ATTENDED", now, account_id=account_id)

    def refused(cancelled: transact.Cancelled) -> None:
        if cancelled.failed("registration") is not None:
            raise _ScannedMeanwhile

    counted = store.checked_in_part(program, e.id, pick_shard(e.seat_shards()))
    activities.record_one(Principal(Role.ADMIN, program, "check-in"), attended,
                          definitions(program), now,
                          activities.Rider(0, "", {"registration": moved,
                                                   "checkedInCount": counted}, refused))


@dataclass(frozen=True)
class DoorTicket:
    """What the door sees of a scanned ticket before checking it in."""

    event: Event
    member_id: str
    account_id: str | None
    account_name: str | None
    status: RegistrationStatus
    checked_in_at: datetime | None
    checked_in_count: int  # members of this event through the door so far


def read_ticket(principal: Principal, qr: str) -> DoorTicket:
    """A ticket as the door shows it: whose, for which event, and where it stands. Changes
    nothing; a ticket that is not this program's, or an event at another venue for staff,
    is refused as the check-in would refuse it."""
    program = principal.program
    ticket = _read(program, qr)
    e = events.get(program, ticket.event_id)
    _require_door(principal, e, "qr")
    reg = _current(store.get_registration(program, e.id, ticket.member_id), ticket)
    account_id = reg.get("accountId")
    account = members.get_account(program, account_id) if account_id else None
    at = reg.get("checkedInAt")
    return DoorTicket(e, ticket.member_id, account_id, account.name if account else None,
                      RegistrationStatus(reg["status"]), parse_iso(at) if at else None,
                      checked_in_count(program, e))


def checked_in_count(program: str, e: Event) -> int:
    return sum(int(s.get(store.CHECKED_IN, 0)) for s in store.seats(program, e))

"""Events as marketing defines them: upsert, the lifecycle, and what members see.

The definition is cached per instance like a campaign. No rule rests on the cached copy:
a closed or cancelled event is `halted` on every seat shard in the same transaction as its
status, and every registration writes or checks one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kado.domain.budgets import BudgetLink
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.events import rules as domain
from kado.domain.events.rules import (
    DEFAULT_CHECK_IN_MINUTES,
    Event,
    EventEligibility,
    EventStatus,
    Waitlist,
    WaitlistMode,
)
from kado.domain.validation import require_id
from kado.services import budgets
from kado.services.kernel import loyalty_definitions, references
from kado.services.kernel.ttl_cache import TtlCache
from kado.services.tiers.member_standing import tier_in_force
from kado.store import events as store
from kado.store import ledger as loyalty_store
from kado.store.kernel import transact


def to_item(e: Event) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "description": e.description, "venue": e.venue,
            "startsAt": iso(e.starts_at), "endsAt": iso(e.ends_at), "timezone": e.timezone,
            "registrationOpensAt": iso(e.registration_opens_at),
            "registrationClosesAt": iso(e.registration_closes_at), "capacity": e.capacity,
            "perAccountLimit": e.per_account_limit, "costPoints": e.cost_points,
            "eligibility": {"tiers": list(e.eligibility.tiers),
                            "accountIds": list(e.eligibility.account_ids),
                            "memberIds": list(e.eligibility.member_ids)},
            "waitlist": {"mode": e.waitlist.mode.value,
                         "offerHoldHours": e.waitlist.offer_hold_hours},
            "checkInOpensMinutesBefore": e.check_in_opens_minutes_before,
            "status": e.status.value, "cost": e.cost,
            "budgets": [{"budgetId": b.budget_id, "percent": b.percent} for b in e.budgets]}


def from_item(item: dict[str, Any]) -> Event:
    rules, waitlist = item.get("eligibility") or {}, item.get("waitlist") or {}
    return Event(
        id=item["id"], name=item["name"], description=item.get("description", ""),
        venue=item["venue"], starts_at=parse_iso(item["startsAt"]),
        ends_at=parse_iso(item["endsAt"]), timezone=item["timezone"],
        registration_opens_at=parse_iso(item["registrationOpensAt"]),
        registration_closes_at=parse_iso(item["registrationClosesAt"]),
        capacity=item["capacity"], per_account_limit=item.get("perAccountLimit"),
        cost_points=item.get("costPoints"),
        eligibility=EventEligibility(tuple(rules.get("tiers", ())),
                                     tuple(rules.get("accountIds", ())),
                                     tuple(rules.get("memberIds", ()))),
        waitlist=Waitlist(WaitlistMode(waitlist.get("mode", WaitlistMode.AUTO_CONFIRM)),
                          waitlist.get("offerHoldHours", 24)),
        check_in_opens_minutes_before=item.get("checkInOpensMinutesBefore",
                                               DEFAULT_CHECK_IN_MINUTES),
        status=EventStatus(item["status"]), cost=item.get("cost", 0),
        budgets=tuple(BudgetLink(b["budgetId"], b["percent"]) for b in item.get("budgets", ())))


def get(program: str, event_id: str) -> Event:
    item = store.get_event(program, require_id(event_id, "eventId"))
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no event {event_id!r}", "eventId")
    return from_item(item)


_cache: TtlCache[tuple[str, str], Event] = TtlCache(
    lambda key: from_item(found) if (found := store.get_event(*key)) else None)


def cached(program: str, event_id: str) -> Event:
    found = _cache.get((program, require_id(event_id, "eventId")))
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no event {event_id!r}", "eventId")
    return found


def forget(program: str, event_id: str) -> None:
    _cache.forget((program, event_id))


def upsert(program: str, e: Event) -> Event:
    """A DRAFT is edited freely. Once published, seats exist: the capacity, the company
    limit, the price and the waitlist mode are fixed; names, texts and times may change."""
    domain.validate(e)
    references.require_audience(program, e.eligibility.tiers, e.eligibility.account_ids)
    budgets.require_links(program, e.budgets)
    current = store.get_event(program, e.id)
    if current is None:
        saved = replace(e, status=EventStatus.DRAFT)
        store.put_event(program, to_item(saved), None)
        return saved
    was = from_item(current)
    if was.status is not EventStatus.DRAFT:
        fixed = [name for name, a, b in (
            ("capacity", was.capacity, e.capacity),
            ("perAccountLimit", was.per_account_limit, e.per_account_limit),
            ("costPoints", was.cost_points, e.cost_points),
            ("cost", was.cost, e.cost), ("budgets", was.budgets, e.budgets),
            ("waitlist.mode", was.waitlist.mode, e.waitlist.mode)) if a != b]
        if fixed:
            raise DomainError(ErrorCode.INVALID_TRANSITION,
                              f"fixed once published: {', '.join(fixed)}", fixed[0])
    saved = replace(e, status=was.status)
    try:
        store.put_event(program, to_item(saved), was.status.value)
    except transact.Cancelled:
        raise DomainError(ErrorCode.BUSY, "the event changed meanwhile; retry", "id") from None
    forget(program, e.id)
    return saved


def move(program: str, event_id: str, to: EventStatus) -> Event:
    """Publish, close, reopen, cancel or finish, with every seat shard in step."""
    e = get(program, event_id)
    if to not in domain.MOVES[e.status]:
        raise DomainError(ErrorCode.INVALID_TRANSITION,
                          f"an event that is {e.status.value} cannot become {to.value}", "id")
    try:
        transact.write(store.status_parts(program, e, to.value,
                                          first_publish=e.status is EventStatus.DRAFT and
                                          to is EventStatus.PUBLISHED))
    except transact.Cancelled:
        raise DomainError(ErrorCode.BUSY, "the event changed meanwhile; retry", "id") from None
    forget(program, event_id)
    return replace(e, status=to)


@dataclass(frozen=True)
class Availability:
    seats_left: int
    waiting: int


@dataclass(frozen=True)
class Seats:
    capacity: int
    held: int  # confirmed, offered or checked in, at one moment
    left: int


def seats_now(program: str, e: Event) -> Seats:
    """The event's seats from one serializable read of every shard: never more held than
    the capacity, whatever moves while it is read."""
    if e.status is EventStatus.DRAFT:
        return Seats(e.capacity, 0, e.capacity)
    left = sum(int(s.get(store.LEFT, 0)) for s in store.seats_at_once(program, e))
    return Seats(e.capacity, e.capacity - left, left)


def availability(program: str, e: Event) -> Availability:
    return availability_of(program, [e])[e.id]


def availability_of(program: str, events: list[Event]) -> dict[str, Availability]:
    """Seats left and how many wait, for every event of a page: one batch read of their
    seat shards and one of their waitlist counts (a DRAFT has no seats yet)."""
    live = [e for e in events if e.status is not EventStatus.DRAFT]
    seats = store.seats_of_events(program, live) if live else {}
    waiting = store.waiting_counts(program, live) if live else {}
    return {e.id: Availability(sum(int(s.get(store.LEFT, 0)) for s in seats[e.id]),
                               waiting[e.id]) if e.id in seats
            else Availability(e.capacity, 0) for e in events}


def listed(program: str, first: int, after: str | None,
           keep: Any = lambda _: True) -> tuple[list[Event], Any]:
    page = store.events_page(program, first, after,
                             keep=lambda item: item.get("type") == "EVENT" and keep(item))
    return [from_item(i) for i in page.items], page


def visible_to(e: Event, member_id: str, account_id: str | None, tier: str,
               now: datetime | None = None) -> bool:
    """Published or closed, not over, and the member may join."""
    moment = now or utcnow()
    return e.status in (EventStatus.PUBLISHED, EventStatus.CLOSED) and moment < e.ends_at \
        and e.admits(member_id, account_id, tier)


def open_to_member(program: str, member_id: str, first: int, after: str | None
                   ) -> tuple[list[Event], Any]:
    """Events the member may see now (published or closed, not over, the member admitted by
    their tier and company as on file), soonest first."""
    member = loyalty_store.get_member(program, member_id) or {}
    account, now = member.get("accountId"), utcnow()
    tier = tier_in_force(program, loyalty_definitions.cached(program), member, now, account)
    return listed(program, first, after,
                  keep=lambda item: visible_to(from_item(item), member_id, account, tier, now))

"""Registering for events: one transaction, one round trip when a seat is free.

A registration is one TransactWriteItems:
  registration  the member's registration: new, or in place of an ended one, never over
                one made with the same idempotency key (that one is the answer)
  seats         a seat taken from one shard (left > 0, not halted); a waitlisted
                registration checks instead that a shard is not halted
  waiting       a waitlisted registration's entry, in acceptance order
  account       the company's active registrations, below the event's limit
  member/entry  the price, from the member's wallet, with its ledger entry

A seat that is given up (cancelled, declined, an offer lapsed) goes straight to the first
in line in the same transaction, confirmed or offered as the event says. Only when nobody
waits does it go back to a shard, and then the waitlist is looked at again (as every new
waitlisted registration looks at the seats again), so a seat and a waiting member never
stay apart.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.events.rules import (
    ACTIVE,
    Event,
    EventStatus,
    RegistrationStatus,
    WaitlistMode,
)
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.principal import Principal
from kado.domain.shards import COMPANY_WALLET_SHARDS, pick_shard
from kado.domain.validation import require_id, require_idempotency_key
from kado.services import budgets
from kado.services.events import definitions as events
from kado.services.kernel.loyalty_definitions import Definitions, WalletMode
from kado.services.kernel.loyalty_definitions import cached as definitions
from kado.services.ledger import holders, movements, optimistic
from kado.services.loyalty import company_wallets
from kado.services.tiers.member_standing import tier_in_force
from kado.store import events as store
from kado.store import ledger as loyalty
from kado.store.kernel import transact
from kado.store.kernel.pages import Page
from kado.store.kernel.transact import Cancelled

S = RegistrationStatus
# How long an instance that saw an event full sends registrations straight to the line.
FULL_HINT_S = 2.0
_full_until: dict[tuple[str, str], float] = {}
# Every retry of a hand-over follows one that another request committed first.
HANDOVER_ATTEMPTS = 64


@dataclass(frozen=True)
class Registration:
    event_id: str
    member_id: str
    status: RegistrationStatus
    accepted_at: datetime
    ticket: str
    position: int | None = None  # in line, while waitlisted
    offer_expires_at: datetime | None = None
    checked_in_at: datetime | None = None
    cost_points: int | None = None


def registration_from(item: dict[str, Any], now: datetime,
                      position: int | None = None) -> Registration:
    """A stored registration as the member sees it now: an offer past its moment has lapsed,
    whether or not the sweeper has passed it on yet."""
    status = S(item["status"])
    expires = parse_iso(item["offerExpiresAt"]) if item.get("offerExpiresAt") else None
    if status is S.OFFERED and expires is not None and now >= expires:
        status = S.OFFER_EXPIRED
    return Registration(item["eventId"], item["memberId"], status,
                        parse_iso(item["acceptedAt"]), item["ticket"], position, expires,
                        parse_iso(item["checkedInAt"]) if item.get("checkedInAt") else None,
                        item.get("costPoints"))


@dataclass
class _Attempt:
    seat_shard: int
    waitlisted: bool = False


def register(principal: Principal, event_id: str, idempotency_key: str) -> Registration:
    require_idempotency_key(idempotency_key)
    program, member_id = principal.program, principal.subject
    e = events.cached(program, event_id)
    now = utcnow()
    if not e.registration_open_at(now):
        earlier = store.get_registration(program, e.id, member_id)
        if earlier is not None and earlier.get("idempotencyKey") == idempotency_key:
            return with_position(program, earlier, now)
        raise DomainError(ErrorCode.REGISTRATION_CLOSED, "registration for this event is "
                          "not open", "eventId")
    account, payer = _admitted(program, e, member_id, now)
    attempt = _Attempt(pick_shard(e.seat_shards()), waitlisted=_seems_full(program, e))
    # What the registration costs the program, taken from its budgets with it (and given
    # back if it ends): refused with BUDGET_EXHAUSTED when a budget cannot pay.
    charges = budgets.charges_or_refuse(program, e.budgets, e.cost, "eventId",
                                        "this registration", f"event:{e.id}")
    accepted, ticket = iso(now), secrets.token_urlsafe(16)
    order = f"{accepted}#{member_id}"

    def plan_for(purse: dict[str, Any], shard: tuple[str, int] | None,
                 part: str) -> optimistic.Plan[Registration]:
        """Pay from `purse` (the member item, or a company wallet shard) as part `part`."""
        status = S.WAITLISTED if attempt.waitlisted else S.CONFIRMED
        values = {"status": status.value, "idempotencyKey": idempotency_key,
                  "acceptedAt": accepted, "order": order, "ticket": ticket,
                  "accountId": account, "costPoints": e.cost_points, "paidBy": payer,
                  "seatShard": None if attempt.waitlisted else attempt.seat_shard,
                  "budgetCharges": budgets.taken(charges) or None}
        parts = {"registration": store.put_registration_part(program, e.id, member_id,
                                                             values, idempotency_key),
                 **budgets.parts(program, charges)}
        if attempt.waitlisted:
            parts |= store.waitlist_join_parts(program, e.id, member_id, order)
            parts["seats"] = store.open_check_part(program, e.id, attempt.seat_shard)
        else:
            parts["seats"] = store.take_seat_part(program, e.id, attempt.seat_shard)
        if account and e.per_account_limit:
            parts["account"] = store.account_part(program, e.id, account, 1,
                                                  e.per_account_limit)
        after: dict[str, dict[str, Any]] = {}
        if e.cost_points:
            paid = _price(program, e, purse, member_id, -e.cost_points, accepted,
                          f"registered for {e.name}", shard)
            parts.update(loyalty.movement_parts(paid, part))
            after[part] = movements.member_after(purse, paid)
        result = Registration(e.id, member_id, status, now, ticket,
                              cost_points=e.cost_points)
        return optimistic.Plan(parts, after, result, spends="eventId" if e.cost_points else None,
                               payer=part)

    def explain(cancelled: Cancelled) -> Registration | None:
        refused = cancelled.failed("registration")
        if refused is not None:
            found = refused.item or store.get_registration(program, e.id, member_id) or {}
            if found.get("idempotencyKey") == idempotency_key:
                return with_position(program, found, now)
            if found.get("status") in ACTIVE:
                raise DomainError(ErrorCode.ALREADY_REGISTERED, "you are registered for this "
                                  "event", "eventId")
            return None  # it ended meanwhile: try again
        if cancelled.failed("account") is not None:
            raise DomainError(ErrorCode.ACCOUNT_LIMIT_REACHED, f"your company may register "
                              f"{e.per_account_limit} for this event", "eventId")
        seats = cancelled.failed("seats")
        if seats is not None:
            _next_seat(program, e, attempt, seats.item)
        nonlocal charges
        charges = budgets.recharged_or_refused(program, cancelled, charges, "eventId",
                                               "this registration")
        return None

    done = _written(program, e, member_id, payer, plan_for, explain,
                    lambda: _earlier(program, e, member_id, idempotency_key, now))
    if done.status is not S.WAITLISTED or done.ticket != ticket:
        return done
    # A seat freed while we joined the line is not lost; if one went to the line, we may
    # be the one who took it.
    if fill_free_seats(program, e, now):
        return with_position(program, store.get_registration(program, e.id, member_id) or {},
                             now)
    return Registration(e.id, member_id, S.WAITLISTED, now, ticket,
                        store.waiting_ahead(program, e.id, order) + 1,
                        cost_points=e.cost_points)


def _admitted(program: str, e: Event, member_id: str, now: datetime
              ) -> tuple[str | None, str | None]:
    """The member's company and the wallet that pays the price (the company's, where the
    program's rewards use it), once the event admits the member; NOT_ELIGIBLE otherwise.
    Judged on the member as stored now, never a remembered copy: another instance may have
    moved the member to another company."""
    d = definitions(program)
    member = (loyalty.get_member(program, member_id) or {}) if _on_file_matters(e, d) \
        else holders.known(program, member_id)
    account = member.get("accountId")
    payer = account if e.cost_points and account and \
        d.settings.wallet is WalletMode.ACCOUNT else None
    if not e.admits(member_id, account, tier_in_force(program, d, member, now, account)):
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "this event is not open to you", "eventId")
    return account, payer


def _written(program: str, e: Event, member_id: str, payer: str | None,
             plan_for: Callable[[dict[str, Any], tuple[str, int] | None, str],
                                optimistic.Plan[Registration]],
             explain: Callable[[Cancelled], Registration | None],
             earlier: Callable[[], Registration | None]) -> Registration:
    """The registration written, its price paid by the company's wallet (`payer`) or the
    member's own."""
    if payer is None:
        return optimistic.commit(program, {"member": member_id},
                                 lambda items: plan_for(items["member"], None, "member"), explain)
    try:
        return company_wallets.spend(
            program, member_id, payer, e.cost_points or 0,
            lambda shard, item, _: plan_for(item, (payer, shard), "wallet"), explain,
            earlier, "eventId")
    except company_wallets.CompanyMoved:  # moved between our read and the spend
        raise DomainError(ErrorCode.BUSY, "your company changed meanwhile; retry with the "
                          "same key", "eventId") from None


def _on_file_matters(e: Event, d: Definitions) -> bool:
    rules = e.eligibility
    company_pays = bool(e.cost_points) and d.settings.wallet is WalletMode.ACCOUNT
    return bool(rules.tiers or rules.account_ids or e.per_account_limit or company_pays)


def _earlier(program: str, e: Event, member_id: str, idempotency_key: str,
             now: datetime) -> Registration | None:
    """This same request's registration, if an earlier attempt of it made one."""
    found = store.get_registration(program, e.id, member_id)
    if found is not None and found.get("idempotencyKey") == idempotency_key:
        return with_position(program, found, now)
    return None


def _next_seat(program: str, e: Event, attempt: _Attempt,
               refused: dict[str, Any] | None) -> None:
    """The shard refused: the event is not open, or that shard ran out (take another, or
    join the line when every shard is out)."""
    if not refused or refused.get(store.HALTED):
        raise DomainError(ErrorCode.REGISTRATION_CLOSED, "registration for this event is "
                          "not open", "eventId")
    if attempt.waitlisted:
        return
    left = [i for i, s in enumerate(store.seats(program, e)) if int(s.get(store.LEFT, 0)) > 0]
    if left:
        attempt.seat_shard = left[secrets.randbelow(len(left))]
    elif e.waitlist.mode is WaitlistMode.OFF:
        raise DomainError(ErrorCode.EVENT_FULL, "this event is full", "eventId")
    else:
        attempt.waitlisted = True
        _full_until[(program, e.id)] = time.monotonic() + FULL_HINT_S


def _seems_full(program: str, e: Event) -> bool:
    """This instance saw every seat taken a moment ago: go straight to the line, and spare
    the seat shards a refused write each (in a flash opening, as many as there are
    registrations). A seat freed meanwhile is never lost to it: every new place in line
    looks at the seats again (fill_free_seats)."""
    return e.waitlist.mode is not WaitlistMode.OFF and \
        _full_until.get((program, e.id), 0.0) > time.monotonic()


def _price(program: str, e: Event, purse: dict[str, Any], member_id: str, delta: int,
           at: str, reason: str, shard: tuple[str, int] | None = None) -> Movement:
    return Movement(program, member_id, loyalty.wallet_of(purse), Entry(
        delta, reason, "EVENT", e.id, member_id, at), expiry=definitions(program).expiry(),
        shard=shard)


def with_position(program: str, item: dict[str, Any], now: datetime) -> Registration:
    if item.get("status") != S.WAITLISTED:
        return registration_from(item, now)
    ahead = store.waiting_ahead(program, item["eventId"], item["order"])
    return registration_from(item, now, ahead + 1)


def in_line_order(items: list[dict[str, Any]], now: datetime) -> list[Registration]:
    """An event's registrations, each WAITLISTED one with its place in line, counted in the
    same list (so the places are 1, 2, 3 ... whatever moved since)."""
    waiting = sorted((i for i in items if i.get("status") == S.WAITLISTED),
                     key=lambda i: i["order"])
    place = {i["memberId"]: n for n, i in enumerate(waiting, start=1)}
    return [registration_from(
        i, now, place.get(i["memberId"]) if i.get("status") == S.WAITLISTED else None)
        for i in items]


def cancel(principal: Principal, event_id: str) -> Registration:
    """The member gives up their registration (or place in line); points come back."""
    e = events.get(principal.program, event_id)
    return end_registration(principal.program, e, principal.subject, S.CANCELLED, utcnow(),
                            "cancelled by the member")


def decline(principal: Principal, event_id: str) -> Registration:
    e = events.get(principal.program, event_id)
    _offered(principal.program, e, principal.subject, utcnow())
    return end_registration(principal.program, e, principal.subject, S.DECLINED, utcnow(),
                            "offer declined")


def accept(principal: Principal, event_id: str) -> Registration:
    """Take the seat held for the member, while the offer stands."""
    program, member_id, now = principal.program, principal.subject, utcnow()
    e = events.get(program, event_id)
    item = _offered(program, e, member_id, now)
    try:
        transact.write({"registration": store.move_registration_part(
            program, e.id, member_id, S.OFFERED.value,
            {"status": S.CONFIRMED.value, "confirmedAt": iso(now)}, ("offerExpiresAt",),
            also={"offerExpiresAt": item["offerExpiresAt"]})})
    except Cancelled:
        raise DomainError(ErrorCode.NO_OFFER, "no seat is offered to you now", "eventId") \
            from None
    return registration_from(store.get_registration(program, e.id, member_id) or {}, now)


def _offered(program: str, e: Event, member_id: str, now: datetime) -> dict[str, Any]:
    """The member's standing offer; a lapsed one is passed on now, and refused."""
    item = store.get_registration(program, e.id, member_id)
    if item is None or item.get("status") != S.OFFERED:
        raise DomainError(ErrorCode.NO_OFFER, "no seat is offered to you", "eventId")
    if registration_from(item, now).status is S.OFFER_EXPIRED:
        end_registration(program, e, member_id, S.OFFER_EXPIRED, now, "the offer lapsed")
        raise DomainError(ErrorCode.NO_OFFER, "the offer lapsed at "
                          f"{item['offerExpiresAt']}", "eventId")
    return item


def end_registration(program: str, e: Event, member_id: str, to: RegistrationStatus, now: datetime,
                     reason: str, hand_over: bool = True) -> Registration:
    """End an active registration: its seat goes to the first in line (or back to a shard),
    its place in line is freed, the company's count drops and the price is refunded, all in
    one transaction. Ending one already ended as `to` answers it again."""
    at = iso(now)
    # A price comes back to the wallet that paid it: the company's, on any of its shards.
    paid_by = (store.get_registration(program, e.id, member_id) or {}).get("paidBy")
    shard = (paid_by, pick_shard(COMPANY_WALLET_SHARDS)) if paid_by else None
    part, holder = ("wallet", holders.shard_holder(*shard)) if shard else ("member", member_id)

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[Registration]:
        reg = store.get_registration(program, e.id, member_id)
        if reg is None or (reg["status"] not in ACTIVE and reg["status"] != to):
            raise DomainError(ErrorCode.NOT_REGISTERED, "you are not registered for this "
                              "event", "eventId")
        if reg["status"] == to:
            return optimistic.Plan({}, {}, registration_from(reg, now))
        if reg["status"] == S.CHECKED_IN and hand_over:  # only a cancelled event undoes one
            raise DomainError(ErrorCode.ALREADY_CHECKED_IN, "already checked in", "eventId")
        was = S(reg["status"])
        parts = {"registration": store.move_registration_part(
            program, e.id, member_id, was.value, {"status": to.value, "endedAt": at,
                                                  "endReason": reason},
            ("offerExpiresAt",), also={"order": reg["order"]})}
        if was is S.WAITLISTED:
            parts |= store.waitlist_leave_parts(program, e.id, member_id, reg["order"])
        else:
            parts |= _seat_parts(program, e, int(reg.get("seatShard") or 0), now, hand_over)
        if reg.get("accountId") and e.per_account_limit:
            parts["account"] = store.account_part(program, e.id, reg["accountId"], -1, None)
        parts |= budgets.refund_parts(program, reg.get("budgetCharges") or [])
        after: dict[str, dict[str, Any]] = {}
        if reg.get("costPoints") and reg.get("paidBy") == paid_by:
            refund = _price(program, e, items[part], member_id, int(reg["costPoints"]),
                            at, f"{e.name}: {reason}", shard)
            parts.update(loyalty.movement_parts(refund, part))
            after[part] = movements.member_after(items[part], refund)
        return optimistic.Plan(parts, after, registration_from({**reg, "status": to.value}, now))

    ended = optimistic.commit(program, {part: holder}, plan_for, lambda _: None,
                              attempts=HANDOVER_ATTEMPTS)
    fill_free_seats(program, e, now)
    return ended


def _seat_parts(program: str, e: Event, seat_shard: int, now: datetime,
                hand_over: bool) -> dict[str, dict[str, Any]]:
    """The freed seat: to the first in line, or back to its shard when nobody waits (or the
    event no longer hands seats over)."""
    head = store.first_waiting(program, e.id) if hand_over and _hands_over(e, now) else None
    if head is None:
        return {"seat": store.return_seat_part(program, e.id, seat_shard)}
    return _promotion(program, e, head, seat_shard, now)


def _hands_over(e: Event, now: datetime) -> bool:
    return e.waitlist.mode is not WaitlistMode.OFF and e.status in (
        EventStatus.PUBLISHED, EventStatus.CLOSED) and now < e.starts_at


def _promotion(program: str, e: Event, head: dict[str, Any], seat_shard: int,
               now: datetime) -> dict[str, dict[str, Any]]:
    """The first in line takes a seat: confirmed, or offered until the hold ends."""
    offer = e.waitlist.mode is WaitlistMode.OFFER
    sets: dict[str, Any] = {"status": (S.OFFERED if offer else S.CONFIRMED).value,
                            "seatShard": seat_shard, "promotedAt": iso(now)}
    if offer:
        sets["offerExpiresAt"] = iso(min(now + e.offer_hold, e.starts_at))
    return {"promoted": store.move_registration_part(program, e.id, head["memberId"],
                                                     S.WAITLISTED.value, sets,
                                                     also={"order": head["order"]}),
            **store.waitlist_leave_parts(program, e.id, head["memberId"], head["order"],
                                         "promotedLeaving")}


def fill_free_seats(program: str, e: Event, now: datetime) -> int:
    """While a shard has a seat and someone waits, the first in line takes it. Returns how
    many were promoted."""
    promoted = 0
    for _ in range(HANDOVER_ATTEMPTS):
        if not _hands_over(e, now):
            return promoted
        free = [i for i, s in enumerate(store.seats(program, e))
                if int(s.get(store.LEFT, 0)) > 0 and not s.get(store.HALTED)]
        head = store.first_waiting(program, e.id) if free else None
        if head is None:
            return promoted
        shard = free[secrets.randbelow(len(free))]
        try:
            transact.write({"seat": store.take_seat_part(program, e.id, shard),
                            **_promotion(program, e, head, shard, now)})
            promoted += 1
        except Cancelled:
            continue  # the seat or the head went to someone else first: look again
    return promoted


def cancel_event(program: str, event_id: str) -> Event:
    """Cancel the event and every registration in it, refunding each. Run again, it goes on
    where an interrupted run stopped."""
    e = events.get(program, event_id)
    if e.status is not EventStatus.CANCELLED:
        e = events.move(program, event_id, EventStatus.CANCELLED)
    now = utcnow()
    for item in store.registrations_of(program, e.id):
        if item["status"] in ACTIVE:
            end_registration(program, e, item["memberId"], S.CANCELLED, now,
                             "the event was cancelled", hand_over=False)
    return e


REMIND_BEFORE = timedelta(hours=24)


def _running(program: str) -> Iterator[Event]:
    """Every published or closed event of a program."""
    running = (EventStatus.PUBLISHED.value, EventStatus.CLOSED.value)
    return (events.from_item(item) for item in store.every_event(program, running))


def sweep_offers(program: str, now: datetime) -> int:
    """Pass on every offer whose hold has ended (a member who tries to accept one is already
    refused: this only moves the seat on). Returns how many were passed on."""
    passed = 0
    for e in _running(program):
        for item in store.registrations_of(program, e.id):
            lapsed = registration_from(item, now).status is S.OFFER_EXPIRED
            if item["status"] == S.OFFERED and lapsed:
                end_registration(program, e, item["memberId"], S.OFFER_EXPIRED, now,
                                 "the offer lapsed")
                passed += 1
    return passed


def remind(program: str, now: datetime) -> int:
    """Mark confirmed registrations of events starting within 24 hours as reminded, once
    each; the outbox publishes each mark as an EventReminder. Returns how many."""
    reminded = 0
    for e in _running(program):
        if not e.starts_at - REMIND_BEFORE <= now < e.starts_at:
            continue
        for item in store.registrations_of(program, e.id):
            if item["status"] != S.CONFIRMED or item.get("remindedAt"):
                continue
            try:
                transact.write({"registration": store.move_registration_part(
                    program, e.id, item["memberId"], S.CONFIRMED.value,
                    {"remindedAt": iso(now)}, also={"ticket": item["ticket"]},
                    absent=("remindedAt",))})
                reminded += 1
            except Cancelled:
                continue  # cancelled meanwhile, or reminded by a parallel run
    return reminded


def member_registrations(program: str, member_id: str, first: int, after: str | None
              ) -> tuple[list[Registration], Page]:
    """A member's registrations, newest first, each waitlisted one with its place."""
    page = store.member_registrations(program, member_id, first, after)
    now = utcnow()
    return [with_position(program, item, now) for item in page.items], page


def event_registrations(program: str, event_id: str) -> list[Registration]:
    """Every registration of an event, places in line counted in the same list."""
    return in_line_order(list(store.registrations_of(program, require_id(event_id, "eventId"))),
                         utcnow())

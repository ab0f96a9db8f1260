"""Events, registrations, the waitlist and check-in, on moto (integration) and DynamoDB
Local (conformance). Times run on a fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kado.domain.errors import ErrorCode
from kado.domain.events.rules import Event, EventEligibility, EventStatus, Waitlist, WaitlistMode
from kado.domain.loyalty.earning import EarningRule
from kado.domain.principal import Principal, Role
from kado.services import members as member_service
from kado.services.events import check_in, registrations
from kado.services.events import definitions as events
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments
from kado.store import events as event_store
from kado.store import ledger as loyalty_store
from tests import support
from tests.scenarios.points_scenarios import (  # noqa: F401 - autouse: a new instance each
    fresh_instance,
    loyal_program,
)
from tests.scenarios.voucher_scenarios import refused
from tests.support import admin, key, member, new_program, till

OPENS = datetime(2026, 12, 1, 9, tzinfo=UTC)
STARTS = datetime(2027, 1, 20, 17, tzinfo=UTC)  # 18:00 in Vienna
DURING = OPENS + timedelta(days=1)


def dealer_night(capacity: int = 3, **more) -> Event:
    return Event(id="dealer-night", name="Dealer night", venue="vienna-hall",
                 starts_at=STARTS, ends_at=STARTS + timedelta(hours=5),
                 timezone="Europe/Vienna", registration_opens_at=OPENS,
                 registration_closes_at=STARTS - timedelta(hours=1), capacity=capacity,
                 **more)


@pytest.fixture
def now(monkeypatch):
    return support.test_clock(monkeypatch, DURING)


def published(program: str | None = None, **more) -> tuple[str, Event]:
    program = program or new_program()
    events.upsert(program, dealer_night(**more))
    return program, events.move(program, "dealer-night", EventStatus.PUBLISHED)


def register(program: str, member_id: str, account: str | None = None, idem: str | None = None):
    """Register `member_id`; with `account`, first as the program places them in it (the
    record decides the company, never the member's token)."""
    if account is not None:
        support.accounts(program, account)
        member_service.upsert_member(program, member_id, account, "STANDARD")
    return registrations.register(member(program, member_id), "dealer-night",
                                  idem or key())


def seated_then_waiting(program: str, now: dict[str, datetime], seated: str,
                        *waiting: str) -> None:
    """One member takes the seat, the others join the line a second apart."""
    register(program, seated)
    for member_id in waiting:
        now["at"] += timedelta(seconds=1)
        register(program, member_id)


def statuses(program: str) -> dict[str, str]:
    return {r["memberId"]: r["status"] for r in event_store.registrations_of(program,
                                                                             "dealer-night")}


def test_registering_confirms_while_seats_last_then_waitlists_in_order(now):
    program, _ = published(capacity=2)
    first = register(program, "ann")
    assert (first.status, first.position) == ("CONFIRMED", None)
    register(program, "bob")
    now["at"] += timedelta(seconds=1)
    carl = register(program, "carl")
    now["at"] += timedelta(seconds=1)
    dora = register(program, "dora")
    assert [(r.status, r.position) for r in (carl, dora)] == [("WAITLISTED", 1),
                                                              ("WAITLISTED", 2)]
    assert events.availability(program, events.get(program, "dealer-night")) == \
        events.Availability(0, 2)


def test_a_retry_answers_the_first_outcome_and_a_second_registration_is_refused(now):
    program, _ = published()
    idem = key()
    first = register(program, "ann", idem=idem)
    again = register(program, "ann", idem=idem)
    assert (again.status, again.ticket) == (first.status, first.ticket)
    refused(ErrorCode.ALREADY_REGISTERED, lambda: register(program, "ann"))
    assert events.availability(program, events.get(program, "dealer-night")).seats_left == 2


def test_cancelling_a_seat_confirms_the_first_in_line(now):
    program, _ = published(capacity=1)
    seated_then_waiting(program, now, "ann", "bob", "carl")
    cancelled = registrations.cancel(member(program, "ann"), "dealer-night")
    assert cancelled.status == "CANCELLED"
    assert statuses(program) == {"ann": "CANCELLED", "bob": "CONFIRMED", "carl": "WAITLISTED"}
    carl = registrations.registration_from(
        event_store.get_registration(program, "dealer-night", "carl"), now["at"])
    assert registrations.with_position(program, event_store.get_registration(
        program, "dealer-night", "carl"), now["at"]).position == 1 and carl.position is None
    again = registrations.cancel(member(program, "ann"), "dealer-night")  # idempotent
    assert again.status == "CANCELLED" and statuses(program)["carl"] == "WAITLISTED"


def test_a_waitlisted_member_leaves_the_line_and_the_others_move_up(now):
    program, _ = published(capacity=1)
    seated_then_waiting(program, now, "ann", "bob", "carl", "dora")
    registrations.cancel(member(program, "bob"), "dealer-night")
    refused(ErrorCode.ALREADY_REGISTERED, lambda: register(program, "dora"))
    item = event_store.get_registration(program, "dealer-night", "dora")
    assert registrations.with_position(program, item, now["at"]).position == 2
    assert event_store.waiting_ahead(program, "dealer-night", None) == 2
    # The counts an events page reads move with the line itself.
    assert events.availability(program, events.get(program, "dealer-night")).waiting == 2


def test_without_a_waitlist_a_full_event_refuses(now):
    program, _ = published(capacity=1, waitlist=Waitlist(WaitlistMode.OFF))
    register(program, "ann")
    refused(ErrorCode.EVENT_FULL, lambda: register(program, "bob"))
    registrations.cancel(member(program, "ann"), "dealer-night")
    assert register(program, "bob").status == "CONFIRMED"  # the seat went back


def test_an_offer_is_held_then_passes_on_when_it_lapses_with_no_job_run(now):
    program, _ = published(capacity=1, waitlist=Waitlist(WaitlistMode.OFFER, 24))
    seated_then_waiting(program, now, "ann", "bob", "carl")
    registrations.cancel(member(program, "ann"), "dealer-night")
    bob = event_store.get_registration(program, "dealer-night", "bob")
    assert bob["status"] == "OFFERED"
    assert bob["offerExpiresAt"] == "2026-12-03T09:00:02.000Z"
    now["at"] = datetime(2026, 12, 3, 9, 0, 2, tzinfo=UTC)  # the hold ends: nothing has run
    assert registrations.registration_from(bob, now["at"]).status == "OFFER_EXPIRED"
    refused(ErrorCode.NO_OFFER, lambda: registrations.accept(member(program, "bob"),
                                                             "dealer-night"))
    assert statuses(program) == {"ann": "CANCELLED", "bob": "OFFER_EXPIRED",
                                 "carl": "OFFERED"}  # the refusal passed the seat on
    carl = registrations.accept(member(program, "carl"), "dealer-night")
    assert carl.status == "CONFIRMED"
    refused(ErrorCode.NO_OFFER, lambda: registrations.accept(member(program, "carl"),
                                                             "dealer-night"))


def test_the_sweeper_passes_lapsed_offers_on_and_a_second_run_does_nothing(now):
    program, _ = published(capacity=1, waitlist=Waitlist(WaitlistMode.OFFER, 2))
    seated_then_waiting(program, now, "ann", "bob", "carl")
    registrations.cancel(member(program, "ann"), "dealer-night")
    later = now["at"] + timedelta(hours=2)
    assert registrations.sweep_offers(program, later - timedelta(seconds=1)) == 0
    assert registrations.sweep_offers(program, later) == 1
    assert registrations.sweep_offers(program, later) == 0
    assert statuses(program)["carl"] == "OFFERED"
    registrations.decline(member(program, "carl"), "dealer-night")
    assert statuses(program)["carl"] == "DECLINED"
    assert events.availability(program, events.get(program, "dealer-night")).seats_left == 1


def test_registration_follows_its_window_and_the_event_status(now):
    program, _ = published()
    now["at"] = OPENS - timedelta(seconds=1)
    refused(ErrorCode.REGISTRATION_CLOSED, lambda: register(program, "ann"))
    now["at"] = OPENS
    idem = key()
    assert register(program, "ann", idem=idem).status == "CONFIRMED"
    now["at"] = STARTS - timedelta(hours=1)  # the window closes
    refused(ErrorCode.REGISTRATION_CLOSED, lambda: register(program, "bob"))
    assert register(program, "ann", idem=idem).status == "CONFIRMED"  # a retry still answers


def test_closing_holds_in_an_instance_that_cached_the_event_open(now):
    program, _ = published()
    register(program, "ann")  # this instance caches the event as published
    events.move(program, "dealer-night", EventStatus.CLOSED)
    events._cache.put((program, "dealer-night"),
                      replace(events.get(program, "dealer-night"), status=EventStatus.PUBLISHED))
    refused(ErrorCode.REGISTRATION_CLOSED, lambda: register(program, "bob"))
    events.move(program, "dealer-night", EventStatus.PUBLISHED)
    assert register(program, "bob").status == "CONFIRMED"


def test_a_company_limit_counts_active_registrations(now):
    program, _ = published(capacity=5, per_account_limit=2)
    register(program, "ann", "acme")
    register(program, "bob", "acme")
    refused(ErrorCode.ACCOUNT_LIMIT_REACHED, lambda: register(program, "carl", "acme"))
    assert register(program, "dora", "globex").status == "CONFIRMED"
    registrations.cancel(member(program, "bob"), "dealer-night")
    assert register(program, "carl", "acme").status == "CONFIRMED"


def test_eligibility_by_tier_company_and_member(now):
    program = loyal_program()
    member_service.upsert_member(program, "gold-ann", None, "gold")
    _, e = published(program, eligibility=EventEligibility(tiers=("gold",)))
    support.accounts(program, "acme")
    refused(ErrorCode.NOT_ELIGIBLE, lambda: register(program, "bob"))
    events.upsert(program, replace(e, eligibility=EventEligibility(account_ids=("acme",))))
    refused(ErrorCode.NOT_ELIGIBLE, lambda: register(program, "bob", "globex"))
    assert register(program, "bob", "acme").status == "CONFIRMED"


def test_a_price_in_points_is_taken_once_and_refunded_on_cancel(now):
    program, _ = published(cost_points=100)
    member_service.upsert_member(program, "ann", None, "STANDARD")
    adjustments.adjust(admin(program), "ann", 150, "welcome", "adj-welcome-01")
    idem = key()
    register(program, "ann", idem=idem)
    register(program, "ann", idem=idem)
    assert loyalty_store.wallet_of(loyalty_store.get_member(program, "ann") or {}).balance == 50
    refused(ErrorCode.INSUFFICIENT_POINTS, lambda: register(program, "bob"))
    registrations.cancel(member(program, "ann"), "dealer-night")
    assert loyalty_store.wallet_of(loyalty_store.get_member(program, "ann") or {}).balance == 150


def test_cancelling_the_event_cancels_everyone_and_refunds_once(now):
    program, _ = published(capacity=1, cost_points=10)
    for who in ("ann", "bob"):
        member_service.upsert_member(program, who, None, "STANDARD")
        adjustments.adjust(admin(program), who, 10, "welcome", f"adj-{who}-000001")
        register(program, who)
    registrations.cancel_event(program, "dealer-night")
    registrations.cancel_event(program, "dealer-night")  # run again: nothing more
    assert statuses(program) == {"ann": "CANCELLED", "bob": "CANCELLED"}
    for who in ("ann", "bob"):
        wallet = loyalty_store.wallet_of(loyalty_store.get_member(program, who) or {})
        assert wallet.balance == 10
    refused(ErrorCode.INVALID_TRANSITION,
            lambda: events.move(program, "dealer-night", EventStatus.PUBLISHED))


def test_published_terms_are_fixed_but_texts_may_change(now):
    program, e = published()
    refused(ErrorCode.INVALID_TRANSITION, lambda: events.upsert(program, replace(e, capacity=9)))
    renamed = events.upsert(program, replace(e, name="Dealer night 2027"))
    assert (renamed.name, renamed.status) == ("Dealer night 2027", EventStatus.PUBLISHED)
    refused(ErrorCode.INVALID_INPUT, lambda: events.upsert(program, replace(
        e, id="late", registration_closes_at=e.ends_at + timedelta(hours=1))))


def _ticket(program: str, member_id: str) -> str:
    item = event_store.get_registration(program, "dealer-night", member_id) or {}
    return check_in.ticket_payload(program, "dealer-night", member_id, item["ticket"])


def test_check_in_once_at_the_door_and_attendance_earns(now):
    program = loyal_program(ladder=None)
    loyalty_definitions.upsert_rule(program, EarningRule("attend", "Attend", "EVENT_ATTENDED",
                                                         fixed_points=200))
    published(program)
    register(program, "ann")
    now["at"] = datetime(2027, 1, 20, 17, 2, tzinfo=UTC)  # 18:02 in Vienna
    door = till(program)
    first_key = key()
    done = check_in.check_in(door, "dealer-night", _ticket(program, "ann"), first_key)
    assert done.checked_in_at == now["at"]
    now["at"] += timedelta(minutes=5)
    again = check_in.check_in(door, "dealer-night", _ticket(program, "ann"), first_key)
    assert again.checked_in_at == done.checked_in_at
    second = refused(ErrorCode.ALREADY_CHECKED_IN, lambda: check_in.check_in(
        door, "dealer-night", _ticket(program, "ann"), key()))
    assert "18:02" in second.message
    assert loyalty_store.wallet_of(loyalty_store.get_member(program, "ann") or {}).balance == 200


def test_the_door_opens_two_hours_before_the_start_and_closes_at_the_end(now):
    program, _ = published()
    register(program, "ann")
    door, ann = till(program), _ticket(program, "ann")
    for moment in (STARTS - timedelta(days=7), STARTS - timedelta(hours=2, seconds=1),
                   STARTS + timedelta(hours=5)):
        now["at"] = moment
        refused(ErrorCode.CHECK_IN_CLOSED, lambda: check_in.check_in(door, "dealer-night",
                                                                     ann, key()))
    assert (event_store.get_registration(program, "dealer-night", "ann") or {})[
        "status"] == "CONFIRMED"
    now["at"] = STARTS - timedelta(hours=2)
    assert check_in.check_in(door, "dealer-night", ann, key()).member_id == "ann"


def test_the_door_refuses_what_it_must(now):
    program, _ = published(capacity=1)
    register(program, "ann")
    now["at"] += timedelta(seconds=1)
    register(program, "bob")  # waitlisted
    door = till(program)
    bob_ticket = _ticket(program, "bob")
    refused(ErrorCode.NOT_CONFIRMED, lambda: check_in.check_in(door, "dealer-night", bob_ticket,
                                                               key()))
    ann = _ticket(program, "ann")
    forged = ann[:-4] + ("0000" if not ann.endswith("0000") else "1111")
    refused(ErrorCode.INVALID_CODE, lambda: check_in.check_in(door, "dealer-night", forged, key()))
    events.upsert(program, replace(dealer_night(), id="other-night"))
    refused(ErrorCode.WRONG_EVENT, lambda: check_in.check_in(door, "other-night", ann, key()))
    now["at"] = STARTS - timedelta(hours=1)  # the door is open
    elsewhere = Principal(Role.STAFF, program, "door-1", venue="graz-hall")
    refused(ErrorCode.FORBIDDEN, lambda: check_in.check_in(elsewhere, "dealer-night", ann, key()))
    registrations.cancel(member(program, "ann"), "dealer-night")
    refused(ErrorCode.NOT_CONFIRMED, lambda: check_in.check_in(door, "dealer-night", ann, key()))
    here = Principal(Role.STAFF, program, "door-2", venue="vienna-hall")
    bob_ticket = _ticket(program, "bob")  # bob took ann's seat
    assert check_in.check_in(here, "dealer-night", bob_ticket, key()).member_id == "bob"


def test_reminders_are_marked_once_from_24_hours_before_the_start(now):
    program, _ = published()
    register(program, "ann")
    register(program, "bob")
    registrations.cancel(member(program, "bob"), "dealer-night")
    assert registrations.remind(program, STARTS - timedelta(hours=24, seconds=1)) == 0
    assert registrations.remind(program, STARTS - timedelta(hours=24)) == 1  # ann only
    assert registrations.remind(program, STARTS - timedelta(hours=2)) == 0
    ann = event_store.get_registration(program, "dealer-night", "ann") or {}
    assert ann["remindedAt"] == "2027-01-19T17:00:00.000Z"
    assert registrations.remind(program, STARTS) == 0  # started: no reminder any more

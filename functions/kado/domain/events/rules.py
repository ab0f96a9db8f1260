"""Events members register for: capacity, a company limit, eligibility and a waitlist."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from kado.domain.budgets import MAX_AMOUNT, BudgetLink, link_problems
from kado.domain.calendar import is_timezone
from kado.domain.eligibility import Audience
from kado.domain.errors import ValidationFailed
from kado.domain.shards import TARGET_WRITES_PER_S
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, is_id

MAX_CAPACITY = 100_000
MAX_DESCRIPTION = 2_000
MAX_OFFER_HOLD_HOURS = 24 * 14
# A flash opening: the registrations a second one event must absorb.
FLASH_REGISTRATIONS_PER_S = 2_000
# Seats and the waitlist are split so no item takes more than the target write rate.
MAX_SEAT_SHARDS = math.ceil(FLASH_REGISTRATIONS_PER_S / TARGET_WRITES_PER_S)
WAITLIST_SHARDS = MAX_SEAT_SHARDS


class EventStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"  # members see it; registration follows its window
    CLOSED = "CLOSED"  # no new registrations; cancellations and check-in go on
    CANCELLED = "CANCELLED"  # every registration cancelled, points refunded
    DONE = "DONE"


# Which status each may move to.
MOVES = {
    EventStatus.DRAFT: {EventStatus.PUBLISHED, EventStatus.CANCELLED},
    EventStatus.PUBLISHED: {EventStatus.CLOSED, EventStatus.CANCELLED, EventStatus.DONE},
    EventStatus.CLOSED: {EventStatus.PUBLISHED, EventStatus.CANCELLED, EventStatus.DONE},
    EventStatus.CANCELLED: set(),
    EventStatus.DONE: set(),
}


class WaitlistMode(StrEnum):
    OFF = "OFF"  # a full event refuses (EVENT_FULL)
    AUTO_CONFIRM = "AUTO_CONFIRM"  # a freed seat confirms the first in line at once
    OFFER = "OFFER"  # a freed seat is offered to the first in line, held offerHoldHours


class RegistrationStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    WAITLISTED = "WAITLISTED"
    OFFERED = "OFFERED"  # a seat is held for the member until offerExpiresAt
    CHECKED_IN = "CHECKED_IN"
    CANCELLED = "CANCELLED"
    DECLINED = "DECLINED"  # an offer the member turned down
    OFFER_EXPIRED = "OFFER_EXPIRED"


ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
          RegistrationStatus.OFFERED, RegistrationStatus.CHECKED_IN)
HOLDS_SEAT = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED,
              RegistrationStatus.CHECKED_IN)
# Who carries a ticket to the door: an offered seat holds a seat but is not yet the
# member's (they may decline), so it shows no ticket until accepted.
TICKETED = (RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN)


@dataclass(frozen=True)
class Waitlist:
    mode: WaitlistMode = WaitlistMode.AUTO_CONFIRM
    offer_hold_hours: int = 24


EventEligibility = Audience  # tiers, companies, members


DEFAULT_CHECK_IN_MINUTES = 120
MAX_CHECK_IN_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class Event:
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
    per_account_limit: int | None = None
    eligibility: EventEligibility = field(default_factory=EventEligibility)
    waitlist: Waitlist = field(default_factory=Waitlist)
    cost_points: int | None = None
    status: EventStatus = EventStatus.DRAFT
    # What each registration costs the program (minor units), and the budgets that pay it:
    # taken when a registration is made, given back when it ends.
    cost: int = 0
    budgets: tuple[BudgetLink, ...] = ()
    # The door opens this long before the start and closes at the end: a ticket scanned a
    # week early earns no attendance.
    check_in_opens_minutes_before: int = DEFAULT_CHECK_IN_MINUTES

    def check_in_open_at(self, now: datetime) -> bool:
        opens = self.starts_at - timedelta(minutes=self.check_in_opens_minutes_before)
        return opens <= now < self.ends_at

    def registration_open_at(self, now: datetime) -> bool:
        return self.status is EventStatus.PUBLISHED and \
            self.registration_opens_at <= now < self.registration_closes_at

    def seat_shards(self) -> int:
        """Every shard holds at least one seat."""
        return max(1, min(self.capacity, MAX_SEAT_SHARDS))

    @property
    def offer_hold(self) -> timedelta:
        return timedelta(hours=self.waitlist.offer_hold_hours)

    def admits(self, member_id: str, account_id: str | None, tier: str) -> bool:
        return self.eligibility.admits(member_id, account_id, tier)


def validate(e: Event) -> None:
    problems: list[tuple[str, str]] = []
    if not is_id(e.id):
        problems.append(("id", ID_RULE))
    for name, text, limit in (("name", e.name, MAX_NAME_TEXT), ("venue", e.venue, MAX_NAME_TEXT)):
        if not text.strip() or len(text) > limit:
            problems.append((name, f"must be 1-{limit} characters"))
    if len(e.description) > MAX_DESCRIPTION:
        problems.append(("description", f"at most {MAX_DESCRIPTION} characters"))
    if not is_timezone(e.timezone):
        problems.append(("timezone", "must be an IANA timezone such as Europe/Vienna"))
    if e.ends_at <= e.starts_at:
        problems.append(("endsAt", "must be after startsAt"))
    if e.registration_closes_at <= e.registration_opens_at:
        problems.append(("registrationClosesAt", "must be after registrationOpensAt"))
    if e.registration_closes_at > e.ends_at:
        problems.append(("registrationClosesAt", "must be no later than endsAt"))
    if not 1 <= e.capacity <= MAX_CAPACITY:
        problems.append(("capacity", f"must be 1-{MAX_CAPACITY}"))
    if e.per_account_limit is not None and not 1 <= e.per_account_limit <= e.capacity:
        problems.append(("perAccountLimit", "must be 1 to the capacity, or omitted"))
    if e.cost_points is not None and not 1 <= e.cost_points <= 10**9:
        problems.append(("costPoints", "must be a positive number of points, or omitted"))
    if not 0 <= e.cost <= MAX_AMOUNT:
        problems.append(("cost", f"0 to {MAX_AMOUNT} minor units"))
    problems += link_problems(e.budgets)
    if not 0 <= e.check_in_opens_minutes_before <= MAX_CHECK_IN_MINUTES:
        problems.append(("checkInOpensMinutesBefore", f"must be 0-{MAX_CHECK_IN_MINUTES}"))
    if not 1 <= e.waitlist.offer_hold_hours <= MAX_OFFER_HOLD_HOURS:
        problems.append(("waitlist.offerHoldHours", f"must be 1-{MAX_OFFER_HOLD_HOURS}"))
    for name, ids in (("eligibility.tiers", e.eligibility.tiers),
                      ("eligibility.accountIds", e.eligibility.account_ids),
                      ("eligibility.memberIds", e.eligibility.member_ids)):
        if len(ids) > 100 or not all(is_id(i) for i in ids):
            problems.append((name, f"at most 100 ids; {ID_RULE}"))
    if problems:
        raise ValidationFailed(problems)

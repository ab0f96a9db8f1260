"""Budgets in money that no interleaving of awards can overrun.

A budget is an amount of money in one currency, in that currency's minor units (ISO 4217:
VND has none, THB and EUR two), for the whole life of what it pays for or for each day,
week or month in its time zone. A campaign names the budgets that pay for its prizes,
each with the percentage it pays (a brand 70 %, its distributor 30 %: co-marketing); a
prize names what it costs. Every budget an award falls under is debited **in the award's
own transaction**, each debit conditioned on its shard holding at least that share, so
two awards can never both spend the last of it (docs/adr/0009-budgets-debited-in-the-award.md).

A period's money is split over shards as stock and wallets are, so a budget absorbs a
flash campaign with no hot item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kado.domain.calendar import is_timezone
from kado.domain.errors import ValidationFailed
from kado.domain.shards import split_stock
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, is_id

CURRENCY = re.compile(r"[A-Z]{3}")
# An amount is a JSON number a browser reads exactly (2^53 - 1): 9 quadrillion đồng.
MAX_AMOUNT = 2**53 - 1
# One shard takes at most 1,000 writes a second; 32 shards carry 10,000 awards a second at
# under 500 writes a second on the busiest.
MAX_SHARDS = 32
THRESHOLDS = (50, 80, 100)  # percent of a period's amount spent: one alert each
MAX_LINKS = 3  # budgets a campaign draws on: its own, and up to two sponsors' shares


class Period(StrEnum):
    LIFETIME = "LIFETIME"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"


class BudgetStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"  # nothing more is debited; what was spent stays spent


@dataclass(frozen=True)
class Budget:
    id: str
    name: str
    currency: str
    amount: int  # per period, in minor units
    period: Period = Period.LIFETIME
    timezone: str = "UTC"
    shards: int = 1
    sponsor: str | None = None  # who pays: the brand, a distributor (None: the program)
    status: BudgetStatus = BudgetStatus.OPEN
    version: int = 0

    def period_key(self, moment: datetime) -> str:
        """The period an award at `moment` is debited in, in the budget's time zone."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        if self.period is Period.DAY:
            return local.date().isoformat()
        if self.period is Period.WEEK:
            year, week, _ = local.isocalendar()
            return f"{year}-W{week:02d}"
        if self.period is Period.MONTH:
            return local.strftime("%Y-%m")
        return "LIFETIME"

    def next_period_key(self, moment: datetime) -> str | None:
        """The period after `moment`'s (None for a budget of one lifetime)."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.period is Period.DAY:
            return self.period_key(start + timedelta(days=1, hours=12))
        if self.period is Period.WEEK:
            return self.period_key(start + timedelta(days=7 - local.weekday(), hours=12))
        if self.period is Period.MONTH:
            return self.period_key(start.replace(day=1) + timedelta(days=32))
        return None

    def period_keys(self, start: datetime, end: datetime) -> list[str]:
        """Every period from `start`'s to `end`'s, in order (one for a lifetime budget)."""
        keys, moment = [self.period_key(start)], start
        while True:
            following = self.next_period_key(moment)
            if following is None or following > self.period_key(end):
                return keys
            keys.append(following)
            moment = self._start_of_next(moment)

    def _start_of_next(self, moment: datetime) -> datetime:
        """A moment inside the period after `moment`'s (noon, clear of DST edges)."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        start = local.replace(hour=12, minute=0, second=0, microsecond=0)
        if self.period is Period.DAY:
            return start + timedelta(days=1)
        if self.period is Period.WEEK:
            return start + timedelta(days=7 - local.weekday())
        return start.replace(day=1) + timedelta(days=32)

    def shares(self, amount: int | None = None) -> list[int]:
        """A period's money over the shards (earlier shards take the remainder)."""
        return split_stock(self.amount if amount is None else amount, self.shards)


@dataclass(frozen=True)
class BudgetLink:
    """A budget a campaign's prizes are paid from, and the percentage it pays."""

    budget_id: str
    percent: int = 100


def share_of(cost: int, percent: int) -> int:
    """A payer's part of a cost, rounded up: shares that add to 100 % never pay less
    than the cost, so no budget is charged less than its part."""
    return -(-cost * percent // 100)


def crossed(amount: int, spent_before: int, spent_after: int) -> list[int]:
    """The thresholds (percent) a period crossed going from one spent to another."""
    if amount <= 0:
        return []
    return [p for p in THRESHOLDS if spent_before * 100 < p * amount <= spent_after * 100]


def reached(amount: int, spent: int) -> list[int]:
    """Every threshold a period's spending has reached."""
    return crossed(amount, -1, spent) if amount > 0 else []


def validate(b: Budget) -> None:
    problems: list[tuple[str, str]] = []
    if not is_id(b.id):
        problems.append(("id", ID_RULE))
    if not b.name.strip() or len(b.name) > MAX_NAME_TEXT:
        problems.append(("name", f"must be 1-{MAX_NAME_TEXT} characters"))
    if b.sponsor is not None and not is_id(b.sponsor):
        problems.append(("sponsor", ID_RULE))
    if not CURRENCY.fullmatch(b.currency):
        problems.append(("currency", "an ISO 4217 code in capitals: VND, THB, EUR"))
    if not 0 <= b.amount <= MAX_AMOUNT:
        problems.append(("amount", f"0 to {MAX_AMOUNT} minor units"))
    if not is_timezone(b.timezone):
        problems.append(("timezone", "an IANA time zone, such as Asia/Ho_Chi_Minh"))
    if not 1 <= b.shards <= MAX_SHARDS:
        problems.append(("shards", f"1 to {MAX_SHARDS}"))
    if problems:
        raise ValidationFailed(problems)


def link_problems(links: tuple[BudgetLink, ...]) -> list[tuple[str, str]]:
    """A campaign's budgets: each named once, each paying 1-100 %, sponsors' shares adding
    up to at most 100 % (a budget of 100 % beside sponsors is the campaign's own cap)."""
    problems: list[tuple[str, str]] = []
    if len(links) > MAX_LINKS:
        problems.append(("budgets", f"at most {MAX_LINKS} budgets"))
    seen: set[str] = set()
    for i, link in enumerate(links):
        if not is_id(link.budget_id) or link.budget_id in seen:
            problems.append((f"budgets[{i}].budgetId", "a budget's id, once"))
        seen.add(link.budget_id)
        if not 1 <= link.percent <= 100:
            problems.append((f"budgets[{i}].percent", "1 to 100"))
    if sum(link.percent for link in links if link.percent < 100) > 100:
        problems.append(("budgets", "the shares of a cost add up to at most 100 %"))
    return problems

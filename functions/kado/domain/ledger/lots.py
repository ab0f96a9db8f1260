"""Points that expire: lots by the month they expire in, spent oldest first.

Points earned in a month expire at the end of the month `months` later (in the program's
timezone), so a member holds at most `months + 1` lots, however often they earn. Points
the lots do not cover (earned before expiry was switched on) never expire; a balance below
zero (a return that took back points already spent) is a debt that new points repay first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Lots = dict[str, int]  # "YYYY-MM" (the month they expire at the end of) -> points


@dataclass(frozen=True)
class ExpiryRule:
    months: int
    timezone: str

    def month_of(self, moment: datetime) -> str:
        local = moment.astimezone(ZoneInfo(self.timezone))
        return f"{local.year:04d}-{local.month:02d}"

    def lapses_at(self, month: str) -> datetime:
        """The moment a lot of `month` lapses: the next month's first midnight, locally."""
        year, number = int(month[:4]), int(month[5:])
        return datetime(year + number // 12, number % 12 + 1, 1,
                        tzinfo=ZoneInfo(self.timezone)).astimezone(UTC)

    def expiry_month(self, earned_at: datetime) -> str:
        local = earned_at.astimezone(ZoneInfo(self.timezone))
        index = local.year * 12 + local.month - 1 + self.months
        return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class Settled:
    lots: Lots
    expired: int  # points that lapsed since the holder was last written
    balance: int


def settle(rule: ExpiryRule, lots: Lots, balance: int, delta: int, at: datetime,
           arriving: Lots | None = None) -> Settled:
    """The holder after `delta` moves at `at`: expired lots dropped first, then earnings
    repay any debt and go into their lot (or, for a transfer, keep the months they
    `arriving` with), or spending takes the oldest lots first."""
    month = rule.month_of(at)
    kept = {m: p for m, p in lots.items() if m >= month and p > 0}
    expired = sum(p for m, p in lots.items() if m < month and p > 0)
    balance -= expired
    if delta > 0:
        incoming = dict(arriving) if arriving else {rule.expiry_month(at): delta}
        incoming = _take(incoming, min(delta, max(0, -balance)))  # a debt is repaid first
        for m, p in incoming.items():
            kept[m] = kept.get(m, 0) + p
    elif delta < 0:
        kept = _take(kept, -delta)
    return Settled(kept, expired, balance + delta)


def oldest(lots: Lots, amount: int) -> Lots:
    """The oldest `amount` points of `lots` (what a spend of `amount` would take)."""
    kept = _take(lots, amount)
    return {m: p - kept.get(m, 0) for m, p in lots.items() if p - kept.get(m, 0) > 0}


def _take(lots: Lots, amount: int) -> Lots:
    """`lots` less `amount`, taken from the oldest first."""
    left = dict(lots)
    for m in sorted(left):
        taken = min(amount, left[m])
        left[m] -= taken
        amount -= taken
    return {m: p for m, p in left.items() if p > 0}


"""Company-to-company referrals: the program's terms and a referral's life.

PENDING (registered) -> QUALIFIED (the referred company's first purchase of at least
`min_purchase` within `within_days`; the referred member is rewarded) -> REWARDED (the
advocate, once `hold_days` passed without the purchase being returned), or EXPIRED (no
such purchase in time) or REJECTED (the purchase was returned within the hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kado.domain.errors import ValidationFailed


class ReferralStatus(StrEnum):
    PENDING = "PENDING"
    QUALIFIED = "QUALIFIED"
    REWARDED = "REWARDED"
    EXPIRED = "EXPIRED"
    REJECTED = "REJECTED"


@dataclass(frozen=True)
class ReferralTerms:
    min_purchase: int  # minor units
    within_days: int
    hold_days: int
    advocate_points: int
    referred_points: int
    cap_per_month: int  # referrals one advocate may register in a calendar month (UTC)

    def deadline(self, registered_at: datetime) -> datetime:
        return registered_at + timedelta(days=self.within_days)

    def due(self, qualified_at: datetime) -> datetime:
        return qualified_at + timedelta(days=self.hold_days)


def status_at(stored: str, deadline: datetime, now: datetime) -> ReferralStatus:
    """A pending referral past its deadline has expired, whether or not a job ran."""
    status = ReferralStatus(stored)
    if status is ReferralStatus.PENDING and now >= deadline:
        return ReferralStatus.EXPIRED
    return status


def validate(t: ReferralTerms) -> None:
    problems = [(name, "must be 0 or more") for name, value in (
        ("minPurchase", t.min_purchase), ("holdDays", t.hold_days),
        ("advocatePoints", t.advocate_points), ("referredPoints", t.referred_points))
        if value < 0]
    if not 1 <= t.within_days <= 366:
        problems.append(("withinDays", "1-366 days"))
    if not 1 <= t.cap_per_month <= 1000:
        problems.append(("capPerMonth", "1-1000 referrals"))
    if problems:
        raise ValidationFailed(problems)

"""GraphQL types for points and tiers, shared by the member and admin schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from kado.api.kernel.connections import Connection
from kado.api.kernel.errors import UserError
from kado.api.kernel.translations import Translated, translated
from kado.domain.calendar import parse_iso, utcnow
from kado.domain.ledger.movements import Wallet
from kado.domain.loyalty import rewards
from kado.domain.translations import Subject
from kado.services.loyalty import rewards as reward_service
from kado.services.loyalty import statements
from kado.services.tiers import company_standing
from kado.services.tiers import member_standing as standing


@strawberry.type
class ExpiringPoints:
    month: str = strawberry.field(description="They lapse at the end of this month.")
    points: int


@strawberry.type
class PointsBalance:
    balance: int = strawberry.field(description="Spendable now; negative after a return "
                                                "took back points already spent.")
    lifetime_earned: int
    expiring: list[ExpiringPoints] = strawberry.field(
        description="When points expire: the schedule, soonest first.")
    pending: int = strawberry.field(
        description="Part of the balance not spendable yet (inside a return window).")

    @classmethod
    def of(cls, wallet: Wallet, expiring: list[tuple[str, int]] | None = None,
           pending: int = 0) -> PointsBalance:
        return cls(balance=wallet.balance, lifetime_earned=wallet.earned,
                   expiring=[ExpiringPoints(month=m, points=p) for m, p in expiring or []],
                   pending=pending)


@strawberry.type
class TierChange:
    tier: str
    previous: str
    period: str = strawberry.field(description="The period it was reached in, or "
                                               "lapse-<moment> for a lapse.")
    at: datetime
    reason: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> TierChange:
        return cls(tier=item["tier"], previous=item["previous"], period=item["period"],
                   at=parse_iso(item["at"]), reason=item["reason"])


@strawberry.type(description="A company's tier, climbed on all its members' activity (a "
                             "ladder with level ACCOUNT); its members take it.")
class CompanyStanding:
    account_id: str
    tier: str
    tier_progress: TierProgress | None
    program: strawberry.Private[str]

    @classmethod
    def of(cls, program: str, account_id: str) -> CompanyStanding:
        tier, progress = standing.company(program, account_id, utcnow())
        return cls(account_id=account_id, tier=tier, tier_progress=TierProgress.of(progress),
                   program=program)

    @strawberry.field(description="The company's tier changes, newest first.")
    def tier_changes(self, first: int = 20,
                     after: str | None = None) -> Connection[TierChange]:
        page = company_standing.changes_page(self.program, self.account_id, first, after)
        return Connection.of([TierChange.of(i) for i in page.items], page)


@strawberry.type
class TierProgress:
    metric: str
    period: str
    period_ends_at: datetime
    value: int
    next_tier: str | None
    needed: int | None = strawberry.field(description="More of the metric this period to "
                                                      "reach nextTier.")
    tier_until: datetime | None = strawberry.field(
        description="When the tier in force lapses unless earned again this period.")

    @classmethod
    def of(cls, p: standing.Progress | None) -> TierProgress | None:
        if p is None:
            return None
        return cls(metric=p.metric, period=p.period, period_ends_at=p.period_ends_at,
                   value=p.value, next_tier=p.next_tier, needed=p.needed,
                   tier_until=p.tier_until)


@strawberry.type
class PointsEntry:
    seq: int
    at: datetime
    delta: int
    balance_after: int
    reason: str
    source: str
    source_ref: str
    actor: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> PointsEntry:
        return cls(seq=item["seq"], at=parse_iso(item["at"]),
                   delta=item["delta"], balance_after=item["balanceAfter"],
                   reason=item["reason"], source=item["source"], source_ref=item["sourceRef"],
                   actor=item["actor"])


@strawberry.type
class Reward(Translated):
    id: str
    cost_points: int
    kind: str

    @classmethod
    def of(cls, r: rewards.Reward) -> Reward:
        return cls(id=r.id, **translated(Subject.REWARD, r.id, r.name),
                   cost_points=r.cost_points, kind=r.kind.value)


@strawberry.input
class RedeemRewardInput:
    reward_id: str
    idempotency_key: str


@strawberry.type
class RewardRedemption:
    reward_id: str
    cost_points: int
    balance_after: int
    redeemed_at: datetime
    voucher_id: str | None

    @classmethod
    def of(cls, r: reward_service.RewardRedemption) -> RewardRedemption:
        return cls(reward_id=r.reward_id, cost_points=r.cost_points,
                   balance_after=r.balance_after, redeemed_at=parse_iso(r.redeemed_at),
                   voucher_id=r.voucher_id)


@strawberry.type
class RedeemRewardPayload:
    redemption: RewardRedemption | None
    errors: list[UserError]


@strawberry.type
class Statement:
    period: str
    starts_at: datetime
    ends_at: datetime
    opening_balance: int
    earned: int = strawberry.field(description="Points earned by activities in the period.")
    spent: int = strawberry.field(description="Points spent on rewards and paid spins.")
    returned: int = strawberry.field(description="Points taken back by returns.")
    adjusted: int = strawberry.field(description="Admin adjustments, net.")
    expired: int = strawberry.field(description="Points that lapsed in the period.")
    expiring_in_30_days: int
    expiring_in_60_days: int
    expiring_in_90_days: int
    closing_balance: int
    tier: str
    tier_progress: TierProgress | None
    entries: list[PointsEntry] = strawberry.field(description="Newest first, at most 100.")
    more_entries: bool

    @classmethod
    def of(cls, s: statements.Statement) -> Statement:
        return cls(period=s.period.name, starts_at=s.period.starts_at,
                   ends_at=s.period.ends_at, opening_balance=s.opening_balance,
                   earned=s.earned, spent=s.spent, returned=s.returned, adjusted=s.adjusted,
                   expired=s.expired, expiring_in_30_days=s.expiring_within[30],
                   expiring_in_60_days=s.expiring_within[60],
                   expiring_in_90_days=s.expiring_within[90],
                   closing_balance=s.closing_balance, tier=s.standing.tier,
                   tier_progress=TierProgress.of(s.standing.progress),
                   entries=[PointsEntry.of(e) for e in s.lines], more_entries=s.more_lines)

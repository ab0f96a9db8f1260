"""A member's points: the ledger, statements, the rewards open to them, and spending."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import answered
from kado.api.loyalty.points import (
    PointsEntry,
    RedeemRewardInput,
    RedeemRewardPayload,
    Reward,
    RewardRedemption,
    Statement,
)
from kado.services.loyalty import rewards as reward_service
from kado.services.loyalty import statements
from kado.services.tiers import member_standing as standing_service

MemberInfo = Info[Context, None]


@strawberry.type
class MemberLoyaltyQuery:
    """The member's points ledger, statements and rewards."""

    @strawberry.field(description="The member's points ledger, newest first.")
    def points_ledger(self, info: MemberInfo, first: int = 20,
                      after: str | None = None) -> Connection[PointsEntry]:
        principal = info.context.principal
        page = standing_service.ledger_page(principal.program, principal.subject, first, after)
        return Connection.of([PointsEntry.of(i) for i in page.items], page)

    @strawberry.field(description="Points statement for a period: a year (2026), quarter "
                      "(2026-Q4) or month (2026-11), in the ladder's timezone.")
    def statement(self, info: MemberInfo, period: str) -> Statement:
        principal = info.context.principal
        return Statement.of(statements.statement_for(principal.program, principal.subject, period))

    @strawberry.field(description="Rewards open to the member's tier and company now.")
    def rewards(self, info: MemberInfo) -> list[Reward]:
        return [Reward.of(r) for r in reward_service.catalogue(info.context.principal)]


@strawberry.type
class MemberLoyaltyMutation:
    """Spending points on a reward."""

    @strawberry.mutation(description="Spend points on a reward: one transaction. A retry "
                                     "with the same key returns the first outcome.")
    def redeem_reward(self, info: MemberInfo, input: RedeemRewardInput) -> RedeemRewardPayload:
        return answered(RedeemRewardPayload, "redemption", RewardRedemption.of,
                        lambda: reward_service.redeem(info.context.principal, input.reward_id,
                                                      input.idempotency_key))

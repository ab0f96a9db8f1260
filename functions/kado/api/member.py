"""The member API: what partner mobile apps call on behalf of a signed-in member."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.app import build_schema
from kado.api.context import Context
from kado.api.errors import UserError, attempt
from kado.api.events import MemberEventsMutation, MemberEventsQuery
from kado.api.points import (
    CompanyStanding,
    PointsBalance,
    PointsEntry,
    RedeemRewardInput,
    RedeemRewardPayload,
    Reward,
    RewardRedemption,
    Statement,
    TierProgress,
)
from kado.api.quests import MemberQuestsMutation, MemberQuestsQuery
from kado.api.referrals import MemberReferralsQuery
from kado.api.surveys import MemberSurveysMutation, MemberSurveysQuery
from kado.api.types import Connection, PublicCampaign, Spin
from kado.api.vouchers import OwnedVoucher, VoucherStatus
from kado.domain.calendar import utcnow
from kado.domain.vouchers import products as domain_vouchers
from kado.services import members as member_service
from kado.services.campaigns import definitions as campaign_service
from kado.services.campaigns import spins as spin_service
from kado.services.loyalty import company_wallets, statements
from kado.services.loyalty import rewards as reward_service
from kado.services.tiers import member_standing as standing_service
from kado.services.vouchers import issuing as voucher_service

MemberInfo = Info[Context, None]


@strawberry.type
class Me:
    id: str
    program: str
    account_id: str | None
    tier: str = strawberry.field(description="The tier in force now (a lapse holds from its "
                                             "moment, whether or not anything ran).")
    points: PointsBalance
    tier_progress: TierProgress | None = strawberry.field(
        description="Progress in the current period of the program's tier ladder, if any.")
    program_id: strawberry.Private[str] = ""

    @strawberry.field(description="The company wallet, where the program keeps points with "
                                  "companies (read only when asked for).")
    def company_points(self) -> PointsBalance | None:
        if not self.account_id:
            return None
        return PointsBalance.of(company_wallets.balance_of(self.program_id, self.account_id))

    @strawberry.field(description="The company's tier and progress, where the ladder's level "
                                  "is ACCOUNT (read only when asked for).")
    def company_standing(self) -> CompanyStanding | None:
        return CompanyStanding.of(self.program_id, self.account_id) if self.account_id else None


@strawberry.type
class SpinCredits:
    campaign_id: str
    left: int


@strawberry.input
class SpinInput:
    campaign_id: str
    idempotency_key: str = strawberry.field(
        description="Unique per spin attempt (8-128 chars). A retry with the same key returns "
                    "the first outcome and consumes nothing.")


@strawberry.type
class SpinPayload:
    spin: Spin | None
    errors: list[UserError]


@strawberry.type
class Query(MemberEventsQuery, MemberQuestsQuery, MemberSurveysQuery, MemberReferralsQuery):
    @strawberry.field
    def me(self, info: MemberInfo) -> Me:
        principal = info.context.principal
        member = member_service.me(principal)
        standing = standing_service.standing_of(principal.program, member.item, utcnow())
        return Me(id=member.id, program=principal.program, account_id=member.account_id,
                  tier=standing.tier,
                  points=PointsBalance.of(standing.points, standing.expiring,
                                          standing.pending),
                  tier_progress=TierProgress.of(standing.progress),
                  program_id=principal.program)

    @strawberry.field(description="The member's points ledger, newest first.")
    def points_ledger(self, info: MemberInfo, first: int = 20,
                      after: str | None = None) -> Connection[PointsEntry]:
        principal = info.context.principal
        page = standing_service.ledger_page(principal.program, principal.subject, first, after)
        return Connection.of([PointsEntry.of(i) for i in page.items], page)

    @strawberry.field(description="Spin credits the member holds, per campaign.")
    def spin_credits(self, info: MemberInfo) -> list[SpinCredits]:
        principal = info.context.principal
        page = spin_service.credits_of(principal.program, principal.subject)
        return [SpinCredits(campaign_id=i["campaignId"], left=int(i.get("left", 0)))
                for i in page.items]

    @strawberry.field(description="LIVE campaigns this member may play.")
    def campaigns(self, info: MemberInfo, first: int = 20,
                  after: str | None = None) -> Connection[PublicCampaign]:
        found, page = campaign_service.list_for_member(info.context.principal, first, after)
        return Connection.of([PublicCampaign.of(c) for c in found], page)

    @strawberry.field
    def campaign(self, info: MemberInfo, id: strawberry.ID) -> PublicCampaign | None:
        campaign, _ = attempt(lambda: campaign_service.get(info.context.principal.program, id))
        if campaign is None or campaign.status.value == "DRAFT":
            return None
        return PublicCampaign.of(campaign)

    @strawberry.field(description="The member's vouchers, newest first, with their codes.")
    def my_vouchers(self, info: MemberInfo, status: VoucherStatus | None = None,  # type: ignore[valid-type]
                    first: int = 20, after: str | None = None) -> Connection[OwnedVoucher]:
        wanted = domain_vouchers.VoucherStatus(status) if status else None
        found, page = voucher_service.my_vouchers(info.context.principal, wanted, first, after)
        return Connection.of([OwnedVoucher.of_owned(v) for v in found], page)

    @strawberry.field(description="The member's spins, newest first: in one campaign, or in "
                                  "every campaign when campaignId is left out.")
    def my_spins(self, info: MemberInfo, campaign_id: strawberry.ID | None = None, first: int = 20,
                 after: str | None = None) -> Connection[Spin]:
        found, page = spin_service.my_spins(info.context.principal, campaign_id, first, after)
        return Connection.of([Spin.of(s) for s in found], page)


    @strawberry.field(description="Points statement for a period: a year (2026), quarter "
                                   "(2026-Q4) or month (2026-11), in the ladder's timezone.")
    def statement(self, info: MemberInfo, period: str) -> Statement:
        principal = info.context.principal
        return Statement.of(statements.statement_for(principal.program, principal.subject, period))

    @strawberry.field(description="Rewards open to the member's tier and company now.")
    def rewards(self, info: MemberInfo) -> list[Reward]:
        return [Reward.of(r) for r in reward_service.catalogue(info.context.principal)]


@strawberry.type
class Mutation(MemberEventsMutation, MemberQuestsMutation, MemberSurveysMutation):
    @strawberry.mutation
    def spin(self, info: MemberInfo, input: SpinInput) -> SpinPayload:
        result, errors = attempt(lambda: spin_service.play(
            info.context.principal, input.campaign_id, input.idempotency_key))
        return SpinPayload(spin=Spin.of(result) if result else None, errors=errors)

    @strawberry.mutation(description="Spend points on a reward: one transaction. A retry "
                                     "with the same key returns the first outcome.")
    def redeem_reward(self, info: MemberInfo, input: RedeemRewardInput) -> RedeemRewardPayload:
        done, errors = attempt(lambda: reward_service.redeem(
            info.context.principal, input.reward_id, input.idempotency_key))
        return RedeemRewardPayload(redemption=RewardRedemption.of(done) if done else None,
                                   errors=errors)


schema = build_schema(Query, Mutation)

"""GraphQL for referrals: the member's code and referrals, the partner's registration, and
the program's terms."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered, attempt
from kado.domain import referrals as domain
from kado.services import referrals as referral_service
from kado.services.kernel.loyalty_definitions import upsert_referral_terms

ReferralInfo = Info[Context, None]
ReferralStatus = strawberry.enum(domain.ReferralStatus, name="ReferralStatus")


@strawberry.type
class Referral:
    referred_account_id: str
    referred_member_id: str
    advocate_id: str
    status: ReferralStatus  # type: ignore[valid-type]
    reason: str | None
    registered_at: datetime
    deadline: datetime = strawberry.field(description="The qualifying purchase must come "
                                                      "before this.")
    qualified_at: datetime | None
    reward_due_at: datetime | None = strawberry.field(
        description="When the advocate is rewarded, unless the purchase is returned first.")

    @classmethod
    def of(cls, r: referral_service.Referral) -> Referral:
        return cls(referred_account_id=r.referred_account_id,
                   referred_member_id=r.referred_member_id, advocate_id=r.advocate_id,
                   status=r.status, reason=r.reason, registered_at=r.registered_at,
                   deadline=r.deadline, qualified_at=r.qualified_at,
                   reward_due_at=r.reward_due_at)


@strawberry.type
class MemberReferralsQuery:
    @strawberry.field(description="The member's referral code, to give to another company.")
    def referral_code(self, info: ReferralInfo) -> str:
        principal = info.context.principal
        return referral_service.code_of(principal.program, principal.subject)

    @strawberry.field(description="The companies the member referred, with their status.")
    def my_referrals(self, info: ReferralInfo) -> list[Referral]:
        principal = info.context.principal
        return [Referral.of(r) for r in
                referral_service.advocate_referrals(principal.program, principal.subject)]


@strawberry.input
class RegisterReferralInput:
    code: str
    referred_account_id: str
    referred_member_id: str


@strawberry.type
class ReferralPayload:
    referral: Referral | None
    errors: list[UserError]


@strawberry.input
class ReferralTermsInput:
    min_purchase: int = strawberry.field(description="Minor units.")
    within_days: int
    hold_days: int
    advocate_points: int
    referred_points: int
    cap_per_month: int


@strawberry.type
class ReferralTermsPayload:
    errors: list[UserError]


@strawberry.type
class AdminReferralsQuery:
    @strawberry.field(description="Every referral of the program, oldest first.")
    def referrals(self, info: ReferralInfo) -> list[Referral]:
        return [Referral.of(r) for r in referral_service.every(info.context.principal.program)]


@strawberry.type
class AdminReferralsMutation:
    @strawberry.mutation(description="A partner back end registers that the member behind "
                                     "`code` referred a new company (one referral per "
                                     "company; not within one company; a monthly cap).")
    def register_referral(self, info: ReferralInfo,
                          input: RegisterReferralInput) -> ReferralPayload:
        return answered(ReferralPayload, "referral", Referral.of, lambda: referral_service.register(
            info.context.principal, input.code, input.referred_account_id,
            input.referred_member_id))

    @strawberry.mutation
    def upsert_referral_terms(self, info: ReferralInfo,
                              input: ReferralTermsInput) -> ReferralTermsPayload:
        _, errors = attempt(lambda: upsert_referral_terms(
            info.context.principal.program, domain.ReferralTerms(
                input.min_purchase, input.within_days, input.hold_days, input.advocate_points,
                input.referred_points, input.cap_per_month)))
        return ReferralTermsPayload(errors=errors)

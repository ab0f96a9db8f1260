"""Sales reps: the admin defines each rep (scope, reasons, budget, limits) and reads their
awards and burn; a rep awards points from the merchant API (the field's API)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.api.kernel.scalars import Amount
from kado.domain.calendar import parse_iso
from kado.domain.reps import Rep, RepLimits
from kado.services import reps as service

RepInfo = Info[Context, None]


@strawberry.type
class RepLimitsType:
    per_award: int
    per_member_per_period: int
    per_rep_per_period: int


@strawberry.type
class SalesRep:
    id: str
    name: str
    accounts: list[str] = strawberry.field(description="The companies whose members this rep "
                                                       "may award.")
    budget_id: str
    reasons: list[str]
    limits: RepLimitsType
    active: bool

    @classmethod
    def of(cls, r: Rep) -> SalesRep:
        return cls(id=r.id, name=r.name, accounts=list(r.accounts), budget_id=r.budget_id,
                   reasons=list(r.reasons), active=r.active,
                   limits=RepLimitsType(per_award=r.limits.per_award,
                                        per_member_per_period=r.limits.per_member_per_period,
                                        per_rep_per_period=r.limits.per_rep_per_period))


@strawberry.type
class RepStanding:
    rep: SalesRep
    given_this_period: int = strawberry.field(description="Points the rep gave this period "
                                                          "(the rep budget's period).")
    budget_left: Amount = strawberry.field(description="Money left in the rep's budget this "
                                                       "period, in minor units.")
    budget_currency: str


@strawberry.type
class RepAward:
    id: str
    member_id: str
    account_id: str | None
    points: int
    reason: str
    note: str | None
    at: datetime


@strawberry.input
class RepLimitsInput:
    per_award: int
    per_member_per_period: int
    per_rep_per_period: int


@strawberry.input
class RepInput:
    id: str
    name: str
    accounts: list[str]
    budget_id: str
    reasons: list[str]
    limits: RepLimitsInput
    active: bool = True


@strawberry.type
class RepPayload:
    rep: SalesRep | None
    errors: list[UserError]


@strawberry.input
class AwardPointsInput:
    member_id: str
    points: int
    reason: str = strawberry.field(description="One of the rep's reasons.")
    idempotency_key: str
    note: str | None = None


@strawberry.type
class PointsAwarded:
    id: str
    member_id: str
    points: int
    balance_after: int
    at: datetime


@strawberry.type
class AwardPointsPayload:
    award: PointsAwarded | None
    errors: list[UserError]


def _awarded(a: service.Awarded) -> PointsAwarded:
    return PointsAwarded(id=a.id, member_id=a.member_id, points=a.points,
                         balance_after=a.balance_after, at=parse_iso(a.at))


def _standing(program: str, rep_id: str) -> RepStanding:
    s = service.standing(program, rep_id)
    return RepStanding(rep=SalesRep.of(s.rep), given_this_period=s.given,
                       budget_left=Amount(s.budget_left), budget_currency=s.budget_currency)


@strawberry.type
class AdminRepsQuery:
    @strawberry.field(description="A rep, what they gave this period and what is left.")
    def sales_rep(self, info: RepInfo, id: str) -> RepStanding:
        return _standing(info.context.principal.program, id)

    @strawberry.field(description="A rep's awards, newest first.")
    def rep_awards(self, info: RepInfo, rep_id: str, first: int = 20,
                   after: str | None = None) -> Connection[RepAward]:
        page = service.awards(info.context.principal.program, rep_id, first, after)
        return Connection.of([RepAward(
            id=a["id"], member_id=a["memberId"], account_id=a.get("accountId"),
            points=int(a["points"]), reason=a["reason"], note=a.get("note"),
            at=parse_iso(a["at"])) for a in page.items], page)


@strawberry.input
class ReverseRepAwardInput:
    id: str
    reason: str
    idempotency_key: str


@strawberry.type
class AdminRepsMutation:
    @strawberry.mutation(description="Take a rep's award back, once, within 30 days: its "
                                     "points off the member and its cost back to the budget.")
    def reverse_rep_award(self, info: RepInfo,
                          input: ReverseRepAwardInput) -> AwardPointsPayload:
        return answered(AwardPointsPayload, "award", _awarded, lambda: service.reverse(
            info.context.principal, input.id, input.reason, input.idempotency_key))

    @strawberry.mutation(description="Define or change a rep: their companies, reasons, "
                                     "budget and limits (in force at their next award).")
    def upsert_sales_rep(self, info: RepInfo, input: RepInput) -> RepPayload:
        r = Rep(input.id, input.name, tuple(input.accounts), input.budget_id,
                tuple(input.reasons), RepLimits(input.limits.per_award,
                                                input.limits.per_member_per_period,
                                                input.limits.per_rep_per_period), input.active)
        return answered(RepPayload, "rep", SalesRep.of,
                        lambda: service.upsert(info.context.principal, r))


@strawberry.type
class FieldRepQuery:
    @strawberry.field(description="Your scope, reasons and limits, and what is left.")
    def my_rep_standing(self, info: RepInfo) -> RepStanding:
        rep = info.context.rep
        return _standing(rep.program, rep.subject)


@strawberry.type
class FieldRepMutation:
    @strawberry.mutation(description="Award points to a member of a company in your scope.")
    def award_points(self, info: RepInfo, input: AwardPointsInput) -> AwardPointsPayload:
        return answered(AwardPointsPayload, "award", _awarded, lambda: service.award(
            info.context.rep, input.member_id, input.points, input.reason, input.note,
            input.idempotency_key))

"""Marketing's campaigns: define, launch, pause, end, and their live statistics."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.campaigns.types import PrizeKind, PublicCampaign
from kado.api.kernel.budget_links import BudgetLinkInput, BudgetLinkView
from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import ErrorCode as ErrorCodeType
from kado.api.kernel.errors import UserError, answered, attempt
from kado.api.kernel.scalars import Amount
from kado.domain.campaigns import rules as domain
from kado.domain.errors import DomainError, ErrorCode
from kado.services.campaigns import definitions as campaign_service

AdminInfo = Info[Context, None]


@strawberry.type
class Eligibility:
    tiers: list[str]
    member_ids: list[str]
    account_ids: list[str]


@strawberry.type
class PrizeStats:
    prize_id: str
    awarded: int
    stock_left: int | None
    stock: int | None = strawberry.field(
        default=None, description="The stock as defined (null: unlimited); once launched, an "
                                  "edit may only raise it.")


@strawberry.type
class Refusals:
    reason: ErrorCodeType  # type: ignore[valid-type]
    count: int


@strawberry.type
class CampaignDay:
    day: str = strawberry.field(description="The campaign's local day (its timezone).")
    spins: int
    wins: int
    out_of_stock: int
    out_of_budget: int = strawberry.field(description="Wins a budget could not pay for "
                                                      "(no-wins).")
    players: int = strawberry.field(description="Members who spun that day (each once).")
    refusals: list[Refusals] = strawberry.field(
        description="Spins refused that day, by reason (nothing was written for them).")


@strawberry.type
class CampaignStats:
    spins: int
    wins: int
    out_of_stock: int = strawberry.field(description="Spins whose drawn prize had run out.")
    out_of_budget: int = strawberry.field(description="Spins whose drawn prize a budget "
                                                      "could not pay for: no-wins.")
    prizes: list[PrizeStats]
    program: strawberry.Private[str]
    source: strawberry.Private[domain.Campaign]

    @strawberry.field(description="The last days with spins (oldest first, 1-90): spins, "
                                  "wins, players, refusals.")
    def days(self, last: int = 14) -> list[CampaignDay]:
        return [CampaignDay(day=d.day, spins=d.spins, wins=d.wins, out_of_stock=d.out_of_stock,
                            out_of_budget=d.out_of_budget, players=d.players,
                            refusals=[Refusals(reason=ErrorCode(code), count=n)
                                      for code, n in d.refusals.items()])
                for d in campaign_service.days(self.program, self.source, last)]


@strawberry.type(name="Campaign")
class AdminCampaign(PublicCampaign):
    eligibility: Eligibility
    holdout_percent: int
    budgets: list[BudgetLinkView] = strawberry.field(
        description="The budgets each win's cost is taken from (admins only).")
    version: int
    program: strawberry.Private[str]
    source: strawberry.Private[domain.Campaign]

    @strawberry.field
    def stats(self) -> CampaignStats:
        s = campaign_service.stats(self.program, self.source)
        return CampaignStats(spins=s.spins, wins=s.wins, out_of_stock=s.out_of_stock,
                             out_of_budget=s.out_of_budget,
                             prizes=[PrizeStats(prize_id=p.prize_id, awarded=p.awarded,
                                                stock_left=p.stock_left, stock=p.stock)
                                     for p in s.prizes],
                             program=self.program, source=self.source)

    @classmethod
    def of_campaign(cls, program: str, c: domain.Campaign) -> AdminCampaign:
        rules = c.eligibility
        return cls(**cls.fields_of(c),  # type: ignore[arg-type]
                   eligibility=Eligibility(tiers=list(rules.tiers),
                                           member_ids=list(rules.member_ids),
                                           account_ids=list(rules.account_ids)),
                   budgets=[BudgetLinkView.of(b) for b in c.budgets],
                   holdout_percent=c.holdout_percent,
                   version=c.version, program=program, source=c)


@strawberry.input
class LimitsInput:
    per_member_per_day: int | None = None
    per_member_total: int | None = None


@strawberry.input
class EligibilityInput:
    tiers: list[str] = strawberry.field(default_factory=list)
    member_ids: list[str] = strawberry.field(default_factory=list,
                                             description="Pilot allowlist; empty = everyone.")
    account_ids: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class PrizeInput:
    id: str
    name: str
    kind: PrizeKind  # type: ignore[valid-type]
    weight: int
    stock: int | None = strawberry.field(default=None, description="null = unlimited")
    product_id: str | None = strawberry.field(
        default=None, description="VOUCHER prizes: the voucher product a win issues.")
    cost: Amount = strawberry.field(
        default=0, description="What a win costs the campaign's budgets, in their "
                               "currency's minor units (0: nothing). Frozen at launch.")


@strawberry.input
class CampaignInput:
    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    prizes: list[PrizeInput]
    limits: LimitsInput | None = None
    eligibility: EligibilityInput | None = None
    cost_points: int | None = strawberry.field(
        default=None, description="Points each spin costs, taken in the spin's transaction.")
    requires_credit: bool = strawberry.field(
        default=False, description="Each spin takes one of the member's spin credits for "
                                   "this campaign (won from rewards or quests).")
    holdout_percent: int = strawberry.field(
        default=0, description="0-50: the share of eligible members not offered the "
                               "campaign, chosen by a keyed hash no member can steer, to "
                               "measure it against. Frozen at launch.")
    budgets: list[BudgetLinkInput] = strawberry.field(
        default_factory=list, description="The budgets each win's cost is taken from, with "
                                          "the share each pays (sponsors' shares add up to "
                                          "at most 100). Frozen at launch.")

    def to_domain(self) -> domain.Campaign:
        for moment, field in ((self.starts_at, "startsAt"), (self.ends_at, "endsAt")):
            if moment.tzinfo is None:
                raise DomainError(ErrorCode.INVALID_INPUT, "must carry a UTC offset", field)
        limits = self.limits or LimitsInput()
        rules = self.eligibility or EligibilityInput()
        return domain.Campaign(
            id=self.id, name=self.name, starts_at=self.starts_at, ends_at=self.ends_at,
            timezone=self.timezone,
            prizes=tuple(domain.Prize(p.id, p.name, domain.PrizeKind(p.kind), p.weight,
                                      p.stock, p.product_id, p.cost) for p in self.prizes),
            budgets=tuple(b.to_domain() for b in self.budgets),
            holdout_percent=self.holdout_percent,
            limits=domain.Limits(limits.per_member_per_day, limits.per_member_total),
            eligibility=domain.Eligibility(tuple(rules.tiers), tuple(rules.member_ids),
                                           tuple(rules.account_ids)),
            cost_points=self.cost_points, requires_credit=self.requires_credit)


@strawberry.type
class CampaignPayload:
    campaign: AdminCampaign | None
    errors: list[UserError]


def _campaign_payload(info: AdminInfo, action: Callable[[], domain.Campaign]) -> CampaignPayload:
    program = info.context.principal.program
    return answered(CampaignPayload, "campaign", lambda c: AdminCampaign.of_campaign(program, c),
                    action)


@strawberry.type
class AdminCampaignsQuery:
    """The program's campaigns, with their statistics."""

    @strawberry.field
    def campaign(self, info: AdminInfo, id: strawberry.ID) -> AdminCampaign | None:
        program = info.context.principal.program
        found, _ = attempt(lambda: campaign_service.get(program, id))
        return AdminCampaign.of_campaign(program, found) if found else None

    @strawberry.field
    def campaigns(self, info: AdminInfo, first: int = 20,
                  after: str | None = None) -> Connection[AdminCampaign]:
        program = info.context.principal.program
        found, page = campaign_service.list_all(program, first, after)
        return Connection.of([AdminCampaign.of_campaign(program, c) for c in found], page)


@strawberry.type
class AdminCampaignsMutation:
    """A campaign's definition and lifecycle."""

    @strawberry.mutation
    def upsert_campaign(self, info: AdminInfo, input: CampaignInput) -> CampaignPayload:
        program = info.context.principal.program
        return _campaign_payload(info, lambda: campaign_service.upsert(program, input.to_domain()))

    @strawberry.mutation
    def launch_campaign(self, info: AdminInfo, id: strawberry.ID) -> CampaignPayload:
        return _campaign_payload(
            info, lambda: campaign_service.launch(info.context.principal.program, id))

    @strawberry.mutation
    def pause_campaign(self, info: AdminInfo, id: strawberry.ID) -> CampaignPayload:
        return _campaign_payload(
            info, lambda: campaign_service.pause(info.context.principal.program, id))

    @strawberry.mutation
    def end_campaign(self, info: AdminInfo, id: strawberry.ID) -> CampaignPayload:
        return _campaign_payload(
            info, lambda: campaign_service.end_campaign(info.context.principal.program, id))

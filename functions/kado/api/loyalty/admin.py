"""Admin fields for points and tiers: earning rules, the ladder, rewards, activities."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.budget_links import BudgetLinkInput
from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered, attempt, user_errors
from kado.api.kernel.scalars import Amount
from kado.api.loyalty.points import (
    CompanyStanding,
    PointsBalance,
    PointsEntry,
    Statement,
    TierProgress,
)
from kado.domain import activities as activity_rules
from kado.domain import tiers as tier_rules
from kado.domain.calendar import utcnow
from kado.domain.loyalty import earning, rewards
from kado.domain.validation import require_id
from kado.services.activities import recording as activity_service
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments, company_wallets, exports, held, statements
from kado.services.loyalty import rewards as reward_service
from kado.services.tiers import member_standing as standing
from kado.services.tiers import overrides as tier_overrides

AdminInfo = Info[Context, None]
Metric = strawberry.enum(tier_rules.Metric, name="TierMetric")
Window = strawberry.enum(tier_rules.Window, name="TierWindow")
Downgrade = strawberry.enum(tier_rules.Downgrade, name="TierDowngrade")
RewardKind = strawberry.enum(rewards.RewardKind, name="RewardKind")
ActivityOutcome = strawberry.enum(activity_service.Outcome, name="ActivityOutcome")
WalletMode = strawberry.enum(loyalty_definitions.WalletMode, name="WalletMode")
TierOverride = strawberry.enum(tier_rules.Override, name="TierOverride")
TierLevel = strawberry.enum(tier_rules.Level, name="TierLevel")
TierCounts = strawberry.enum(tier_rules.Counts, name="TierCounts")


@strawberry.input
class TierOverrideInput:
    member_id: str
    mode: TierOverride  # type: ignore[valid-type]
    tier: str
    until: datetime
    reason: str
    idempotency_key: str


@strawberry.type
class TierOverridePayload:
    tier: str | None
    tier_until: datetime | None
    errors: list[UserError]


@strawberry.input
class TierMultiplierInput:
    tier: str
    percent: int


@strawberry.input
class EarningRuleInput:
    id: str
    name: str
    activity_type: str
    tags: list[str] = strawberry.field(default_factory=list,
                                       description="Every tag must be on the activity.")
    min_amount: int | None = None
    points_per_unit: int | None = strawberry.field(
        default=None, description="Points per whole currency unit (100 minor units).")
    fixed_points: int | None = None
    tier_multipliers: list[TierMultiplierInput] = strawberry.field(
        default_factory=list, description="Overrides the tier's own pointsMultiplier.")
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    cap_per_day: int | None = strawberry.field(
        default=None, description="Most points a member earns by this rule in a day.")
    cap_per_month: int | None = strawberry.field(
        default=None, description="Most points a member earns by this rule in a month.")
    pending_days: int = strawberry.field(
        default=0, description="Points are held, not spendable, this many days (a return "
                               "window).")

    def to_domain(self) -> earning.EarningRule:
        return earning.EarningRule(
            id=self.id, name=self.name, activity_type=self.activity_type,
            tags=tuple(self.tags), min_amount=self.min_amount,
            points_per_unit=self.points_per_unit, fixed_points=self.fixed_points,
            tier_multipliers=tuple((m.tier, m.percent) for m in self.tier_multipliers),
            starts_at=self.starts_at, ends_at=self.ends_at, cap_per_day=self.cap_per_day,
            cap_per_month=self.cap_per_month, pending_days=self.pending_days)


@strawberry.type
class EarningRulePayload:
    rule_id: str | None
    errors: list[UserError]


@strawberry.input
class TierInput:
    id: str
    name: str
    threshold: int
    points_multiplier: int = strawberry.field(default=100, description="Percent, 150 = 1.5x.")


@strawberry.input
class TierLadderInput:
    metric: Metric  # type: ignore[valid-type]
    window: Window  # type: ignore[valid-type]
    timezone: str
    tiers: list[TierInput]
    downgrade: Downgrade = tier_rules.Downgrade.AT_PERIOD_END  # type: ignore[valid-type]
    activity_type: str | None = strawberry.field(
        default=None, description="ACTIVITY_COUNT counts activities of this type.")
    grace_days: int = strawberry.field(
        default=0, description="AT_PERIOD_END_WITH_GRACE: days a tier holds past its end.")
    level: TierLevel = strawberry.field(  # type: ignore[valid-type]
        default=tier_rules.Level.MEMBER,
        description="ACCOUNT: a company climbs on all its members' activity and its members "
                    "take its tier; a member without a company climbs alone.")
    counts: TierCounts = strawberry.field(  # type: ignore[valid-type]
        default=tier_rules.Counts.OWN,
        description="ACCOUNT ladders: SUBTREE lets a company climb on the activity of every "
                    "account below it in the channel too (a distributor on its retailers').")

    def to_domain(self) -> tier_rules.Ladder:
        return tier_rules.Ladder(
            metric=tier_rules.Metric(self.metric), window=tier_rules.Window(self.window),
            timezone=self.timezone, downgrade=tier_rules.Downgrade(self.downgrade),
            activity_type=self.activity_type, grace_days=self.grace_days,
            level=tier_rules.Level(self.level), counts=tier_rules.Counts(self.counts),
            tiers=tuple(tier_rules.Tier(t.id, t.name, t.threshold, t.points_multiplier)
                        for t in self.tiers))


@strawberry.type
class TierLadderPayload:
    version: int | None
    errors: list[UserError]


UnknownMembers = strawberry.enum(loyalty_definitions.UnknownMembers, name="UnknownMembers")


@strawberry.input
class LoyaltySettingsInput:
    custom_activity_types: list[str] = strawberry.field(default_factory=list)
    late_grace_days: int = loyalty_definitions.DEFAULT_LATE_GRACE_DAYS
    wallet: WalletMode = strawberry.field(  # type: ignore[valid-type]
        default=loyalty_definitions.WalletMode.MEMBER,
        description="ACCOUNT: points go to the member's company, any of its members spends.")
    points_expire_months: int | None = strawberry.field(
        default=None, description="Points lapse at the end of the month this many months "
                                  "after they are earned; omit: they never expire.")
    unknown_members: UnknownMembers = strawberry.field(  # type: ignore[valid-type]
        default=loyalty_definitions.UnknownMembers.REFUSE,
        description="An activity or adjustment for a member not on file: REFUSE it "
                    "(NOT_FOUND at memberId), or ENROL the member on the roster.")
    point_value: Amount | None = strawberry.field(
        default=None, description="What one point is worth to the program, in minor units "
                                  "of pointCurrency (the liability report values points "
                                  "with it).")
    point_currency: str | None = None
    points_budgets: list[BudgetLinkInput] = strawberry.field(
        default_factory=list, description="The budgets that pay for points given (activities "
                                          "and adjustments), at pointValue each.")
    program_budgets: list[BudgetLinkInput] = strawberry.field(
        default_factory=list, description="The program's own budgets: they pay for every "
                                          "award that costs money, beside its own budgets.")


@strawberry.type
class LoyaltySettingsPayload:
    errors: list[UserError]


@strawberry.input
class RewardInput:
    id: str
    name: str
    cost_points: int
    kind: RewardKind  # type: ignore[valid-type]
    product_id: str | None = None
    stock: int | None = strawberry.field(default=None, description="Total; omit: unlimited.")
    tiers: list[str] = strawberry.field(default_factory=list)
    account_ids: list[str] = strawberry.field(default_factory=list)
    campaign_id: str | None = strawberry.field(
        default=None, description="SPIN_CREDITS: the campaign the credits spin.")
    credits: int = strawberry.field(default=0, description="SPIN_CREDITS: how many spins.")
    cost: Amount = strawberry.field(
        default=Amount(0), description="What one redemption costs its budgets (minor units).")
    budgets: list[BudgetLinkInput] = strawberry.field(
        default_factory=list, description="The budgets that pay for each redemption; one "
                                          "that cannot refuses it (BUDGET_EXHAUSTED).")

    def to_domain(self) -> rewards.Reward:
        return rewards.Reward(self.id, self.name, self.cost_points,
                              rewards.RewardKind(self.kind), self.product_id, self.stock,
                              tuple(self.tiers), tuple(self.account_ids), self.campaign_id,
                              self.credits, self.cost,
                              tuple(b.to_domain() for b in self.budgets))


@strawberry.type
class RewardPayload:
    reward_id: str | None
    errors: list[UserError]


@strawberry.type
class ReleasedPayload:
    released: int | None = strawberry.field(description="The points now spendable.")
    errors: list[UserError]


@strawberry.input
class MoneyInput:
    value: int = strawberry.field(description="Minor units (cents).")
    currency: str


@strawberry.input
class AttributeInput:
    key: str
    value: str


@strawberry.input
class ActivityInput:
    external_id: str
    member_id: str
    type: str
    occurred_at: datetime
    account_id: str | None = None
    amount: MoneyInput | None = None
    quantity: int | None = None
    tags: list[str] = strawberry.field(default_factory=list)
    attributes: list[AttributeInput] = strawberry.field(default_factory=list)
    returns: str | None = strawberry.field(
        default=None, description="A RETURN: the externalId of the PURCHASE it returns.")

    def to_domain(self) -> activity_rules.Activity:
        return activity_rules.Activity(
            external_id=self.external_id, member_id=self.member_id, type=self.type,
            occurred_at=self.occurred_at, account_id=self.account_id,
            amount=activity_rules.Money(self.amount.value, self.amount.currency)
            if self.amount else None, quantity=self.quantity, tags=tuple(self.tags),
            attributes=tuple((a.key, a.value) for a in self.attributes), returns=self.returns)


@strawberry.input
class RecordActivitiesInput:
    activities: list[ActivityInput]


@strawberry.type
class ActivityResult:
    external_id: str
    outcome: ActivityOutcome | None  # type: ignore[valid-type]
    points: int
    balance_after: int | None
    upgraded_to: str | None
    errors: list[UserError]


@strawberry.type
class RecordActivitiesPayload:
    results: list[ActivityResult]
    errors: list[UserError]


@strawberry.input
class AdjustPointsInput:
    member_id: str
    delta: int
    reason: str
    idempotency_key: str


@strawberry.type
class AdjustPointsPayload:
    delta: int | None
    balance_after: int | None
    errors: list[UserError]


@strawberry.type
class StatementExport:
    id: str
    period: str
    status: str = strawberry.field(description="QUEUED, RUNNING, DONE or FAILED.")
    members: int = strawberry.field(description="Member statements written so far.")
    companies: int = strawberry.field(description="Company statements written so far.")
    location: str | None = strawberry.field(description="Where the statements are, once "
                                                        "DONE (statementLink opens one).")
    error: str | None
    created_at: str

    @classmethod
    def of(cls, job: exports.ExportJob) -> StatementExport:
        return cls(id=job.id, period=job.period, status=job.status, members=job.members,
                   companies=job.companies, location=job.location, error=job.error,
                   created_at=job.created_at)


@strawberry.input
class StatementExportInput:
    period: str = strawberry.field(description="A year (2026), quarter (2026-Q4) or month.")
    idempotency_key: str


@strawberry.type
class StatementExportPayload:
    export: StatementExport | None
    errors: list[UserError]


@strawberry.type
class MemberStanding:
    member_id: str
    tier: str
    points: PointsBalance
    tier_progress: TierProgress | None
    program: strawberry.Private[str]

    @strawberry.field
    def ledger(self, first: int = 20, after: str | None = None) -> Connection[PointsEntry]:
        page = standing.ledger_page(self.program, self.member_id, first, after)
        return Connection.of([PointsEntry.of(i) for i in page.items], page)


@strawberry.type
class TierView:
    id: str
    name: str
    threshold: int
    points_multiplier: int = strawberry.field(description="Percent of what members earn.")


@strawberry.type
class TierLadderView:
    metric: Metric  # type: ignore[valid-type]
    window: Window  # type: ignore[valid-type]
    timezone: str
    level: TierLevel  # type: ignore[valid-type]
    counts: TierCounts  # type: ignore[valid-type]
    version: int
    tiers: list[TierView]
    current_period: str = strawberry.field(description="The period progress counts in now.")


@strawberry.type
class PointsQuery:
    @strawberry.field(description="The program's tier ladder, as it is now (null: none).")
    def tier_ladder(self, info: AdminInfo) -> TierLadderView | None:
        ladder = loyalty_definitions.load(info.context.principal.program).ladder
        if ladder is None:
            return None
        return TierLadderView(
            metric=ladder.metric, window=ladder.window, timezone=ladder.timezone,
            level=ladder.level, counts=ladder.counts, version=ladder.version,
            tiers=[TierView(id=t.id, name=t.name, threshold=t.threshold,
                            points_multiplier=t.points_multiplier) for t in ladder.tiers],
            current_period=tier_rules.period_of(utcnow(), ladder.window, ladder.timezone).key)

    @strawberry.field(description="A statement export job and, once DONE, its file.")
    def statement_export(self, info: AdminInfo, id: str) -> StatementExport | None:
        job = exports.get(info.context.principal.program, require_id(id, "id"))
        return StatementExport.of(job) if job else None

    @strawberry.field(description="A company wallet's balance, every shard summed.")
    def company_points(self, info: AdminInfo, account_id: str) -> PointsBalance:
        program = info.context.principal.program
        return PointsBalance.of(company_wallets.balance_of(program,
                                                           require_id(account_id, "accountId")))

    @strawberry.field(description="A company's tier in force, progress and tier changes.")
    def company_standing(self, info: AdminInfo, account_id: str) -> CompanyStanding:
        return CompanyStanding.of(info.context.principal.program,
                                  require_id(account_id, "accountId"))

    @strawberry.field(description="A member's points, tier in force and progress.")
    def member_standing(self, info: AdminInfo, member_id: str) -> MemberStanding | None:
        program = info.context.principal.program
        item = standing.member_on_file(program, require_id(member_id, "memberId"))
        if item is None:
            return None
        s = standing.standing_of(program, item, utcnow())
        return MemberStanding(member_id=member_id, tier=s.tier,
                              points=PointsBalance.of(s.points, s.expiring, s.pending),
                              tier_progress=TierProgress.of(s.progress), program=program)


    @strawberry.field(description="A member's points statement for a year, quarter or month.")
    def member_statement(self, info: AdminInfo, member_id: str, period: str) -> Statement:
        program = info.context.principal.program
        member_id = require_id(member_id, "memberId")
        return Statement.of(statements.statement_for(program, member_id, period))


@strawberry.type
class PointsMutation:
    @strawberry.mutation
    def upsert_earning_rule(self, info: AdminInfo, input: EarningRuleInput) -> EarningRulePayload:
        program = info.context.principal.program
        rule, errors = attempt(lambda: loyalty_definitions.upsert_rule(program, input.to_domain()))
        return EarningRulePayload(rule_id=rule.id if rule else None, errors=errors)

    @strawberry.mutation
    def upsert_tier_ladder(self, info: AdminInfo, input: TierLadderInput) -> TierLadderPayload:
        program = info.context.principal.program
        ladder, errors = attempt(lambda: loyalty_definitions.upsert_ladder(program,
                                                                           input.to_domain()))
        return TierLadderPayload(version=ladder.version if ladder else None, errors=errors)

    @strawberry.mutation
    def upsert_loyalty_settings(self, info: AdminInfo,
                                input: LoyaltySettingsInput) -> LoyaltySettingsPayload:
        program = info.context.principal.program
        settings = loyalty_definitions.Settings(
            frozenset(input.custom_activity_types), input.late_grace_days,
            loyalty_definitions.WalletMode(input.wallet), input.points_expire_months,
            loyalty_definitions.UnknownMembers(input.unknown_members),
            input.point_value, input.point_currency,
            tuple(b.to_domain() for b in input.points_budgets), None,
            tuple(b.to_domain() for b in input.program_budgets))
        _, errors = attempt(lambda: adjustments.save_settings(program, settings))
        return LoyaltySettingsPayload(errors=errors)

    @strawberry.mutation
    def upsert_reward(self, info: AdminInfo, input: RewardInput) -> RewardPayload:
        program = info.context.principal.program
        reward, errors = attempt(lambda: reward_service.save(program, input.to_domain()))
        return RewardPayload(reward_id=reward.id if reward else None, errors=errors)

    @strawberry.mutation(description="At most 100 activities; one result per activity, in "
                                     "order. A resend (same externalId and content) is "
                                     "DUPLICATE and returns the first outcome.")
    def record_activities(self, info: AdminInfo,
                          input: RecordActivitiesInput) -> RecordActivitiesPayload:
        batch = [a.to_domain() for a in input.activities]
        done, errors = attempt(lambda: activity_service.record(info.context.principal, batch))
        return RecordActivitiesPayload(results=[ActivityResult(
            external_id=r.external_id, outcome=r.outcome, points=r.points,
            balance_after=r.balance_after, upgraded_to=r.upgraded_to,
            errors=user_errors(r.error) if r.error else []) for r in done or []], errors=errors)

    @strawberry.mutation(description="Set a member's tier by hand: FLOOR (at least this tier) "
                                     "or FIXED (exactly this tier), until `until`.")
    def set_tier_override(self, info: AdminInfo,
                          input: TierOverrideInput) -> TierOverridePayload:
        done, errors = attempt(lambda: tier_overrides.set_override(
            info.context.principal, input.member_id, tier_rules.Override(input.mode),
            input.tier, input.until, input.reason, input.idempotency_key))
        return TierOverridePayload(tier=done[0] if done else None,
                                   tier_until=done[1] if done else None, errors=errors)

    @strawberry.mutation(description="Make the statement of a period (2026-11, 2026-Q4, "
                                     "2026) for every member and company of the program, "
                                     "each opened by a link (statementLink, myStatements); "
                                     "a background job (poll statementExport).")
    def start_statement_export(self, info: AdminInfo,
                               input: StatementExportInput) -> StatementExportPayload:
        return answered(StatementExportPayload, "export", StatementExport.of, lambda: exports.start(
            info.context.principal, input.period, input.idempotency_key))

    @strawberry.mutation(description="Release the points held for a member while the "
                                     "points budget could not pay for them: paid from it "
                                     "now (BUDGET_EXHAUSTED while it cannot), spendable "
                                     "from then on. Exactly once per key.")
    def release_held_points(self, info: AdminInfo, member_id: str,
                            idempotency_key: str) -> ReleasedPayload:
        return answered(ReleasedPayload, "released", lambda n: n, lambda: held.release(
            info.context.principal, member_id, idempotency_key))

    @strawberry.mutation
    def adjust_points(self, info: AdminInfo, input: AdjustPointsInput) -> AdjustPointsPayload:
        done, errors = attempt(lambda: adjustments.adjust(
            info.context.principal, input.member_id, input.delta, input.reason,
            input.idempotency_key))
        return AdjustPointsPayload(delta=done[0] if done else None,
                                   balance_after=done[1] if done else None, errors=errors)

"""Budgets in the admin API: set, raise or lower, close, and read where each stands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.api.kernel.scalars import Amount
from kado.domain import budgets as domain
from kado.domain.calendar import parse_iso
from kado.services import budgets as service

BudgetInfo = Info[Context, None]
BudgetPeriod = strawberry.enum(domain.Period, name="BudgetPeriod")
BudgetStatus = strawberry.enum(domain.BudgetStatus, name="BudgetStatus")


@strawberry.type
class SpentOn:
    key: str = strawberry.field(description="A source (campaign:<id>, reward:<id>, "
                                            "event:<id>, points) or a day (YYYY-MM-DD, in "
                                            "the budget's zone).")
    amount: Amount


@strawberry.type
class BudgetPeriodState:
    period: str = strawberry.field(description="LIFETIME, or the day (2026-12-05), ISO week "
                                               "(2026-W49) or month (2026-12) in its zone.")
    amount: Amount
    spent: Amount
    left: Amount
    thresholds_reached: list[int] = strawberry.field(
        description="Of 50, 80 and 100: the percentages of the amount spent so far.")
    by_source: list[SpentOn] = strawberry.field(description="What each campaign, reward, "
                                                            "event and points spent.")
    by_day: list[SpentOn] = strawberry.field(description="What was spent each day (net of "
                                                         "what was given back).")


@strawberry.type
class BudgetChange:
    at: datetime
    change: str = strawberry.field(description="SET, RAISE, LOWER or CLOSE.")
    amount: Amount
    before: Amount | None
    by: str
    reason: str


@strawberry.type
class BudgetAlert:
    period: str
    percent: int
    spent: Amount
    at: datetime


@strawberry.type
class Budget:
    id: str
    name: str
    currency: str
    amount: Amount = strawberry.field(
        description="Per period, in the currency's minor units.")
    period: BudgetPeriod  # type: ignore[valid-type]
    timezone: str
    shards: int
    sponsor: str | None
    status: BudgetStatus  # type: ignore[valid-type]
    version: int
    program: strawberry.Private[str]
    source: strawberry.Private[domain.Budget]

    @classmethod
    def of(cls, program: str, b: domain.Budget) -> Budget:
        return cls(id=b.id, name=b.name, currency=b.currency, amount=Amount(b.amount),
                   period=b.period, timezone=b.timezone, shards=b.shards, sponsor=b.sponsor,
                   status=b.status, version=b.version, program=program, source=b)

    @strawberry.field(description="The current period: spent, left (read when asked).")
    def now(self) -> BudgetPeriodState:
        s = service.state(self.program, self.source)
        return BudgetPeriodState(
            period=s.period, amount=Amount(s.amount), spent=Amount(s.spent),
            left=Amount(s.left), thresholds_reached=s.thresholds,
            by_source=[SpentOn(key=k, amount=Amount(v)) for k, v in s.by_source.items()],
            by_day=[SpentOn(key=k, amount=Amount(v)) for k, v in s.by_day.items()])

    @strawberry.field(description="Every change an admin made, oldest first: who and why.")
    def changes(self) -> list[BudgetChange]:
        return [BudgetChange(at=parse_iso(c["at"]), change=c["change"], amount=c["amount"],
                             before=c.get("before"), by=c["by"], reason=c["reason"])
                for c in service.changes(self.program, self.id)]

    @strawberry.field(description="Thresholds reached, once each per period.")
    def alerts(self) -> list[BudgetAlert]:
        return [BudgetAlert(period=a["period"], percent=a["percent"], spent=a["spent"],
                            at=parse_iso(a["at"]))
                for a in service.alerts(self.program, self.id)]


@strawberry.input
class BudgetInput:
    id: str
    name: str
    currency: str = strawberry.field(description="ISO 4217: VND, THB, EUR.")
    amount: Amount = strawberry.field(
        description="Per period, in the currency's minor units.")
    period: BudgetPeriod = domain.Period.LIFETIME  # type: ignore[valid-type]
    timezone: str = strawberry.field(default="UTC", description="Where a day, week or "
                                                                "month begins.")
    shards: int = strawberry.field(default=1, description="1-32: spread for flash campaigns "
                                                          "(each takes 1,000 writes a second).")
    sponsor: str | None = strawberry.field(default=None, description="Who pays (a brand or "
                                                                     "distributor id).")
    reason: str = "set up"

    def to_domain(self) -> domain.Budget:
        return domain.Budget(id=self.id, name=self.name, currency=self.currency,
                             amount=self.amount, period=domain.Period(self.period),
                             timezone=self.timezone, shards=self.shards, sponsor=self.sponsor)


@strawberry.type
class BudgetPayload:
    budget: Budget | None
    errors: list[UserError]


@strawberry.type
class AdminBudgetsQuery:
    @strawberry.field(description="The program's budgets.")
    def budgets(self, info: BudgetInfo) -> list[Budget]:
        program = info.context.principal.program
        return [Budget.of(program, b) for b in service.listed(program)]


@strawberry.type
class AdminBudgetsMutation:
    @strawberry.mutation(description="Set up a budget; campaigns then name it.")
    def create_budget(self, info: BudgetInfo, input: BudgetInput) -> BudgetPayload:
        principal = info.context.principal
        return _answer(info, lambda: service.create(principal.program, input.to_domain(),
                                                    principal.subject, input.reason))

    @strawberry.mutation(description="Raise or lower the amount per period, from this "
                                     "period on; never below what this period has spent.")
    def set_budget_amount(self, info: BudgetInfo, id: str,
                          amount: Amount, reason: str) -> BudgetPayload:
        principal = info.context.principal
        return _answer(info, lambda: service.set_amount(principal.program, id, amount,
                                                        principal.subject, reason))

    @strawberry.mutation(description="Close a budget: no award is paid from it any more, on "
                                     "any instance; what was spent stays spent.")
    def close_budget(self, info: BudgetInfo, id: str, reason: str) -> BudgetPayload:
        principal = info.context.principal
        return _answer(info, lambda: service.close(principal.program, id, principal.subject,
                                                   reason))


def _answer(info: BudgetInfo, action: Callable[[], domain.Budget]) -> BudgetPayload:
    program = info.context.principal.program
    return answered(BudgetPayload, "budget", lambda b: Budget.of(program, b), action)

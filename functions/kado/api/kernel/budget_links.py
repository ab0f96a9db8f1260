"""How a campaign or a reward names the budgets that pay for it: shared by both forms."""

from __future__ import annotations

import strawberry

from kado.domain.budgets import BudgetLink


@strawberry.input
class BudgetLinkInput:
    budget_id: str
    percent: int = strawberry.field(default=100, description="The share of each award's cost "
                                                             "this budget pays (1-100).")

    def to_domain(self) -> BudgetLink:
        return BudgetLink(self.budget_id, self.percent)


@strawberry.type
class BudgetLinkView:
    budget_id: str
    percent: int

    @classmethod
    def of(cls, link: BudgetLink) -> BudgetLinkView:
        return cls(budget_id=link.budget_id, percent=link.percent)

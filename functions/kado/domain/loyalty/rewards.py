"""The rewards catalogue: what members spend points on."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kado.domain.budgets import MAX_AMOUNT, BudgetLink, link_problems
from kado.domain.errors import ValidationFailed
from kado.domain.validation import MAX_NAME_TEXT, is_id, named_problems

MAX_COST = 10**9


class RewardKind(StrEnum):
    VOUCHER = "VOUCHER"  # a voucher of `product_id`, issued in the redemption's transaction
    ITEM = "ITEM"  # fulfilled outside Kado; the redemption is the order
    SPIN_CREDITS = "SPIN_CREDITS"  # `credits` spins on `campaign_id`, granted in the redemption


@dataclass(frozen=True)
class Reward:
    id: str
    name: str
    cost_points: int
    kind: RewardKind
    product_id: str | None = None
    stock: int | None = None  # None: unlimited
    tiers: tuple[str, ...] = ()  # empty: every tier
    account_ids: tuple[str, ...] = ()  # empty: every company (and none)
    campaign_id: str | None = None  # SPIN_CREDITS: the campaign they spin
    credits: int = 0  # SPIN_CREDITS: how many spins
    # What one redemption costs its budgets (minor units), and the budgets that pay it.
    cost: int = 0
    budgets: tuple[BudgetLink, ...] = ()

    @property
    def terms_stamp(self) -> str:
        """What every instance must agree on before it takes a redemption's money: held on
        the reward's item and checked in each redemption's transaction."""
        return ",".join([str(self.cost)] + [f"{b.budget_id}:{b.percent}" for b in self.budgets])

    def open_to(self, tier: str, account_id: str | None) -> bool:
        if self.tiers and tier not in self.tiers:
            return False
        return not self.account_ids or account_id in self.account_ids


def validate(r: Reward) -> None:
    problems = named_problems(r.id, r.name, MAX_NAME_TEXT) + link_problems(r.budgets)
    if not 0 <= r.cost <= MAX_AMOUNT:
        problems.append(("cost", f"0 to {MAX_AMOUNT} minor units"))
    if not 1 <= r.cost_points <= MAX_COST:
        problems.append(("costPoints", f"must be 1-{MAX_COST}"))
    if (r.kind is RewardKind.VOUCHER) != bool(r.product_id):
        problems.append(("productId", "a VOUCHER reward names a product; others do not"))
    credits = r.kind is RewardKind.SPIN_CREDITS
    if credits != bool(r.campaign_id) or credits != (1 <= r.credits <= 1000) or \
            (r.campaign_id is not None and not is_id(r.campaign_id)):
        problems.append(("campaignId", "a SPIN_CREDITS reward names a campaign and 1-1000 "
                                       "credits; others name none"))
    if r.stock is not None and not 0 <= r.stock <= 10**7:
        problems.append(("stock", "must be 0-10000000, or omitted for unlimited"))
    for name, ids in (("tiers", r.tiers), ("accountIds", r.account_ids)):
        if not all(is_id(i) for i in ids):
            problems.append((f"eligibility.{name}", "ids of 1-64 letters, digits, '-' or '_'"))
    if problems:
        raise ValidationFailed(problems)

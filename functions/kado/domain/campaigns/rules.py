"""Spin campaigns: their shape, their lifecycle and the rules that keep odds honest."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from kado.domain.budgets import MAX_AMOUNT, BudgetLink, link_problems
from kado.domain.calendar import is_timezone
from kado.domain.campaigns.holdout import MAX_PERCENT as MAX_HOLDOUT
from kado.domain.campaigns.holdout import held_out
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from kado.domain.validation import ID_RULE, is_id, named_problems

MAX_PRIZES = 20
MAX_NAME = 120
MAX_LIST = 1000
OUT_OF_STOCK_RULE = (
    "A drawn prize that is out of stock makes the spin a no-win; "
    "the draw is never re-rolled and the other prizes' odds do not change."
)


class CampaignStatus(StrEnum):
    DRAFT = "DRAFT"
    LIVE = "LIVE"
    PAUSED = "PAUSED"
    ENDED = "ENDED"


class PrizeKind(StrEnum):
    NONE = "NONE"
    ITEM = "ITEM"
    VOUCHER = "VOUCHER"  # a voucher of `product_id`, issued in the win's transaction


@dataclass(frozen=True)
class Prize:
    id: str
    name: str
    kind: PrizeKind
    weight: int
    stock: int | None  # None: unlimited
    product_id: str | None = None
    # What a win costs the campaign's budgets, in their currency's minor units (0: free).
    cost: int = 0

    @property
    def is_win(self) -> bool:
        return self.kind is not PrizeKind.NONE

    @property
    def is_limited(self) -> bool:
        return self.is_win and self.stock is not None


@dataclass(frozen=True)
class Limits:
    per_member_per_day: int | None = None
    per_member_total: int | None = None

    @property
    def any(self) -> bool:
        return self.per_member_per_day is not None or self.per_member_total is not None


@dataclass(frozen=True)
class Eligibility:
    tiers: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class StockPlan:
    """How a limited prize's stock is split across shard items at launch."""

    prize_id: str
    shards: tuple[int, ...]


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    prizes: tuple[Prize, ...]
    limits: Limits = Limits()
    eligibility: Eligibility = Eligibility()
    status: CampaignStatus = CampaignStatus.DRAFT
    server_seed: str | None = None
    server_seed_hash: str | None = None
    stock_plan: tuple[StockPlan, ...] = ()
    version: int = 0
    created_at: str | None = None
    # Points each spin costs, taken in the spin's own transaction; None: spins are free.
    cost_points: int | None = None
    # Each spin takes one of the member's spin credits for this campaign (won as rewards
    # or quest prizes); a member without one is refused (NO_SPIN_CREDITS).
    requires_credit: bool = False
    # The budgets that pay for its prizes, and each one's percentage (domain/budgets).
    budgets: tuple[BudgetLink, ...] = ()
    # The share of eligible members not offered the campaign, to measure it against
    # (domain/campaigns/holdout.py); 0: everyone eligible is offered it.
    holdout_percent: int = 0

    def holds_out(self, member_id: str) -> bool:
        return self.server_seed is not None and held_out(
            self.server_seed, self.id, member_id, self.holdout_percent)

    @property
    def total_weight(self) -> int:
        return sum(p.weight for p in self.prizes)

    def probability(self, prize: Prize) -> float:
        return prize.weight / self.total_weight

    def prize(self, prize_id: str) -> Prize | None:
        return next((p for p in self.prizes if p.id == prize_id), None)

    def shard_counts(self) -> dict[str, int]:
        return {plan.prize_id: len(plan.shards) for plan in self.stock_plan}

    def is_open_at(self, moment: datetime) -> bool:
        return self.status is CampaignStatus.LIVE and self.starts_at <= moment < self.ends_at


def validate(campaign: Campaign) -> None:
    """Raise ValidationFailed listing every problem with its input path."""
    problems = named_problems(campaign.id, campaign.name, MAX_NAME)
    if campaign.ends_at <= campaign.starts_at:
        problems.append(("endsAt", "must be after startsAt"))
    if not is_timezone(campaign.timezone):
        problems.append(("timezone", "must be an IANA timezone such as Europe/Paris"))
    problems += _prize_problems(campaign.prizes)
    problems += _limit_problems(campaign.limits)
    problems += _eligibility_problems(campaign.eligibility)
    problems += link_problems(campaign.budgets)
    if not 0 <= campaign.holdout_percent <= MAX_HOLDOUT:
        problems.append(("holdoutPercent", f"0 to {MAX_HOLDOUT} percent"))
    if campaign.cost_points is not None and not 1 <= campaign.cost_points <= 10**9:
        problems.append(("costPoints", "must be 1-1000000000 (or null for free spins)"))
    if problems:
        raise ValidationFailed(problems)


def _prize_problems(prizes: tuple[Prize, ...]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not 1 <= len(prizes) <= MAX_PRIZES:
        problems.append(("prizes", f"must hold 1-{MAX_PRIZES} prizes"))
    seen: set[str] = set()
    for i, prize in enumerate(prizes):
        path = f"prizes[{i}]"
        if not is_id(prize.id):
            problems.append((f"{path}.id", ID_RULE))
        elif prize.id in seen:
            problems.append((f"{path}.id", f"duplicate prize id {prize.id!r}"))
        seen.add(prize.id)
        if not prize.name.strip() or len(prize.name) > MAX_NAME:
            problems.append((f"{path}.name", f"must be 1-{MAX_NAME} characters"))
        if prize.weight <= 0:
            problems.append((f"{path}.weight", "must be > 0"))
        if prize.stock is not None and prize.stock < 0:
            problems.append((f"{path}.stock", "must be >= 0 (or null for unlimited)"))
        if prize.kind is PrizeKind.NONE and prize.stock is not None:
            problems.append((f"{path}.stock", "a NONE prize has no stock"))
        if not 0 <= prize.cost <= MAX_AMOUNT or (prize.cost and prize.kind is PrizeKind.NONE):
            problems.append((f"{path}.cost", f"0 to {MAX_AMOUNT} minor units, and 0 for a "
                                             "NONE prize"))
        if (prize.kind is PrizeKind.VOUCHER) != (prize.product_id is not None):
            problems.append((f"{path}.productId", "a VOUCHER prize, and only it, names a "
                                                  "voucher product"))
    return problems


def _limit_problems(limits: Limits) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name, value in (
        ("limits.perMemberPerDay", limits.per_member_per_day),
        ("limits.perMemberTotal", limits.per_member_total),
    ):
        if value is not None and value <= 0:
            problems.append((name, "must be > 0 (or null for no limit)"))
    return problems


def _eligibility_problems(rules: Eligibility) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for name, values in (
        ("eligibility.tiers", rules.tiers),
        ("eligibility.memberIds", rules.member_ids),
        ("eligibility.accountIds", rules.account_ids),
    ):
        if len(values) > MAX_LIST:
            problems.append((name, f"must hold at most {MAX_LIST} entries"))
        if any(not v or len(v) > 128 for v in values):
            problems.append((name, "entries must be 1-128 characters"))
    return problems


def check_change_allowed(current: Campaign, proposed: Campaign) -> None:
    """Once live, the odds are frozen: the same prizes, in order, with the same weights.

    Stock may only grow, so no member's published chance shrinks after launch.
    """
    if current.status is CampaignStatus.DRAFT:
        return
    if current.status is CampaignStatus.ENDED:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "an ended campaign cannot change")
    frozen = ErrorCode.ODDS_FROZEN
    if [p.id for p in current.prizes] != [p.id for p in proposed.prizes]:
        raise DomainError(frozen, "prizes cannot be added, removed or reordered once launched",
                          "prizes")
    for i, (old, new) in enumerate(zip(current.prizes, proposed.prizes, strict=True)):
        if (old.kind, old.weight, old.product_id) != (new.kind, new.weight, new.product_id):
            raise DomainError(frozen, "prize kind, weight and product are frozen at launch",
                              f"prizes[{i}].weight")
        if old.cost != new.cost:
            # Every instance must debit a win alike, whatever copy it caches.
            raise DomainError(frozen, "a prize's cost is frozen at launch", f"prizes[{i}].cost")
        if (old.stock is None) != (new.stock is None):
            raise DomainError(frozen, "a prize cannot switch between limited and unlimited",
                              f"prizes[{i}].stock")
        if old.stock is not None and new.stock is not None and new.stock < old.stock:
            raise DomainError(frozen, "stock can only be added once launched",
                              f"prizes[{i}].stock")
    if current.holdout_percent != proposed.holdout_percent:
        raise DomainError(frozen, "the holdout is frozen at launch", "holdoutPercent")
    if current.budgets != proposed.budgets:
        raise DomainError(frozen, "the budgets a campaign draws on are frozen at launch",
                          "budgets")
    if (current.timezone, current.starts_at) != (proposed.timezone, proposed.starts_at):
        raise DomainError(frozen, "timezone and startsAt are frozen at launch", "timezone")


def transition(campaign: Campaign, target: CampaignStatus) -> Campaign:
    allowed = {
        CampaignStatus.LIVE: (CampaignStatus.DRAFT, CampaignStatus.PAUSED),
        CampaignStatus.PAUSED: (CampaignStatus.LIVE,),
        CampaignStatus.ENDED: (CampaignStatus.LIVE, CampaignStatus.PAUSED),
    }
    if campaign.status not in allowed.get(target, ()):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"cannot go from {campaign.status.value} to {target.value}",
        )
    return replace(campaign, status=target)

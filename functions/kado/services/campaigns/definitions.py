"""Campaign use cases for marketing (admin) and for members."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from kado.domain.calendar import iso, local_day, utcnow
from kado.domain.campaigns import draw
from kado.domain.campaigns.rules import (
    Campaign,
    CampaignStatus,
    StockPlan,
    check_change_allowed,
    transition,
    validate,
)
from kado.domain.eligibility import is_eligible
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.shards import split_stock, stock_shard_count
from kado.domain.validation import require_id
from kado.services import budgets
from kado.services.kernel import definition_cache, loyalty_definitions, references
from kado.services.tiers import member_standing as standing
from kado.store import members as member_store
from kado.store.campaigns import days as campaign_days
from kado.store.campaigns import definitions as store
from kado.store.kernel.pages import Page
from kado.store.vouchers import products as product_store


def get(program: str, campaign_id: str) -> Campaign:
    campaign = store.get(program, require_id(campaign_id, "id"))
    if campaign is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no campaign {campaign_id!r}", "id")
    return campaign


def upsert(program: str, draft: Campaign) -> Campaign:
    validate(draft)
    for i, prize in enumerate(draft.prizes):
        if prize.product_id and product_store.get_product(program, prize.product_id) is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"no voucher product {prize.product_id!r}",
                              f"prizes[{i}].productId")
    references.require_audience(program, draft.eligibility.tiers,
                                draft.eligibility.account_ids)
    budgets.require_links(program, draft.budgets)
    current = store.get(program, draft.id)
    if current is None:
        created = replace(draft, status=CampaignStatus.DRAFT, server_seed=None,
                          server_seed_hash=None, stock_plan=(), version=1,
                          created_at=iso(utcnow()))
        store.save(program, created, None)
        return created
    check_change_allowed(current, draft)
    updated = replace(draft, status=current.status, server_seed=current.server_seed,
                      server_seed_hash=current.server_seed_hash, stock_plan=current.stock_plan,
                      version=current.version + 1, created_at=current.created_at)
    restock: dict[str, dict[str, Any]] = {}
    if current.status is not CampaignStatus.DRAFT:
        added = {new.id: new.stock - old.stock
                 for old, new in zip(current.prizes, updated.prizes, strict=True)
                 if new.stock is not None and old.stock is not None and new.stock > old.stock}
        restock = store.restock_parts(program, updated, added)
    store.save(program, updated, current.version, restock)
    definition_cache.forget(program, draft.id)
    return updated


def plan_stock(campaign: Campaign) -> tuple[StockPlan, ...]:
    return tuple(
        StockPlan(p.id, tuple(split_stock(p.stock, stock_shard_count(campaign.probability(p),
                                                                     p.stock))))
        for p in campaign.prizes if p.is_limited and p.stock is not None
    )


def launch(program: str, campaign_id: str) -> Campaign:
    """DRAFT -> LIVE draws the server seed and lays out the stock; PAUSED -> LIVE resumes."""
    current = get(program, campaign_id)
    live = transition(current, CampaignStatus.LIVE)
    parts: dict[str, dict[str, Any]] = {}
    if current.status is CampaignStatus.DRAFT:
        seed = draw.new_server_seed()
        live = replace(live, server_seed=seed, server_seed_hash=draw.seed_hash(seed),
                       stock_plan=plan_stock(current))
        parts = store.stock_parts(program, live)
    return _save_status(program, current, live, parts)


def pause(program: str, campaign_id: str) -> Campaign:
    current = get(program, campaign_id)
    return _save_status(program, current, transition(current, CampaignStatus.PAUSED))


def end_campaign(program: str, campaign_id: str) -> Campaign:
    current = get(program, campaign_id)
    return _save_status(program, current, transition(current, CampaignStatus.ENDED))


def _save_status(program: str, current: Campaign, target: Campaign,
                 parts: dict[str, dict[str, Any]] | None = None) -> Campaign:
    saved = replace(target, version=current.version + 1)
    # A fresh launch has no statistics shards yet, so nothing to open.
    gates = store.gate_parts(program, saved) if current.status is not CampaignStatus.DRAFT \
        else {}
    store.save(program, saved, current.version, {**(parts or {}), **gates})
    definition_cache.forget(program, current.id)
    return saved


def list_all(program: str, first: int, after: str | None) -> tuple[list[Campaign], Page]:
    page = store.list_page(program, first, after)
    return [store.from_item(i) for i in page.items], page


def list_for_member(principal: Principal, first: int,
                    after: str | None) -> tuple[list[Campaign], Page]:
    member = member_store.get_member(principal.program, principal.subject) or {}
    account = member.get("accountId")
    now = utcnow()
    # The tier in force (a lapsed one is gone; a company's where members take it).
    tier = standing.tier_in_force(principal.program, loyalty_definitions.cached(
        principal.program), member, now, account)

    def keep(item: dict[str, Any]) -> bool:
        if item.get("status") != CampaignStatus.LIVE.value:
            return False
        campaign = store.from_item(item)
        # A held-out member sees what an ineligible one sees.
        return campaign.is_open_at(now) and is_eligible(
            campaign, principal.subject, account, tier) and not campaign.holds_out(
            principal.subject)

    page = store.list_page(principal.program, first, after, keep)
    return [store.from_item(i) for i in page.items], page


@dataclass(frozen=True)
class PrizeStats:
    prize_id: str
    awarded: int
    stock_left: int | None
    stock: int | None = None  # as defined (a live campaign's edits may only raise it)


@dataclass(frozen=True)
class CampaignStats:
    spins: int
    wins: int
    out_of_stock: int
    prizes: list[PrizeStats]
    out_of_budget: int = 0


def stats(program: str, campaign: Campaign) -> CampaignStats:
    counters = store.stats(program, campaign)
    prizes = []
    for prize in campaign.prizes:
        left: int | None = None
        if prize.is_limited:
            left = (sum(store.stock_left(program, campaign, prize.id))
                    if campaign.stock_plan else prize.stock)
        prizes.append(PrizeStats(prize.id, counters.get(f"won#{prize.id}", 0), left,
                                 prize.stock))
    return CampaignStats(counters.get("spins", 0), counters.get("wins", 0),
                         counters.get("outOfStock", 0), prizes,
                         counters.get("outOfBudget", 0))


@dataclass(frozen=True)
class CampaignDay:
    day: str  # the campaign's local day
    spins: int
    wins: int
    out_of_stock: int
    players: int  # members who spun that day
    refusals: dict[str, int]  # refusal code -> spins refused
    out_of_budget: int = 0


MAX_DAYS = 90
# A day is over for counting once no spin started in it can still be committing.
SETTLED_AFTER = timedelta(minutes=10)


def days(program: str, campaign: Campaign, last: int = 14) -> list[CampaignDay]:
    """The campaign's last `last` days with spins or refusals, oldest first."""
    if not 1 <= last <= MAX_DAYS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"last must be 1-{MAX_DAYS}", "last")
    counted = campaign_days.counters(program, campaign.id)
    shown = sorted(counted)[-last:]
    played = _players(program, campaign, shown)
    out = []
    for day in shown:
        c = counted[day]
        out.append(CampaignDay(day, c["spins"], c["wins"], c["outOfStock"], played[day], {
            name.removeprefix(campaign_days.REFUSED): n for name, n in sorted(c.items())
            if name.startswith(campaign_days.REFUSED)}, c["outOfBudget"]))
    return out


def _players(program: str, campaign: Campaign, days: list[str]) -> dict[str, int]:
    """Each day's players: a finished day's kept count (counted the first time asked), the
    current day's counted now."""
    settled_before = local_day(utcnow() - SETTLED_AFTER, campaign.timezone)
    played = campaign_days.counted_players(program, campaign.id, days)
    for day in days:
        if day not in played:
            played[day] = campaign_days.players_on(program, campaign.id, day)
            if day < settled_before:
                campaign_days.keep_players(program, campaign.id, day, played[day])
    return played

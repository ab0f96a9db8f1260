"""Playing a spin: one draw, one transaction, and honest answers when it is refused."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from kado.domain.calendar import iso, local_day, utcnow
from kado.domain.campaigns import draw
from kado.domain.campaigns.rules import Campaign, Prize, PrizeKind
from kado.domain.eligibility import DEFAULT_TIER, passes_lists, tier_allowed
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import require_same
from kado.domain.ids import derived_id
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.principal import Principal
from kado.domain.shards import STAT_SHARDS, pick_shard
from kado.domain.validation import require_id, require_idempotency_key
from kado.services import budgets
from kado.services.kernel import definition_cache
from kado.services.kernel.loyalty_definitions import cached as cached_definitions
from kado.services.ledger import holders, movements
from kado.services.tiers import company_standing
from kado.services.tiers import member_standing as standing
from kado.services.vouchers import issuing as vouchers
from kado.store.campaigns import days as campaign_days
from kado.store.campaigns import definitions as campaign_store
from kado.store.campaigns import spin_credits
from kado.store.campaigns import spins as store
from kado.store.kernel.pages import Page
from kado.store.kernel.transact import Cancelled
from kado.store.ledger import SEQ, wallet_of
from kado.store.members import DECLINES, GIFT_POLICY, TierRule
from kado.store.vouchers.issued import Issue

WON, NO_PRIZE, OUT_OF_STOCK = "WON", "NO_PRIZE", "OUT_OF_STOCK"
# The drawn prize would take a budget below zero: a no-win, as out of stock is.
OUT_OF_BUDGET = "OUT_OF_BUDGET"
# Each extra attempt follows a lost race for a shard or a stale account hint;
# every lost shard race means another spin took a unit, so this bound is ample.
MAX_ATTEMPTS = 12


_log = logging.getLogger("kado.spins")


@dataclass(frozen=True)
class Spin:
    id: str
    campaign_id: str
    member_id: str
    created_at: str
    won: bool
    prize: Prize | None
    outcome: str
    drawn_prize_id: str
    idempotency_key: str
    voucher_id: str | None = None


def spin_id(program: str, member_id: str, idempotency_key: str) -> str:
    return derived_id(program, member_id, idempotency_key)


def cached_campaign(program: str, campaign_id: str) -> Campaign:
    campaign = definition_cache.get(program, require_id(campaign_id, "campaignId"))
    if campaign is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no campaign {campaign_id!r}", "campaignId")
    return campaign


def _not_live() -> DomainError:
    return DomainError(ErrorCode.CAMPAIGN_NOT_LIVE, "this campaign is not open for spins",
                       "campaignId")


# Refusals a campaign's stats count by reason: why members who tried did not play.
COUNTED_REFUSALS = frozenset({
    ErrorCode.CAMPAIGN_NOT_LIVE, ErrorCode.NOT_ELIGIBLE, ErrorCode.DAILY_LIMIT_REACHED,
    ErrorCode.TOTAL_LIMIT_REACHED, ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
    ErrorCode.INSUFFICIENT_POINTS, ErrorCode.NO_SPIN_CREDITS, ErrorCode.BUSY})


def play(principal: Principal, campaign_id: str, idempotency_key: str) -> Spin:
    try:
        return _play(principal, campaign_id, idempotency_key)
    except DomainError as refusal:
        if refusal.code in COUNTED_REFUSALS:
            _count_refusal(principal.program, campaign_id, refusal.code)
        raise


def _count_refusal(program: str, campaign_id: str, code: ErrorCode) -> None:
    """Counted after the refusal, on the campaign's local day; a failure to count never
    changes the answer the member gets. The definition is not loaded into the cache here: a
    refusal that made the instance forget a paused campaign must not cache it paused again."""
    campaign = definition_cache.held(program, campaign_id) or campaign_store.get(program,
                                                                                 campaign_id)
    if campaign is None:
        return
    try:
        campaign_days.count_refusal(program, campaign.id, local_day(utcnow(), campaign.timezone),
                                    code.value)
    except ClientError:
        _log.warning("a refusal was not counted", extra={"campaign": campaign.id})


def _play(principal: Principal, campaign_id: str, idempotency_key: str) -> Spin:
    require_idempotency_key(idempotency_key)
    campaign = cached_campaign(principal.program, campaign_id)
    now = utcnow()
    member = principal.subject
    if not campaign.is_open_at(now) or campaign.server_seed is None:
        # A retry of a spin made while the campaign was open still gets its outcome.
        stored = store.get(principal.program, member, idempotency_key)
        if stored is not None and stored.get("campaignId") == campaign.id:
            return _spin(campaign, _from_item(stored))
        raise _not_live()
    if campaign.holds_out(member):  # measured against, never offered: as if ineligible
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "this campaign is not open to you",
                          "campaignId")
    drawn = campaign.prizes[draw.pick_index(
        [p.weight for p in campaign.prizes],
        draw.draw_number(campaign.server_seed, campaign.id, member, idempotency_key))]
    shards = campaign.shard_counts().get(drawn.id, 0)
    attempt = _Attempt(
        # As this instance last saw the member (unknown: none). The member condition holds
        # it to the record, and a refusal retries with the company on file, so a company
        # member's first spin on an instance costs one refused write, not a read each time.
        account=holders.known(principal.program, member).get("accountId"),
        stock_shard=pick_shard(shards) if drawn.is_limited and shards else None,
        outcome=WON if drawn.is_win else NO_PRIZE,
    )
    if drawn.is_limited and not shards:
        attempt.outcome = OUT_OF_STOCK
    charges = _charges(principal.program, campaign, drawn, attempt, now)
    # Everything but the outcome is fixed by the draw; only the outcome and the
    # shard may change between attempts.
    record_of = partial(
        store.SpinRecord, program=principal.program,
        spin_id=spin_id(principal.program, member, idempotency_key), campaign_id=campaign.id,
        member_id=member, idempotency_key=idempotency_key, created_at=iso(now),
        day=local_day(now, campaign.timezone), drawn_prize_id=drawn.id,
        stat_shard=pick_shard(STAT_SHARDS), drawn_kind=drawn.kind.value, drawn_cost=drawn.cost)
    attempts = claims = 0
    while attempts < MAX_ATTEMPTS and claims < vouchers.MAX_POOL_CLAIMS:
        if not passes_lists(campaign, member, attempt.account) and not attempt.account_read:
            # Judged on a guess: judge again on the record before refusing.
            attempt.account_read = True
            attempt.account = holders.record(principal.program, member).get("accountId")
        if not passes_lists(campaign, member, attempt.account):
            raise DomainError(ErrorCode.NOT_ELIGIBLE, "this campaign is not open to you",
                              "campaignId")
        issue = _voucher_for(principal, drawn, attempt, now)
        record = record_of(won_prize_id=drawn.id if attempt.outcome == WON else None,
                           outcome=attempt.outcome, stock_shard=attempt.stock_shard,
                           voucher_id=issue.voucher_id if issue else None)
        prize_parts = vouchers.parts(issue, member, "member",
                                     f"won in campaign {campaign.id}, spin {record.spin_id}") \
            if issue else {}
        if attempt.outcome == WON:
            prize_parts.update(budgets.parts(principal.program, charges))
        if campaign.requires_credit:
            prize_parts["credit"] = spin_credits.take_part(principal.program, member, campaign.id)
        planned = holders.known(principal.program, member) if campaign.cost_points else {}
        price = _price(campaign, record, planned)
        try:
            store.record(record, _rules(principal.program, campaign, attempt, iso(now)),
                         prize_parts, price)
            if price is not None:
                holders.remember(principal.program, member, movements.member_after(planned, price))
            return _spin(campaign, record.__dict__)
        except Cancelled as cancelled:
            earlier = _explain(cancelled, campaign, principal, attempt, record, planned)
            if earlier is not None:
                return earlier
            charges = _recharged(principal.program, cancelled, charges, attempt)
            # A pool code someone else claimed first is progress, not contention.
            if issue and cancelled.failed("voucher") is not None:
                claims += 1
            else:
                attempts += 1
    raise DomainError(ErrorCode.BUSY, "too much contention on this campaign; retry", None)


def _charges(program: str, campaign: Campaign, drawn: Prize, attempt: _Attempt,
             now: datetime) -> list[budgets.Charge]:
    """What a win takes from the campaign's budgets; none left to pay makes it a no-win."""
    if attempt.outcome != WON or not drawn.cost:
        return []
    charges = budgets.charges_for(program, campaign.budgets, drawn.cost, now,
                                  f"campaign:{campaign.id}")
    if charges is None:
        attempt.outcome, attempt.stock_shard = OUT_OF_BUDGET, None
        return []
    return charges


def _recharged(program: str, cancelled: Cancelled, charges: list[budgets.Charge],
               attempt: _Attempt) -> list[budgets.Charge]:
    """A budget shard that refused: another that can pay, or, when no shard of that
    budget can, the spin becomes a no-win (checked on every shard, never on a guess)."""
    kept = {c.budget.id: c for c in charges}
    for charge in budgets.refused(cancelled, charges):
        again = budgets.recharge(program, charge)
        if again is None:
            attempt.outcome, attempt.stock_shard = OUT_OF_BUDGET, None
            return []
        kept[charge.budget.id] = again
    return list(kept.values())


def _voucher_for(principal: Principal, drawn: Prize, attempt: _Attempt,
                 now: datetime) -> Issue | None:
    """The voucher a winning VOUCHER prize issues; an empty pool turns the win into a no-win."""
    if attempt.outcome != WON or drawn.kind is not PrizeKind.VOUCHER or not drawn.product_id:
        return None
    product = vouchers.product(principal.program, drawn.product_id)
    issue = vouchers.prepare(principal.program, product, principal.subject, now)
    if issue is None:
        attempt.outcome, attempt.stock_shard = OUT_OF_STOCK, None
    return issue


@dataclass
class _Attempt:
    account: str | None
    stock_shard: int | None
    outcome: str
    roll: tuple[str | None, str | None, str, str | None] | None = None
    company_tier: company_standing.TierGate | None = None  # settled once on a refusal
    account_read: bool = False  # `account` is the record's, not this instance's memory


def _rules(program: str, campaign: Campaign, attempt: _Attempt, now: str) -> store.MemberRules:
    allowed = campaign.eligibility.tiers
    # The ladder matters only to a campaign that admits some tiers (so only those read it).
    ladder = cached_definitions(program).ladder if allowed else None
    if ladder is not None and company_standing.applies(ladder, attempt.account):
        return store.MemberRules(account_id=attempt.account, tiers=(),
                                 default_tier=DEFAULT_TIER,
                                 per_day=campaign.limits.per_member_per_day,
                                 per_total=campaign.limits.per_member_total, now=now,
                                 company_tier=TierRule(allowed, ladder.base.id, now))
    return store.MemberRules(account_id=attempt.account, tiers=allowed,
                             default_tier=DEFAULT_TIER,
                             per_day=campaign.limits.per_member_per_day,
                             per_total=campaign.limits.per_member_total, now=now,
                             roll=attempt.roll)


def _price(campaign: Campaign, record: store.SpinRecord,
           planned: dict[str, Any]) -> Movement | None:
    """What the spin costs, taken from the member's wallet in the spin's own transaction."""
    if not campaign.cost_points:
        return None
    return Movement(record.program, record.member_id, wallet_of(planned), Entry(
        -campaign.cost_points, f"spin in campaign {campaign.id}", "SPIN", record.spin_id,
        record.member_id, record.created_at),
        expiry=cached_definitions(record.program).expiry())


def _explain(cancelled: Cancelled, campaign: Campaign, principal: Principal,
             attempt: _Attempt, record: store.SpinRecord,
             planned: dict[str, Any]) -> Spin | None:
    """Turn a cancelled transaction into a refusal, a stored outcome, or a next attempt."""
    earlier = cancelled.failed("spin")
    if earlier is not None:
        stored = earlier.item or store.get(principal.program, principal.subject,
                                           record.idempotency_key)
        if stored is None:
            return None
        require_same(stored.get("campaignId"), campaign.id)
        return _spin(campaign, _from_item(stored))
    if cancelled.failed("stats") is not None:  # paused or ended since we cached it
        definition_cache.forget(principal.program, campaign.id)
        raise _not_live()
    if cancelled.failed("credit") is not None:
        raise DomainError(ErrorCode.NO_SPIN_CREDITS, "you have no spin credits for this "
                          "campaign", "campaignId")
    refused_account = cancelled.failed("account")
    if refused_account is not None:
        _explain_account(principal.program, refused_account.item or {}, campaign, attempt)
        return None
    limits = campaign.limits
    if cancelled.failed("total") is not None:
        raise DomainError(ErrorCode.TOTAL_LIMIT_REACHED,
                          f"at most {limits.per_member_total} spins per member", "campaignId")
    if cancelled.failed("day") is not None:
        raise DomainError(ErrorCode.DAILY_LIMIT_REACHED,
                          f"at most {limits.per_member_per_day} spins a day", "campaignId")
    refused_member = cancelled.failed("member")
    if refused_member is not None and campaign.cost_points and \
            _repriced(principal, campaign, refused_member.item or {}, planned):
        return None
    if refused_member is not None:
        _explain_member(principal.program, refused_member.item or {}, campaign, attempt)
    if cancelled.failed("stock") is not None:
        _next_shard(campaign, principal.program, attempt, record.drawn_prize_id)
    return None


def _explain_member(program: str, old: dict[str, Any], campaign: Campaign,
                    attempt: _Attempt) -> None:
    on_file = old.get("accountId")
    if on_file != attempt.account:
        # The profile is the truth: remember it, and try again with its company.
        if old.get("id"):
            holders.remember(program, old["id"], old)
        attempt.account, attempt.account_read = on_file, True
        return
    if company_standing.applies(cached_definitions(program).ladder, attempt.account):
        return  # the tier is the company's, checked on its policy copy
    in_force = standing.tier_in_force(program, cached_definitions(program), old, utcnow())
    if not tier_allowed(campaign, in_force):
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "your tier cannot play this campaign",
                          "campaignId")
    if old.get("tierUntil") and in_force != old.get("tier") and attempt.roll is None:
        # The tier on file has lapsed into one this campaign admits: record the lapse,
        # on the condition that the item is still as we judged it.
        member_standing = standing.rolled(program, old, utcnow())
        attempt.roll = (old.get("tier"), old.get("tierUntil"), in_force, member_standing)


def _explain_account(program: str, policy: dict[str, Any], campaign: Campaign,
                     attempt: _Attempt) -> None:
    """The company's policy copy refused: its gift policy, or (where members take their
    company's tier) a tier it holds no longer, or not yet on file. The latter is settled
    from the company's progress once; then the spin is tried again or refused."""
    if policy.get(GIFT_POLICY) == DECLINES:
        raise DomainError(ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
                          "your company does not accept personal gifts", "campaignId")
    ladder = cached_definitions(program).ladder
    if attempt.company_tier is None:
        attempt.company_tier = company_standing.gate(ladder, program, attempt.account)
    held = attempt.company_tier.settle_once(utcnow()) if attempt.company_tier else None
    if held is None or not tier_allowed(
            campaign, held.tier or (ladder.base.id if ladder else DEFAULT_TIER)):
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "your company's tier cannot play this "
                          "campaign", "campaignId")


def _repriced(principal: Principal, campaign: Campaign, current: dict[str, Any],
              planned: dict[str, Any]) -> bool:
    """True if the wallet had moved on (plan the price again from `current`); raises if the
    wallet is where we planned and cannot pay."""
    if current.get(SEQ) != planned.get(SEQ):
        holders.remember(principal.program, principal.subject, current)
        return True
    held = movements.spendable(principal.program, wallet_of(current), utcnow())
    if held < (campaign.cost_points or 0):
        raise DomainError(ErrorCode.INSUFFICIENT_POINTS,
                          f"a spin costs {campaign.cost_points} points; you have {held}",
                          "campaignId")
    return False


def _next_shard(campaign: Campaign, program: str, attempt: _Attempt, prize_id: str) -> None:
    """The chosen shard ran dry: pick another with stock, or settle on out of stock."""
    left = campaign_store.stock_left(program, campaign, prize_id)
    with_stock = [i for i, units in enumerate(left) if units > 0]
    if with_stock:
        attempt.stock_shard = with_stock[secrets.randbelow(len(with_stock))]
    else:
        attempt.stock_shard, attempt.outcome = None, OUT_OF_STOCK


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {"spin_id": item["id"], "campaign_id": item["campaignId"],
            "member_id": item["memberId"], "created_at": item["createdAt"],
            "won_prize_id": item.get("prizeId"), "outcome": item["outcome"],
            "drawn_prize_id": item["drawnPrizeId"], "idempotency_key": item["idempotencyKey"],
            "voucher_id": item.get("voucherId")}


def _spin(campaign: Campaign, fields: dict[str, Any]) -> Spin:
    won = fields.get("won_prize_id")
    return Spin(id=fields["spin_id"], campaign_id=fields["campaign_id"],
                member_id=fields["member_id"], created_at=fields["created_at"],
                won=won is not None, prize=campaign.prize(won) if won else None,
                outcome=fields["outcome"], drawn_prize_id=fields["drawn_prize_id"],
                idempotency_key=fields["idempotency_key"], voucher_id=fields.get("voucher_id"))


def my_spins(principal: Principal, campaign_id: str | None, first: int,
             after: str | None) -> tuple[list[Spin], Page]:
    """The member's spins in one campaign, or (no campaign named) in every campaign."""
    return spins_of(principal.program, principal.subject, campaign_id, first, after)


def spins_of(program: str, member_id: str, campaign_id: str | None, first: int,
             after: str | None) -> tuple[list[Spin], Page]:
    if campaign_id is not None:
        campaign = cached_campaign(program, campaign_id)
        page = store.list_page(program, member_id, campaign.id, first, after)
        return [_spin(campaign, _from_item(i)) for i in page.items], page
    page = store.every_campaign_page(program, member_id, first, after)
    return [_spin(cached_campaign(program, i["campaignId"]), _from_item(i))
            for i in page.items], page


def credits_of(program: str, member_id: str) -> Page:
    """The spin credits a member holds, per campaign."""
    return spin_credits.of_member(program, member_id)

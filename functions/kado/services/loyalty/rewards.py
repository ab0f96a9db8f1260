"""Spending points on the catalogue: one transaction, one round trip.

  redemption  the record, keyed by member + idempotency key (attribute_not_exists)
  member      the wallet, from the seq the plan read, with points >= cost as a condition
  entry       the points ledger entry
  stock       one unit of the reward's stock (left > 0), if it has stock
  voucher     a VOUCHER reward's voucher and its ledger line
  credits     a SPIN_CREDITS reward's spins, added to the member's credits for its campaign
  companyTier where members take their company's tier: that it holds one the reward admits
  terms       that the reward's cost and budgets are the ones this instance planned with
  budget:*    the reward's cost, from each budget that pays it (services/budgets)
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import require_same
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.domain.principal import Principal
from kado.domain.tiers import Level
from kado.domain.validation import require_id, require_idempotency_key
from kado.services import budgets
from kado.services.kernel import part_names
from kado.services.kernel.loyalty_definitions import (
    Definitions,
    WalletMode,
    cached,
    forget,
    upsert_reward,
)
from kado.services.ledger import holders, movements, optimistic
from kado.services.loyalty import company_wallets
from kado.services.tiers import company_standing
from kado.services.tiers.member_standing import tier_in_force
from kado.services.vouchers import issuing as vouchers
from kado.store import ledger as store
from kado.store.campaigns import spin_credits
from kado.store.kernel.transact import Cancelled
from kado.store.loyalty import rewards as reward_store


@dataclass(frozen=True)
class RewardRedemption:
    reward_id: str
    cost_points: int
    balance_after: int
    redeemed_at: str
    voucher_id: str | None


def save(program: str, reward: Reward) -> Reward:
    """Define (or change) a reward; the budgets it names must be open, in one currency."""
    budgets.require_links(program, reward.budgets)
    return upsert_reward(program, reward)


def catalogue(principal: Principal) -> list[Reward]:
    """The rewards open to the caller's tier and company now."""
    d = cached(principal.program)
    member = store.get_member(principal.program, principal.subject) or {}
    account = member.get("accountId")
    tier = tier_in_force(principal.program, d, member, utcnow(), account)
    return [r for r in d.rewards if r.open_to(tier, account)]


class TermsChanged(Exception):
    """The reward's cost or budgets changed since this instance cached it."""


def redeem(principal: Principal, reward_id: str, idempotency_key: str) -> RewardRedemption:
    for _ in range(2):  # judged on a stale copy of the member: once more, on the record
        with contextlib.suppress(company_wallets.CompanyMoved):
            try:
                return _redeem(principal, reward_id, idempotency_key)
            except TermsChanged:
                forget(principal.program)  # plan once more on the reward as it is now
    raise DomainError(ErrorCode.BUSY, "your company is changing; retry with the same key",
                      "rewardId")


def _redeem(principal: Principal, reward_id: str, idempotency_key: str) -> RewardRedemption:
    require_idempotency_key(idempotency_key)
    d = cached(principal.program)
    reward = d.reward(require_id(reward_id, "rewardId"))
    if reward is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no reward {reward_id!r}", "rewardId")
    return _Redemption(principal, d, reward, idempotency_key).run()


class _Redemption:
    """One member's redemption of one reward under one idempotency key: planned from the
    remembered items (`plan`), explained from a refusal (`explain`), found again when the
    key was used before (`earlier`)."""

    def __init__(self, principal: Principal, d: Definitions, reward: Reward, key: str) -> None:
        self.principal, self.d, self.reward, self.key = principal, d, reward, key
        self.program, self.member_id = principal.program, principal.subject
        self.product = vouchers.product(self.program, reward.product_id) \
            if reward.product_id else None
        self.payer, self.company_tier = _company(d, principal)
        self.checked_fresh = False  # the record was read once for eligibility already
        self.charges = budgets.charges_or_refuse(self.program, reward.budgets, reward.cost,
                                                 "rewardId", "this reward",
                                                 f"reward:{reward.id}")

    def run(self) -> RewardRedemption:
        if self.payer is not None:
            payer = self.payer
            return company_wallets.spend(
                self.program, self.member_id, payer, self.reward.cost_points,
                lambda shard, item, member: self.plan(member, item, (payer, shard), "wallet"),
                self.explain, self.earlier)
        return optimistic.commit(
            self.program, {"member": self.member_id},
            lambda items: self.plan(items["member"], items["member"], None, "member"),
            self.explain)

    def plan(self, member: dict[str, Any], purse: dict[str, Any],
             shard: tuple[str, int] | None, part: str) -> optimistic.Plan[RewardRedemption]:
        """Pay from `purse` (the member item, or a company wallet shard) as part `part`."""
        reward, program, member_id = self.reward, self.program, self.member_id
        now = utcnow()
        member = self._judged(member, shard, now)
        if shard is None:
            purse = member
        wallet, at = store.wallet_of(purse), iso(now)
        issue = vouchers.prepare(program, self.product, member_id, now) if self.product else None
        if self.product is not None and issue is None:
            raise DomainError(ErrorCode.OUT_OF_STOCK, "this reward's codes have run out",
                              "rewardId")
        # A company shard holds no tier: the tier was judged from the member just read.
        movement = Movement(
            program, member_id, wallet,
            Entry(-reward.cost_points, f"reward {reward.name}", "REWARD", self.key,
                  member_id, at),
            expected_tier=member.get(store.TIER),
            check_tier=bool(reward.tiers) and not shard and not self.company_tier,
            shard=shard, expiry=self.d.expiry())
        outcome = RewardRedemption(reward.id, reward.cost_points, movement.settled().balance,
                                   at, issue.voucher_id if issue else None)
        parts = {"redemption": reward_store.reward_redemption_part(program, member_id, self.key, {
            "rewardId": reward.id, "costPoints": reward.cost_points,
            "balanceAfter": outcome.balance_after, "redeemedAt": at,
            "voucherId": outcome.voucher_id, "companyWallet": shard[0] if shard else None}),
            **store.movement_parts(movement, part)}
        if reward.stock is not None:
            parts["stock"] = reward_store.reward_stock_part(program, reward.id)
        parts["terms"] = reward_store.reward_terms_part(
            program, reward.id, reward.terms_stamp, free=not reward.cost and not reward.budgets)
        parts |= budgets.parts(program, self.charges)
        if reward.kind is RewardKind.SPIN_CREDITS and reward.campaign_id:
            parts["credits"] = spin_credits.grant_part(program, member_id, reward.campaign_id,
                                                       reward.credits, at)
        if self.company_tier and reward.tiers:  # the company's tier, as stored now
            parts[part_names.COMPANY_TIER] = self.company_tier.check_part(reward.tiers, at)
        if issue is not None:
            voucher = vouchers.parts(issue, member_id, "member", f"reward {reward.id}")
            parts |= {f"voucher_{name}": p for name, p in voucher.items()}
        return optimistic.Plan(parts, {part: movements.member_after(purse, movement)},
                               outcome, spends="rewardId", payer=part)

    def _judged(self, member: dict[str, Any], shard: tuple[str, int] | None,
                now: datetime) -> dict[str, Any]:
        """The member the reward is judged on: refused on this instance's copy, it is judged
        once more on the record (and on a settled company tier) before it is refused."""
        if self.company_tier and not self._open(member, now):
            self.company_tier.settle_once(now)  # this instance's view may trail: settle
        if not self._open(member, now) and not self.checked_fresh and shard is None:
            self.checked_fresh = True  # the remembered copy may be stale: judge the real one
            member = store.get_member(self.program, self.member_id) or {}
            holders.remember(self.program, self.member_id, member)
        if not self._open(member, now):
            raise DomainError(ErrorCode.NOT_ELIGIBLE, "this reward is not open to you",
                              "rewardId")
        return member

    def _open(self, member: dict[str, Any], now: datetime) -> bool:
        return _open_to(self.d, self.reward, member, self.principal, now)

    def earlier(self) -> RewardRedemption | None:
        found = reward_store.get_reward_redemption(self.program, self.member_id, self.key)
        if found is None:
            return None
        require_same(found.get("rewardId"), self.reward.id)
        return RewardRedemption(found["rewardId"], found["costPoints"], found["balanceAfter"],
                                found["redeemedAt"], found.get("voucherId"))

    def explain(self, cancelled: Cancelled) -> RewardRedemption | None:
        if cancelled.failed("redemption") is not None:
            return self.earlier()
        if cancelled.failed("stock") is not None:
            raise DomainError(ErrorCode.OUT_OF_STOCK, "this reward is out of stock", "rewardId")
        if cancelled.failed("terms") is not None:
            raise TermsChanged()
        self.charges = budgets.recharged_or_refused(self.program, cancelled, self.charges,
                                                    "rewardId", "this reward")
        if cancelled.failed(part_names.COMPANY_TIER) is not None and self.company_tier and \
                self.company_tier.settle_once(utcnow()) is None:
            raise DomainError(ErrorCode.NOT_ELIGIBLE, "this reward is not open to your "
                              "company's tier", "rewardId")
        return None  # a stale copy or a pool code taken first: plan again


def _company(d: Definitions, principal: Principal
             ) -> tuple[str | None, company_standing.TierGate | None]:
    """The company that pays (with company wallets), and the gate on the company's tier
    (with a company ladder): the member's company is found once for both."""
    climbs = d.ladder is not None and d.ladder.level is Level.ACCOUNT
    wallets = d.settings.wallet is WalletMode.ACCOUNT
    company = _account(principal) if climbs or wallets else None
    return (company if wallets else None,
            company_standing.gate(d.ladder, principal.program, company) if climbs else None)


def _account(principal: Principal) -> str | None:
    """The member's company as this instance last saw the member (else read now). A company
    spend reads the member again with the company's shards, in one consistent batch, and
    plans again if another instance moved the member meanwhile (CompanyMoved)."""
    known = holders.known(principal.program, principal.subject).get("accountId")
    if known:  # the spend checks it against the record, with the shards
        return str(known)
    # None known: nothing would check it in the member's own wallet, so read the record.
    return holders.record(principal.program, principal.subject).get("accountId")


def _open_to(d: Definitions, reward: Reward, member: dict[str, Any], principal: Principal,
             now: datetime) -> bool:
    account = member.get("accountId")
    return reward.open_to(tier_in_force(principal.program, d, member, now, account), account)

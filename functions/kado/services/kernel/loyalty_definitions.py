"""What marketing defines for points and tiers: earning rules, the ladder, settings.

Read on every activity, so cached per instance (definition_cache) like campaigns. No
invariant rests on the cached copy: balances and standings are conditions on the
member item, and a rule or ladder edit reaches every instance within the cache TTL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kado.config import settings as settings_module
from kado.domain import tiers
from kado.domain.budgets import CURRENCY, MAX_AMOUNT, BudgetLink
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ledger.lots import ExpiryRule
from kado.domain.loyalty import earning
from kado.domain.loyalty import rewards as reward_rules
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.domain.referrals import ReferralTerms
from kado.domain.referrals import validate as validate_referral_terms
from kado.domain.validation import is_id
from kado.services.kernel.ttl_cache import TtlCache
from kado.store.loyalty import definitions as definition_store
from kado.store.loyalty import rewards as reward_store

RULE, LADDER, SETTINGS, REWARD = "EARNING_RULE", "TIER_LADDER", "LOYALTY_SETTINGS", "REWARD"
TERMS_STAMP = "termsStamp"  # a reward's cost and budgets, checked by each redemption
POINTS_TERMS = "pointsTerms"  # the point value and points budgets, checked by adjustments
REFERRALS = "REFERRAL_TERMS"
DEFAULT_LATE_GRACE_DAYS = 30
MAX_CUSTOM_TYPES = 50


class WalletMode(StrEnum):
    MEMBER = "MEMBER"  # points are the member's
    ACCOUNT = "ACCOUNT"  # points go to the member's company; any of its members can spend


class UnknownMembers(StrEnum):
    """What an activity or an adjustment for a member not on file does: one rule per
    program, as issuing a voucher already refuses an unknown member."""

    REFUSE = "REFUSE"  # NOT_FOUND at memberId: a typo never earns (nor climbs a board)
    ENROL = "ENROL"  # the member is put on the program's roster by that first movement


@dataclass(frozen=True)
class Settings:
    custom_activity_types: frozenset[str] = frozenset()
    # A late activity counts in the period it occurred in, until this long after that
    # period ends; later it is refused (LATE_ACTIVITY).
    late_grace_days: int = DEFAULT_LATE_GRACE_DAYS
    wallet: WalletMode = WalletMode.MEMBER
    # Points expire at the end of the month this many months after they are earned.
    points_expire_months: int | None = None
    unknown_members: UnknownMembers = UnknownMembers.REFUSE
    # What one point is worth to the program, in minor units of `point_currency`: the money
    # its outstanding points are a debt of (the liability report).
    point_value: int | None = None
    point_currency: str | None = None
    # The budgets that pay for points given (activities and adjustments), at the point
    # value, from the moment every instance knows them: a change is saved to take effect
    # one cache time later, so no instance gives points on an older copy after it.
    points_budgets: tuple[BudgetLink, ...] = ()
    points_budgets_from: str | None = None
    # The program's own budgets: they pay for every award that costs money (a prize, a
    # reward, an event registration, points at the point value) beside the award's own
    # budgets, from the same kind of moment.
    program_budgets: tuple[BudgetLink, ...] = ()
    program_budgets_from: str | None = None

    def program_paid_at(self, now: datetime) -> tuple[BudgetLink, ...]:
        """The program's budgets an award at `now` is paid from (none before they apply)."""
        return self.program_budgets if self.program_budgets_from is None or \
            iso(now) >= self.program_budgets_from else ()

    def points_paid_at(self, now: datetime) -> tuple[BudgetLink, ...]:
        """The budgets points given at `now` are paid from (none before they apply)."""
        if not self.points_budgets or self.point_value is None:
            return ()
        return self.points_budgets if self.points_budgets_from is None or \
            iso(now) >= self.points_budgets_from else ()

    @property
    def points_terms(self) -> str:
        """What every instance must agree on before it gives points that cost money:
        held on the settings item and checked by each adjustment's transaction."""
        return ",".join([f"{self.point_value}{self.point_currency or ''}"] +
                        [f"{b.budget_id}:{b.percent}" for b in self.points_budgets])


@dataclass(frozen=True)
class Definitions:
    rules: tuple[earning.EarningRule, ...]
    ladder: tiers.Ladder | None
    settings: Settings
    rewards: tuple[Reward, ...] = ()
    referrals: ReferralTerms | None = None  # None: the program runs no referrals

    def reward(self, reward_id: str) -> Reward | None:
        return next((r for r in self.rewards if r.id == reward_id), None)

    def base_tier(self) -> str:
        return self.ladder.base.id if self.ladder else ""

    def expiry(self) -> ExpiryRule | None:
        """How points expire (months counted in the ladder's timezone, else UTC)."""
        months = self.settings.points_expire_months
        return ExpiryRule(months, self.ladder.timezone if self.ladder else "UTC") \
            if months else None


def _rule(item: dict[str, Any]) -> earning.EarningRule:
    return earning.EarningRule(
        id=item["id"], name=item["name"], activity_type=item["activityType"],
        tags=tuple(item.get("tags", ())), min_amount=item.get("minAmount"),
        points_per_unit=item.get("pointsPerUnit"), fixed_points=item.get("fixedPoints"),
        tier_multipliers=tuple((t, p) for t, p in item.get("tierMultipliers", [])),
        starts_at=parse_iso(item["startsAt"]) if item.get("startsAt") else None,
        ends_at=parse_iso(item["endsAt"]) if item.get("endsAt") else None,
        cap_per_day=item.get("capPerDay"), cap_per_month=item.get("capPerMonth"),
        pending_days=item.get("pendingDays", 0))


def _ladder(item: dict[str, Any]) -> tiers.Ladder:
    return tiers.Ladder(
        metric=tiers.Metric(item["metric"]), window=tiers.Window(item["window"]),
        timezone=item["timezone"], downgrade=tiers.Downgrade(item["downgrade"]),
        activity_type=item.get("activityType"), version=item.get("version", 0),
        grace_days=item.get("graceDays", 0),
        level=tiers.Level(item.get("level", tiers.Level.MEMBER)),
        counts=tiers.Counts(item.get("counts", tiers.Counts.OWN)),
        tiers=tuple(tiers.Tier(t["id"], t["name"], t["threshold"], t["pointsMultiplier"])
                    for t in item["tiers"]))


def _reward(item: dict[str, Any]) -> Reward:
    return Reward(
        id=item["id"], name=item["name"], cost_points=item["costPoints"],
        kind=RewardKind(item["kind"]), product_id=item.get("productId"),
        stock=item.get("stock"), tiers=tuple(item.get("tiers", ())),
        account_ids=tuple(item.get("accountIds", ())), campaign_id=item.get("campaignId"),
        credits=item.get("credits", 0), cost=item.get("cost", 0),
        budgets=tuple(BudgetLink(b["budgetId"], b["percent"]) for b in item.get("budgets", ())))


def load(program: str) -> Definitions:
    rules, ladder, settings, catalogue = [], None, Settings(), []
    referrals = None
    for item in definition_store.definitions(program):
        if item["type"] == REWARD:
            catalogue.append(_reward(item))
        elif item["type"] == RULE:
            rules.append(_rule(item))
        elif item["type"] == LADDER:
            ladder = _ladder(item)
        elif item["type"] == REFERRALS:
            referrals = ReferralTerms(item["minPurchase"], item["withinDays"], item["holdDays"],
                                      item["advocatePoints"], item["referredPoints"],
                                      item["capPerMonth"])
        elif item["type"] == SETTINGS:
            settings = Settings(frozenset(item.get("customActivityTypes", ())),
                                item.get("lateGraceDays", DEFAULT_LATE_GRACE_DAYS),
                                WalletMode(item.get("wallet", WalletMode.MEMBER)),
                                item.get("pointsExpireMonths"),
                                UnknownMembers(item.get("unknownMembers",
                                                        UnknownMembers.REFUSE)),
                                item.get("pointValue"), item.get("pointCurrency"),
                                tuple(BudgetLink(b["budgetId"], b["percent"])
                                      for b in item.get("pointsBudgets", ())),
                                item.get("pointsBudgetsFrom"),
                                tuple(BudgetLink(b["budgetId"], b["percent"])
                                      for b in item.get("programBudgets", ())),
                                item.get("programBudgetsFrom"))
    return Definitions(tuple(sorted(rules, key=lambda r: r.id)), ladder, settings,
                       tuple(sorted(catalogue, key=lambda r: r.id)), referrals)


_cache: TtlCache[str, Definitions] = TtlCache(load)


def cached(program: str) -> Definitions:
    found = _cache.get(program)
    assert found is not None  # load always answers
    return found


def forget(program: str) -> None:
    _cache.forget(program)


def upsert_rule(program: str, rule: earning.EarningRule) -> earning.EarningRule:
    earning.validate(rule)
    current = load(program)
    if rule.id not in {r.id for r in current.rules} and len(current.rules) >= earning.MAX_RULES:
        raise DomainError(ErrorCode.INVALID_INPUT,
                          f"a program has at most {earning.MAX_RULES} earning rules", "id")
    definition_store.put_definition(program, RULE, rule.id, {
        "name": rule.name, "activityType": rule.activity_type, "tags": list(rule.tags),
        "minAmount": rule.min_amount, "pointsPerUnit": rule.points_per_unit,
        "fixedPoints": rule.fixed_points,
        "tierMultipliers": [list(t) for t in rule.tier_multipliers],
        "startsAt": iso(rule.starts_at) if rule.starts_at else None,
        "endsAt": iso(rule.ends_at) if rule.ends_at else None,
        "capPerDay": rule.cap_per_day, "capPerMonth": rule.cap_per_month,
        "pendingDays": rule.pending_days,
        "updatedAt": iso(utcnow())})
    forget(program)
    return rule


def _structure(ladder: tiers.Ladder) -> tuple[Any, ...]:
    return (ladder.metric, ladder.window, ladder.timezone, ladder.downgrade,
            ladder.grace_days, ladder.activity_type, ladder.level,
            ladder.counts,
            tuple((t.id, t.threshold) for t in ladder.tiers))


def upsert_ladder(program: str, ladder: tiers.Ladder) -> tiers.Ladder:
    """Names and multipliers may change; thresholds, tiers, metric and window may not once
    the ladder exists, so no edit ever silently re-places a member."""
    tiers.validate(ladder)
    current = load(program).ladder
    if current is not None and _structure(current) != _structure(ladder):
        raise DomainError(ErrorCode.LADDER_IN_USE,
                          "members hold progress on this ladder: only tier names and "
                          "multipliers can change", "tiers")
    saved = replace(ladder, version=(current.version if current else 0) + 1)
    definition_store.put_definition(program, LADDER, "ladder", {
        "metric": saved.metric.value, "window": saved.window.value,
        "timezone": saved.timezone, "downgrade": saved.downgrade.value,
        "activityType": saved.activity_type, "version": saved.version,
        "graceDays": saved.grace_days, "level": saved.level.value,
        "counts": saved.counts.value,
        "tiers": [{"id": t.id, "name": t.name, "threshold": t.threshold,
                   "pointsMultiplier": t.points_multiplier} for t in saved.tiers]},
        expected_version=current.version if current else None)
    forget(program)
    return saved


def upsert_settings(program: str, settings: Settings) -> Settings:
    if len(settings.custom_activity_types) > MAX_CUSTOM_TYPES or not all(
            is_id(t) and t.upper() == t for t in settings.custom_activity_types):
        raise DomainError(ErrorCode.INVALID_INPUT,
                          f"at most {MAX_CUSTOM_TYPES} names in capitals, digits, '_'",
                          "customActivityTypes")
    if not 0 <= settings.late_grace_days <= 366:
        raise DomainError(ErrorCode.INVALID_INPUT, "must be 0-366 days", "lateGraceDays")
    if settings.points_expire_months is not None and \
            not 1 <= settings.points_expire_months <= 120:
        raise DomainError(ErrorCode.INVALID_INPUT, "must be 1-120 months, or omitted",
                          "pointsExpireMonths")
    if (settings.point_value is None) != (settings.point_currency is None) or (
            settings.point_value is not None and not (
                0 < settings.point_value <= MAX_AMOUNT and
                CURRENCY.fullmatch(settings.point_currency or ""))):
        raise DomainError(ErrorCode.INVALID_INPUT, "a point value is 1 or more minor units "
                          "with its ISO 4217 currency (VND, THB, EUR), or neither",
                          "pointValue")
    if settings.points_budgets and settings.point_value is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "points are paid from a budget at a point "
                          "value: set pointValue first", "pointsBudgets")
    definition_store.put_definition(program, SETTINGS, "settings", {
        "customActivityTypes": sorted(settings.custom_activity_types),
        "lateGraceDays": settings.late_grace_days, "wallet": settings.wallet.value,
        "pointsExpireMonths": settings.points_expire_months,
        "unknownMembers": settings.unknown_members.value,
        "pointValue": settings.point_value, "pointCurrency": settings.point_currency,
        "pointsBudgets": [{"budgetId": b.budget_id, "percent": b.percent}
                          for b in settings.points_budgets],
        POINTS_TERMS: settings.points_terms,
        "programBudgets": [{"budgetId": b.budget_id, "percent": b.percent}
                           for b in settings.program_budgets],
        **_applies_from(program, settings)})
    forget(program)
    return settings


def _applies_from(program: str, settings: Settings) -> dict[str, str | None]:
    """When the points budgets and the program's budgets apply: as before if they did not
    change, else once every instance's cached copy has run out (the cache time, and a
    second)."""
    before = load(program).settings
    later = iso(utcnow() + timedelta(seconds=settings_module().definition_cache_seconds + 1))
    same_points = (before.points_budgets, before.point_value) == \
        (settings.points_budgets, settings.point_value)
    same_program = before.program_budgets == settings.program_budgets
    return {"pointsBudgetsFrom": before.points_budgets_from if same_points else later,
            "programBudgetsFrom": before.program_budgets_from if same_program else later}


def upsert_reward(program: str, reward: Reward) -> Reward:
    """Stock given is the total ever; a change adds the difference to what is left."""
    reward_rules.validate(reward)
    current = load(program).reward(reward.id)
    definition_store.put_definition(program, REWARD, reward.id, {
        "name": reward.name, "costPoints": reward.cost_points, "kind": reward.kind.value,
        "productId": reward.product_id, "stock": reward.stock, "tiers": list(reward.tiers),
        "accountIds": list(reward.account_ids), "campaignId": reward.campaign_id,
        "credits": reward.credits, "cost": reward.cost,
        "budgets": [{"budgetId": b.budget_id, "percent": b.percent} for b in reward.budgets],
        TERMS_STAMP: reward.terms_stamp})
    added = (reward.stock or 0) - ((current.stock or 0) if current else 0)
    if reward.stock is not None and added:
        reward_store.add_reward_stock(program, reward.id, added)
    forget(program)
    return reward


def upsert_referral_terms(program: str, terms: ReferralTerms) -> ReferralTerms:
    validate_referral_terms(terms)
    definition_store.put_definition(program, REFERRALS, "referrals", {
        "minPurchase": terms.min_purchase, "withinDays": terms.within_days,
        "holdDays": terms.hold_days, "advocatePoints": terms.advocate_points,
        "referredPoints": terms.referred_points, "capPerMonth": terms.cap_per_month})
    forget(program)
    return terms

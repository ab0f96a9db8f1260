"""Earning rules: which activities earn points, and how many."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kado.domain import periods
from kado.domain.activities import Activity
from kado.domain.errors import ValidationFailed
from kado.domain.validation import MAX_NAME_TEXT, is_id, named_problems

MAX_RULES = 50  # a program's rules are read whole on every activity (cached)
MAX_POINTS = 10**9


@dataclass(frozen=True)
class EarningRule:
    id: str
    name: str
    activity_type: str
    tags: tuple[str, ...] = ()  # every tag must be on the activity
    min_amount: int | None = None  # minor units
    points_per_unit: int | None = None  # points per whole currency unit (100 minor units)
    fixed_points: int | None = None
    # Tier id -> percent (150 = 1.5x); tiers not named earn 100 %.
    tier_multipliers: tuple[tuple[str, int], ...] = field(default=())
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # Most points one member earns by this rule in a day / a month (the activity's, in the
    # ladder's timezone); an activity near the cap earns what is left of it.
    cap_per_day: int | None = None
    cap_per_month: int | None = None
    # Points are held, not spendable, this many days after the activity (a return window).
    pending_days: int = 0

    def matches(self, a: Activity) -> bool:
        if a.type != self.activity_type or not set(self.tags) <= set(a.tags):
            return False
        if self.min_amount is not None and (a.amount is None or a.amount.value < self.min_amount):
            return False
        if self.starts_at and a.occurred_at < self.starts_at:
            return False
        return not (self.ends_at and a.occurred_at >= self.ends_at)

    def points(self, a: Activity, tier: str | None, tier_percent: int = 100) -> int:
        """Rules are judged at `occurredAt`: a late activity earns what it earned then.
        The rule's own multiplier for the tier wins over the tier's (`tier_percent`)."""
        if not self.matches(a):
            return 0
        base = self.fixed_points or 0
        if self.points_per_unit and a.amount is not None:
            base += a.amount.value * self.points_per_unit // 100
        percent = dict(self.tier_multipliers).get(tier or "", tier_percent)
        return min(MAX_POINTS, base * percent // 100)


def by_rule(rules: list[EarningRule], a: Activity, tier: str | None,
            tier_percent: int = 100) -> dict[str, int]:
    """Rule id -> points, for the rules that award any."""
    earned = {r.id: r.points(a, tier, tier_percent) for r in rules}
    return {rule_id: p for rule_id, p in earned.items() if p > 0}


@dataclass(frozen=True)
class Cap:
    rule_id: str
    window: str  # periods.DAY or periods.MONTH
    period: str  # the day (2026-11-24) or month (2026-11)
    limit: int

    def expires_at(self) -> int:
        """When its counter may go (epoch seconds, for TTL): a few days past its window."""
        kept = timedelta(days=3 if self.window == periods.DAY else 35)
        return int((periods.starts(self.window, self.period) + kept).timestamp())


def caps(rule: EarningRule, day: str) -> list[Cap]:
    found = []
    if rule.cap_per_day is not None:
        found.append(Cap(rule.id, periods.DAY, day, rule.cap_per_day))
    if rule.cap_per_month is not None:
        found.append(Cap(rule.id, periods.MONTH, periods.month_of_day(day),
                         rule.cap_per_month))
    return found


def capped(points: int, caps_and_used: list[tuple[Cap, int]]) -> int:
    """What is left to earn under every cap, given what each has used."""
    return max(0, min([points] + [cap.limit - used for cap, used in caps_and_used]))


def validate(rule: EarningRule) -> None:
    problems = named_problems(rule.id, rule.name, MAX_NAME_TEXT)
    if not rule.activity_type:
        problems.append(("activityType", "is required"))
    if rule.points_per_unit is None and rule.fixed_points is None:
        problems.append(("pointsPerUnit", "give pointsPerUnit, fixedPoints or both"))
    for name, value in (("pointsPerUnit", rule.points_per_unit),
                        ("fixedPoints", rule.fixed_points), ("minAmount", rule.min_amount)):
        if value is not None and not 0 <= value <= MAX_POINTS:
            problems.append((name, f"must be 0-{MAX_POINTS}"))
    for i, (tier, percent) in enumerate(rule.tier_multipliers):
        if not is_id(tier) or not 0 <= percent <= 1000:
            problems.append((f"tierMultipliers[{i}]", "a tier id and a percent 0-1000"))
    if not 0 <= rule.pending_days <= 366:
        problems.append(("pendingDays", "must be 0-366"))
    for name, cap in (("capPerDay", rule.cap_per_day), ("capPerMonth", rule.cap_per_month)):
        if cap is not None and not 1 <= cap <= MAX_POINTS:
            problems.append((name, f"must be 1-{MAX_POINTS}, or omitted for no cap"))
    if rule.starts_at and rule.ends_at and rule.ends_at <= rule.starts_at:
        problems.append(("endsAt", "must be after startsAt"))
    if problems:
        raise ValidationFailed(problems)

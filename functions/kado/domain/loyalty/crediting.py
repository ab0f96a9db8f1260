"""What an activity credits besides its rules' points: the points held back until a return
window has passed, the credit to the tier ladder's metric, and the ledger line's reason.

Pure: the activity's transaction (services/activities/recording.py) writes what this says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kado.domain import tiers
from kado.domain.activities import Activity, ActivityType
from kado.domain.ledger.pending import Pending
from kado.domain.loyalty.earning import EarningRule


@dataclass(frozen=True)
class Returned:
    """A return's share of its purchase."""

    amount: int  # minor units returned
    points: int  # points taken back
    purchase_occurred_at: datetime  # the period the purchase counted in


def held_back(a: Activity, rules: Sequence[EarningRule], earned: dict[str, int]) -> Pending:
    """The earned points each rule holds back, by the UTC day they become spendable."""
    days = {r.id: r.pending_days for r in rules}
    held: dict[str, int] = {}
    for rule_id, points_earned in earned.items():
        if days.get(rule_id) and points_earned:
            day = (a.occurred_at + timedelta(days=days[rule_id])).astimezone(UTC).date()
            held[day.isoformat()] = held.get(day.isoformat(), 0) + points_earned
    return held


def tier_credit(ladder: tiers.Ladder, a: Activity, delta: int,
                returned: Returned | None) -> tuple[int, datetime]:
    """What an activity adds to the ladder's metric and when it counts: a return takes its
    share back from the period its purchase counted in."""
    if returned is not None:
        # A partial return takes back amount and points, not the purchase itself: an
        # ACTIVITY_COUNT ladder keeps counting it.
        credit = 0 if ladder.metric is tiers.Metric.ACTIVITY_COUNT else \
            -ladder.credit("PURCHASE", returned.amount, returned.points)
        return credit, returned.purchase_occurred_at
    return ladder.credit(a.type, a.amount.value if a.amount else None, delta), a.occurred_at


def credited(ladder: tiers.Ladder, standing: tiers.Standing, a: Activity, delta: int,
             returned: Returned | None, now: datetime
             ) -> tuple[tiers.Standing, tiers.Tier | None, str]:
    """A member's standing after the activity's tier credit, the tier it upgraded to, and
    the period credited."""
    credit, occurred = tier_credit(ladder, a, delta, returned)
    period = tiers.period_of(occurred, ladder.window, ladder.timezone).key
    after, upgraded = tiers.credited(ladder, standing, occurred, credit, now)
    return after, upgraded, period


def ledger_reason(a: Activity, rule_ids: list[str]) -> str:
    """Why the ledger line moved: the return it was, or the rules that earned."""
    if a.type == ActivityType.RETURN:
        return f"returned {a.returns}"
    return f"{a.type} by rules {', '.join(rule_ids)}" if rule_ids else a.type

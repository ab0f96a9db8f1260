"""Where a member stands: points, the tier in force now, and progress to the next one.

The tier in force is computed from the stored standing and the clock, so a lapse holds
from its moment on, whether or not anything has rewritten the member item since.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from kado.domain import tiers
from kado.domain.calendar import iso
from kado.domain.eligibility import DEFAULT_TIER
from kado.domain.ledger.movements import Wallet
from kado.services.kernel.loyalty_definitions import Definitions, cached
from kado.services.ledger import movements
from kado.services.tiers import company_standing
from kado.store import ledger as store
from kado.store.kernel.pages import Page


def ledger_page(program: str, member_id: str, first: int, after: str | None) -> Page:
    return store.ledger_page(program, member_id, first, after)


def member_on_file(program: str, member_id: str) -> dict[str, Any] | None:
    """The member item as stored (points, tier standing), read consistently."""
    return store.get_member(program, member_id)




@dataclass(frozen=True)
class Progress:
    metric: str
    period: str
    period_ends_at: datetime
    value: int
    next_tier: str | None
    needed: int | None  # more of the metric to reach next_tier this period
    tier_until: datetime | None  # when the tier in force lapses, unless earned again


@dataclass(frozen=True)
class Standing:
    tier: str
    points: Wallet  # as held now: lapsed points are gone
    progress: Progress | None
    expiring: list[tuple[str, int]] = field(default_factory=list)  # (month, points) to come
    pending: int = 0  # held, not spendable yet (inside a return window)


def tier_in_force(program: str, d: Definitions, member: dict[str, Any], now: datetime,
                  account_id: str | None = None) -> str:
    """The tier the member holds for eligibility and multipliers: their company's where
    the ladder is ACCOUNT and they have one (`account_id`, else the one on file)."""
    if d.ladder is None:
        return str(member.get(store.TIER) or DEFAULT_TIER)
    account = account_id or member.get("accountId")
    if company_standing.applies(d.ladder, account):
        return company_standing.tier_in_force(program, str(account), now)
    standing = tiers.effective(d.ladder, store.standing_of(member, d.ladder.base.id), now)
    return standing.tier or d.ladder.base.id


def tiers_in_force(program: str, member_ids: list[str], now: datetime) -> dict[str, str]:
    """The tier in force of each listed member (one batched read of their items), as every
    rule judges it: a lapse holds from its moment whether or not anything has run."""
    d = cached(program)
    items = store.get_members(program, member_ids)
    return {m: tier_in_force(program, d, items.get(m, {}), now) for m in member_ids}


def standing_of(program: str, member: dict[str, Any], now: datetime) -> Standing:
    d = cached(program)
    wallet = store.wallet_of(member)
    now_held = movements.settled_now(program, wallet, now)
    held = replace(wallet, balance=now_held.balance, lots=now_held.lots)
    schedule = sorted(now_held.lots.items())
    pending = movements.pending_now(wallet, now)
    if d.ladder is None:
        return Standing(tier_in_force(program, d, member, now), held, None, schedule, pending)
    account = member.get("accountId")
    if company_standing.applies(d.ladder, account):
        tier, progress = company(program, str(account), now)
    else:
        tier, progress = _climbing(d.ladder, tiers.effective(
            d.ladder, store.standing_of(member, d.ladder.base.id), now), now)
    return Standing(tier, held, progress, schedule, pending)


def company(program: str, account_id: str, now: datetime) -> tuple[str, Progress | None]:
    """A company's tier in force and its progress, read fresh; no progress without an
    ACCOUNT ladder."""
    ladder = cached(program).ladder
    if ladder is None or ladder.level is not tiers.Level.ACCOUNT:
        return (ladder.base.id if ladder else DEFAULT_TIER), None
    fresh = company_standing.read(program, account_id)
    return _climbing(ladder, company_standing.in_force(program, fresh, now), now)


def _climbing(ladder: tiers.Ladder, standing: tiers.Standing, now: datetime
              ) -> tuple[str, Progress]:
    """The tier a standing holds now, and how far it is into the next one this period."""
    tier = standing.tier or ladder.base.id
    period = tiers.period_of(now, ladder.window, ladder.timezone)
    value = standing.value_in(period.key)
    nxt = ladder.next_tier(tier)
    return tier, Progress(
        metric=ladder.metric.value, period=period.key, period_ends_at=period.ends_at,
        value=value, next_tier=nxt.id if nxt else None,
        needed=max(0, nxt.threshold - value) if nxt else None, tier_until=standing.until)


def rolled(program: str, member: dict[str, Any], now: datetime) -> str | None:
    """When the tier in force now lapses in turn (its new tierUntil), as stored."""
    d = cached(program)
    if d.ladder is None:
        return None
    standing = tiers.effective(d.ladder, store.standing_of(member, d.ladder.base.id), now)
    return iso(standing.until) if standing.until else None

"""The scheduled tidy-up of lapsed tiers (members' and companies'). Nothing depends on it.

Every place that enforces a tier computes the tier in force from the stored moment and the
clock (services/tiers/member_standing.py), so a lapse holds at its moment whether or not
this has run. This writes the lapsed standings back, with a tier-change entry each, so
reports and exports read what is in force. Each rewrite is keyed by the lapse it records,
so running it again, or twice at once, changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kado.domain import tiers
from kado.domain.calendar import iso
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger import holders, movements, optimistic
from kado.services.tiers import company_standing
from kado.store import ledger as store
from kado.store import tiers as company_tiers
from kado.store.kernel.transact import Cancelled

# Listings are by the UTC day a tier lapses; a run looks this far back, so a missed run
# (or a week of them) is caught up by the next.
LOOKBACK_DAYS = 7


def tidy(program: str, now: datetime) -> int:
    """Rewrite every member whose listed lapse has come; returns how many were rewritten."""
    ladder = cached(program).ladder
    if ladder is None:
        return 0
    rewritten = 0
    for back in range(LOOKBACK_DAYS, -1, -1):
        day = (now - timedelta(days=back)).date().isoformat()
        for listed in store.lapsing(program, day):
            rewritten += _tidy_member(program, listed["id"], ladder, now)
    if ladder.level is tiers.Level.ACCOUNT:
        # Companies: a lapse, and any crossing no instance settled. Each is one batch read
        # and, only where the stored tier is not the one in force, one transaction; then
        # the company's place on the ladder's board (a settle that moved posted it).
        for account_id in company_tiers.every_account(program):
            if company_standing.settle(program, account_id, now).moved:
                rewritten += 1
            else:
                company_standing.post_to_board(program, account_id, now)
    return rewritten


def _tidy_member(program: str, member_id: str, ladder: tiers.Ladder, now: datetime) -> bool:
    member = store.get_member(program, member_id) or {}
    stored = store.standing_of(member, ladder.base.id)
    if tiers.effective(ladder, stored, now) == stored:
        return False
    holders.remember(program, member_id, member)

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[bool]:
        current = items["member"]
        was = store.standing_of(current, ladder.base.id)
        now_in_force = tiers.effective(ladder, was, now)
        return movements.standing_change(
            program, member_id, current, ladder.base.id, now_in_force,
            f"lapse-{iso(was.until) if was.until else 'none'}", was.tier or ladder.base.id,
            iso(now), "lapsed at the end of its period", True)

    def explain(cancelled: Cancelled) -> bool | None:
        return False if cancelled.failed("change") is not None else None  # done already

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)

"""A member's points statement for a period: what they had, earned, spent, and have.

Read from the member's ledger newest first, only as far back as the period's start:
entries carry the balance they left, so nothing before that has to be summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kado.domain import periods
from kado.domain.calendar import iso, utcnow
from kado.services.kernel.loyalty_definitions import cached
from kado.services.tiers import member_standing as standing
from kado.store import ledger as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import every_item

MAX_LINES = 100


@dataclass(frozen=True)
class Statement:
    period: periods.Span
    opening_balance: int
    earned: int  # by activities
    spent: int  # rewards and paid spins (a positive number)
    returned: int  # points taken back by returns (a positive number)
    adjusted: int  # admin adjustments, net
    expired: int  # points that lapsed in the period
    expiring_within: dict[int, int]  # days from now (30, 60, 90) -> points lapsing by then
    closing_balance: int
    lines: list[dict[str, Any]]  # newest first, at most MAX_LINES
    more_lines: bool
    standing: standing.Standing


def statement_for(program: str, member_id: str, period_name: str) -> Statement:
    d = cached(program)
    span = periods.parse(period_name, d.ladder.timezone if d.ladder else "UTC")
    start, end = iso(span.starts_at), iso(span.ends_at)
    inside: list[dict[str, Any]] = []
    closing: int | None = None
    opening = 0
    for entry in every_item(keys.points_ledger_index(program, member_id)):
        if entry["at"] >= end:
            continue
        if closing is None:
            closing = entry["balanceAfter"]
        if entry["at"] < start:
            opening = entry["balanceAfter"]
            break
        inside.append(entry)
    totals = _totals(inside)
    member = store.get_member(program, member_id) or {}
    today = utcnow()
    # The tier and progress as the period left them (or now, for the current period); what
    # expires next is counted from today.
    as_at: datetime = min(today, span.ends_at)
    held_now = standing.standing_of(program, member, today)
    rule = d.expiry()
    within = {days: sum(p for m, p in held_now.expiring
                        if rule and rule.lapses_at(m) <= today + timedelta(days=days))
              for days in (30, 60, 90)}
    return Statement(span, opening, totals["earned"], totals["spent"], totals["returned"],
                     totals["adjusted"], sum(e.get("expired", 0) for e in inside), within,
                     opening if closing is None else closing,
                     inside[:MAX_LINES], len(inside) > MAX_LINES,
                     standing.standing_of(program, member, as_at) if as_at != today else held_now)


def _totals(entries: list[dict[str, Any]]) -> dict[str, int]:
    totals = {"earned": 0, "spent": 0, "returned": 0, "adjusted": 0}
    for e in entries:
        delta, source = e["delta"], e["source"]
        if source == "ADJUSTMENT":
            totals["adjusted"] += delta
        elif source == "RETURN":
            totals["returned"] -= delta
        elif delta > 0:
            totals["earned"] += delta
        else:
            totals["spent"] -= delta
    return totals

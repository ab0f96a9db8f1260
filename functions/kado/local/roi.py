"""`kado report roi`: what a campaign returned against its holdout, from the facts lake
(functions/kado/reports/revenue_by_holdout_group.sql on DuckDB) and the campaign's spending on its
budgets (domain/roi.py does the arithmetic)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kado.domain.calendar import iso, utcnow
from kado.domain.campaigns.rules import Campaign
from kado.domain.eligibility import is_eligible
from kado.domain.roi import Group, Return, measured
from kado.local import lake
from kado.services import budgets, members
from kado.services.campaigns import definitions as campaigns
from kado.services.kernel.loyalty_definitions import cached


def exposure(program: str, campaign_id: str) -> list[tuple[str, str]]:
    """Every eligible member on the roster, with the group the holdout put them in (the
    campaign's seed decides, as it did when they were offered the campaign or not)."""
    c = campaigns.get(program, campaign_id)
    rows, after = [], None
    while True:
        found, page = members.members_page(program, 100, after)
        rows += [(m.id, "held_out" if c.holds_out(m.id) else "treated") for m in found
                 if is_eligible(c, m.id, m.account_id, m.tier)]
        if not page.has_next:
            return rows
        after = page.end_cursor


def campaign_return(program: str, campaign_id: str, root: Path, margin_percent: int,
                    tail_days: int) -> Return:
    c = campaigns.get(program, campaign_id)
    groups = {row["grp"]: Group(int(row["members"]), int(row["revenue"] or 0),
                                float(row["mean"] or 0), float(row["variance"] or 0))
              for row in lake.report("revenue_by_holdout_group", root, program,
                                     iso(c.starts_at),
                                     iso(c.ends_at + timedelta(days=tail_days)),
                                     exposure=exposure(program, campaign_id))}
    empty = Group(0, 0, 0.0, 0.0)
    return measured(groups.get("treated", empty), groups.get("held_out", empty),
                    _cost(program, c), margin_percent)


def _cost(program: str, c: Campaign) -> int:
    """What the campaign's wins took from every budget that paid for them, in every period
    of each budget the campaign ran in (a daily budget is spent day by day)."""
    paid_by = {link.budget_id for link in (*c.budgets,
                                           *cached(program).settings.program_budgets)}
    until = min(c.ends_at, utcnow())
    total = 0
    for budget_id in sorted(paid_by):
        b = budgets.get(program, budget_id)
        total += sum(budgets.period_state(program, b, period).by_source.get(
            f"campaign:{c.id}", 0) for period in b.period_keys(c.starts_at, until))
    return total

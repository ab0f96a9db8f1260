"""What a campaign returned against its holdout, as a job (domain/roi.py does the arithmetic).

The job lists every eligible member with the group the campaign's seed put them in (as it
did when they were offered the campaign or not), reads each buyer's revenue over the
campaign's window and a tail from the facts lake (reports/member_revenue.sql: Athena in
AWS, DuckDB in dev), and sets the two groups side by side with the campaign's spending on
its budgets. Listing a large program's members takes longer than a request may, so the job
runs where the statements do: the export queue's function in AWS, a thread in dev.
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from kado.domain import reports as report_sql
from kado.domain.calendar import iso, utcnow
from kado.domain.campaigns.rules import Campaign
from kado.domain.eligibility import is_eligible
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint
from kado.domain.ids import derived_id
from kado.domain.principal import Principal
from kado.domain.reports import DONE, FAILED, QUEUED
from kado.domain.roi import Group, Return, measured
from kado.domain.validation import require_id, require_idempotency_key
from kado.services import budgets, members, reports
from kado.services.campaigns import definitions as campaigns
from kado.services.kernel.loyalty_definitions import cached
from kado.services.loyalty import exports
from kado.store import report_jobs as store

REPORT = "campaign_return"
MAX_TAIL_DAYS = 180


def exposure(program: str, c: Campaign) -> list[tuple[str, str]]:
    """Every eligible member on the roster, with their group (treated or held_out)."""
    rows, after = [], None
    while True:
        found, page = members.members_page(program, 100, after)
        rows += [(m.id, "held_out" if c.holds_out(m.id) else "treated") for m in found
                 if is_eligible(c, m.id, m.account_id, m.tier)]
        if not page.has_next:
            return rows
        after = page.end_cursor


def measure(program: str, campaign_id: str, margin_percent: int, tail_days: int,
            engine: reports.Engine) -> Return:
    c = campaigns.get(program, campaign_id)
    ends = c.ends_at + timedelta(days=tail_days)
    rows = engine.rows(report_sql.bound("member_revenue", program, iso(c.starts_at), iso(ends),
                                        *report_sql.partition_days(c.starts_at, ends)))
    revenue = {str(r["member_id"]): int(r["revenue"] or 0) for r in rows}
    by_group: dict[str, list[int]] = {"treated": [], "held_out": []}
    for member_id, group in exposure(program, c):
        by_group[group].append(revenue.get(member_id, 0))
    return measured(_group(by_group["treated"]), _group(by_group["held_out"]),
                    _cost(program, c), margin_percent)


def _group(revenues: list[int]) -> Group:
    return Group(len(revenues), sum(revenues),
                 statistics.fmean(revenues) if revenues else 0.0,
                 statistics.variance(revenues) if len(revenues) > 1 else 0.0)


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


def start(admin: Principal, campaign_id: str, margin_percent: int, tail_days: int,
          idempotency_key: str) -> str:
    """The job's id (a retry with the same key: the first job's)."""
    require_idempotency_key(idempotency_key)
    program = admin.program
    try:
        c = campaigns.get(program, require_id(campaign_id, "campaignId"))
    except DomainError as unknown:  # told at the field the caller named
        raise DomainError(unknown.code, unknown.message, "campaignId") from None
    if not 0 < margin_percent <= 100:
        raise DomainError(ErrorCode.INVALID_INPUT, "a margin is 1-100 percent", "marginPercent")
    if not 0 <= tail_days <= MAX_TAIL_DAYS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"a tail is 0-{MAX_TAIL_DAYS} days",
                          "tailDays")
    if c.holdout_percent == 0:
        raise DomainError(ErrorCode.INVALID_INPUT, "the campaign holds nobody out: there is "
                          "nothing to measure against", "campaignId")
    reports.require_engine()
    asked = fingerprint("measureCampaignReturn", c.id, margin_percent, tail_days)
    job_id = derived_id(program, REPORT, idempotency_key)
    now = utcnow()
    created = store.create(program, job_id, {
        "id": job_id, "report": REPORT, "from": c.starts_at.date().isoformat(),
        "to": (c.ends_at + timedelta(days=tail_days)).date().isoformat(), "status": QUEUED,
        "createdAt": iso(now), "actor": admin.subject, "fingerprint": asked,
        "params": {"campaignId": c.id, "marginPercent": margin_percent,
                   "tailDays": tail_days}}, int(now.timestamp()))
    earlier = None if created else store.get(program, job_id, consistent=True) or {}
    if earlier is not None and earlier.get("fingerprint") != asked:
        raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "this idempotency key was used "
                          "for another measure", "idempotencyKey")
    if earlier is None or earlier.get("status") == QUEUED:
        _hand_on(program, job_id)  # a retry of a job still queued: harmless, runs once
    return job_id


def _hand_on(program: str, job_id: str) -> None:
    exports.hand_on({"kind": REPORT, "program": program, "job": job_id}, run)


def run(program: str, job_id: str) -> None:
    item = store.get(program, job_id, consistent=True)
    if item is None or item["status"] != QUEUED:
        return
    p = item["params"]
    engine = reports.require_engine()
    try:
        found = measure(program, p["campaignId"], int(p["marginPercent"]), int(p["tailDays"]),
                        engine)
    except Exception as failure:
        store.update(program, job_id, {"status": FAILED, "error": str(failure)[:500],
                                       "finishedAt": iso(utcnow())}, QUEUED)
        raise
    store.update(program, job_id, {"status": DONE, "finishedAt": iso(utcnow()),
                                   "result": as_record(found)}, QUEUED)


def as_record(r: Return) -> dict[str, Any]:
    """The measure as the job keeps it (DynamoDB numbers: floats as text)."""
    def group(g: Group) -> dict[str, Any]:
        return {"members": g.members, "revenue": g.revenue, "mean": repr(g.mean)}

    return {"treated": group(r.treated), "heldOut": group(r.held_out),
            "incrementalPerMember": repr(r.incremental_per_member),
            "low": repr(r.interval[0]) if r.interval else None,
            "high": repr(r.interval[1]) if r.interval else None,
            "cost": r.cost, "marginPercent": r.margin_percent,
            "roi": repr(r.roi) if r.roi is not None else None, "verdict": r.verdict,
            "measuredAt": iso(utcnow())}

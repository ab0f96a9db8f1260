"""Company tiers on DynamoDB Local: the shared scenarios, and parallel staff activity."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

from kado.domain import tiers
from kado.store import tiers as company_tiers
from tests import support
from tests.scenarios.company_tier_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.company_tier_scenarios import COMPANY_LADDER, changes, company_program
from tests.scenarios.points_scenarios import purchase, record

# By purchase amount (cents), so the total does not depend on which activity came first.
BY_AMOUNT = replace(COMPANY_LADDER, metric=tiers.Metric.PURCHASE_AMOUNT, tiers=(
    tiers.Tier("blue", "Blue", 0), tiers.Tier("silver", "Silver", 50_000),
    tiers.Tier("gold", "Gold", 200_000)))


def test_parallel_activities_of_a_companys_staff_reach_each_tier_once(monkeypatch):
    staff = [f"staff-{i}" for i in range(24)]
    program = company_program(*staff, ladder=BY_AMOUNT)
    support.test_clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    at = datetime(2026, 5, 1, tzinfo=UTC)

    def send(member_id):
        return record(program, purchase(f"P-{member_id}", 100, at, member=member_id))[0]

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(send, staff))
    assert all(r.outcome == "RECORDED" for r in results), [r.error for r in results]
    risen = [r.upgraded_to for r in results if r.upgraded_to]
    assert risen.count("gold") == 1 and risen.count("silver") <= 1, risen
    reached = [tier for tier, _ in changes(program)]
    assert reached.count("gold") == 1 and reached.count("silver") <= 1, reached
    stored = company_tiers.read(program, "acme")
    assert (stored.tier, stored.progress) == ("gold", {"2026": 240_000})

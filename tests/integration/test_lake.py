"""The facts lake: what the API did, read off the table's stream by the outbox's own code,
written as Parquet, and the reports' SQL run on DuckDB, counting each fact once however
often it was delivered, and matching what the API itself reads."""

from __future__ import annotations

from datetime import UTC, datetime

from kado.local import event_watch, lake
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel import outbox
from kado.services.vouchers import redemptions
from kado.store.kernel.tables import ensure_table  # noqa: F401 - the table has its stream
from tests import support
from tests.scenarios.voucher_scenarios import shop, won_voucher
from tests.support import key, member, new_program, till


def test_reports_on_the_lake_count_what_the_api_did(tmp_path):
    from kado.config import settings
    program = new_program()
    shop(program, partial_redemption=True)
    from dataclasses import replace
    gift = replace(support.sure_win(10)[0], cost=250)  # what each win costs its budgets
    campaigns.upsert(program, support.campaign(prizes=(gift,)))
    campaigns.launch(program, "wheel")
    for who in ("ann", "ben", "ann"):
        spins.play(member(program, who), "wheel", key())
    won = won_voucher(program, "cat")  # a voucher wheel of its own: one more win
    redemptions.redeem(till(program), won.code, 300, key(), None)
    redemptions.redeem(till(program), won.code, 200, key(), None)

    facts = [f for r in event_watch.every_record(None, settings().table_name)
             for f in outbox.facts_of(r) if f.program == program]
    lake.write(facts, tmp_path)
    lake.write(facts[:3], tmp_path)  # a retried batch delivers some facts again
    today = datetime.now(UTC).date().isoformat()

    wins = lake.report("campaign_wins_per_day", tmp_path, program)
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert [(w["campaign_id"], w["day"], w["wins"], w["winners"]) for w in wins] == [
        ("w-cat", today, 1, 1), ("wheel", today, stats.wins, 2)]
    assert stats.wins == 3
    played = lake.report("campaign_performance_per_day", tmp_path, program)
    assert [(p["campaign_id"], p["players"], p["spins"], p["wins"]) for p in played] == [
        ("w-cat", 1, 1, 1), ("wheel", 2, 3, stats.wins)]
    assert stats.spins == 3
    awards = lake.report("campaign_awards_per_day", tmp_path, program)
    assert [(a["campaign_id"], a["prize_kind"], a["wins"], a["winners"], a["cost"])
            for a in awards] == [("w-cat", "VOUCHER", 1, 1, 0), ("wheel", "ITEM", 3, 2, 750)]
    redeemed = lake.report("voucher_redemptions_per_day", tmp_path, program)
    assert [(r["product_id"], r["redemptions"], r["amount"]) for r in redeemed] == [
        ("tenner", 2, 500)]
    by_till = lake.report("redemptions_by_merchant_per_day", tmp_path, program)
    assert [(r["merchant_id"], r["redemptions"], r["amount"], r["members"])
            for r in by_till] == [("cafe", 2, 500, 1)]
    assert lake.report("campaign_wins_per_day", tmp_path, new_program()) == []


def test_roi_against_the_holdout_from_the_lake(tmp_path):
    """Treated members buy 100 EUR, held-out ones 60: the incremental revenue per member is
    40 EUR with an interval above zero, counted from the lake against an exposure the
    campaign's seed decides; ROI follows from the wins' cost on the campaign's budget.
    (The purchases are written to the lake as the facts the outbox makes of them; the path
    from API to lake is the test above.)"""
    from dataclasses import replace

    from kado.domain.budgets import BudgetLink
    from kado.local import roi
    from kado.services import budgets, members
    from kado.services.kernel.outbox import Fact
    from tests.scenarios.budget_scenarios import budget
    program = new_program()
    budgets.create(program, replace(budget("spring", amount=10**9), currency="EUR"), "m", "x")
    c = replace(support.campaign(prizes=support.sure_win(None)), holdout_percent=50,
                budgets=(BudgetLink("spring"),))
    campaigns.upsert(program, replace(c, prizes=(replace(c.prizes[0], cost=500),)))
    launched = campaigns.launch(program, "wheel")
    people = [f"m{n:03d}" for n in range(100)]
    for who in people:
        members.upsert_member(program, who, None, "STANDARD")
    treated = [m for m in people if not launched.holds_out(m)]
    at = datetime.now(UTC).isoformat()
    purchases = [Fact(f"rec-{who}", "ActivityRecorded", program, who, at, {
        "externalId": f"order-{who}", "activityType": "PURCHASE", "currency": "EUR",
        "amount": (10_000 if who in treated else 6_000) + n % 7, "points": 0})
        for n, who in enumerate(people)]
    returned = Fact("rec-return", "ActivityRecorded", program, people[0], at, {
        "externalId": "return-1", "activityType": "RETURN", "amount": 1_000})
    lake.write([*purchases, returned], tmp_path)
    lake.write(purchases[:20], tmp_path)  # delivered twice: counted once
    for who in treated[:10]:  # ten of the treated spin: 10 wins of 5.00 EUR
        spins.play(member(program, who), "wheel", key())

    found = roi.campaign_return(program, "wheel", tmp_path, margin_percent=20, tail_days=14)
    assert found.treated.members == len(treated)
    assert found.treated.members + found.held_out.members == 100
    bought = {who: (10_000 if who in treated else 6_000) + n % 7
              for n, who in enumerate(people)}
    bought[people[0]] -= 1_000  # the return takes its amount back
    assert found.treated.revenue == sum(bought[m] for m in treated)
    assert found.held_out.revenue == sum(v for m, v in bought.items() if m not in treated)
    assert 3_950 < found.incremental_per_member < 4_050  # 40.00 EUR, give or take
    assert found.interval is not None and found.interval[0] > 0
    assert found.cost == 10 * 500
    expected = (found.incremental_per_member * len(treated) * 0.20 - 5_000) / 5_000
    assert found.roi is not None and abs(found.roi - expected) < 1e-9
    assert "raised revenue" in found.verdict


def test_roi_says_plainly_when_the_groups_are_too_small(tmp_path):
    from dataclasses import replace

    from kado.local import roi
    from kado.services import members
    program = new_program()
    campaigns.upsert(program, replace(support.campaign(prizes=support.sure_win(None)),
                                      holdout_percent=50))
    campaigns.launch(program, "wheel")
    for n in range(12):
        members.upsert_member(program, f"m{n}", None, "STANDARD")
    found = roi.campaign_return(program, "wheel", tmp_path, margin_percent=20, tail_days=0)
    assert found.interval is None and found.roi is None
    assert found.verdict.startswith("too small to conclude")


def test_members_and_companies_reports_from_activities_the_api_recorded(tmp_path):
    """Ann (acme) buys in October, November and December, Ben (acme) in November and returns
    part of it, Cat (globex) in December, and Dan (no company) once: the weekly actives, the
    cohorts by first month and the companies' revenue and points, counted from the lake,
    match what was sent and what the ledger says."""

    from kado.config import settings
    from kado.domain.activities import Activity, Money
    from kado.services import members
    from kado.services.activities import recording
    from kado.store import ledger
    from tests.scenarios.points_scenarios import loyal_program
    from tests.support import accounts, admin

    program = loyal_program(ladder=None)
    accounts(program, "acme", "globex")
    for who, company in (("ann", "acme"), ("ben", "acme"), ("cat", "globex"), ("dan", None)):
        members.upsert_member(program, who, company, "STANDARD")

    company = {"ann": "acme", "ben": "acme", "cat": "globex", "dan": None}

    def bought(ext: str, who: str, euros: int, on: str, kind: str = "PURCHASE",
               returns: str | None = None) -> Activity:
        # as a partner's feed sends it, naming the company (this program has no company
        # wallet or ladder, so the record's is not read for it)
        return Activity(ext, who, kind, datetime.fromisoformat(on + "T10:00:00+00:00"),
                        account_id=company[who], amount=Money(euros * 100, "EUR"),
                        returns=returns)

    recording.record(admin(program), [
        bought("a1", "ann", 100, "2026-10-06"), bought("a2", "ann", 50, "2026-11-03"),
        bought("b1", "ben", 80, "2026-11-04"), bought("a3", "ann", 20, "2026-12-01"),
        bought("c1", "cat", 300, "2026-12-02"), bought("d1", "dan", 10, "2026-12-02"),
        bought("b2", "ben", 30, "2026-11-05", "RETURN", returns="b1")])
    facts = [f for r in event_watch.every_record(None, settings().table_name)
             for f in outbox.facts_of(r) if f.program == program]
    lake.write(facts, tmp_path)
    lake.write(facts[-2:], tmp_path)  # delivered twice

    weekly = {r["week"][:10]: (r["active_members"], r["activities"])
              for r in lake.report("active_members_per_week", tmp_path, program)}
    assert weekly == {"2026-10-05": (1, 1), "2026-11-02": (2, 3), "2026-11-30": (3, 3)}
    cohorts = [(r["cohort"], r["month"], r["active_members"])
               for r in lake.report("retention_by_first_month", tmp_path, program)]
    assert cohorts == [("2026-10", "2026-10", 1), ("2026-10", "2026-11", 1),
                       ("2026-10", "2026-12", 1), ("2026-11", "2026-11", 1),
                       ("2026-12", "2026-12", 2)]
    companies = lake.report("top_companies", tmp_path, program)
    points = {who: ledger.get_member(program, who)["points"] for who in ("ann", "ben", "cat")}
    assert [(c["company_id"], c["revenue"], c["points"], c["buyers"]) for c in companies] == [
        ("globex", 30_000, points["cat"], 1),
        ("acme", (100 + 50 + 20 + 80 - 30) * 100, points["ann"] + points["ben"], 2)]


def test_points_liability_and_tiers_from_the_ledgers_facts(tmp_path):
    """Ann buys her way to silver and then gold, Ben buys a little, Ann gives 50 back: the
    lake's month says what was earned and used, what is owed (the balances the ledger
    keeps), and that one member holds gold."""
    from kado.config import settings
    from kado.domain.activities import Activity, Money
    from kado.services.activities import recording
    from kado.services.loyalty import adjustments
    from kado.store import ledger
    from tests.scenarios.points_scenarios import loyal_program
    from tests.support import admin

    program = loyal_program()  # silver at 500 points earned, gold at 2000
    sent = [("p1", "ann", 300), ("p2", "ann", 300), ("p3", "ann", 2000), ("p4", "ben", 100)]
    recording.record(admin(program), [
        Activity(ext, who, "PURCHASE", datetime(2026, 11, 20, 10, tzinfo=UTC),
                 amount=Money(euros * 100, "EUR")) for ext, who, euros in sent])
    adjustments.adjust(admin(program), "ann", -50, "gave some back", key())
    facts = [f for r in event_watch.every_record(None, settings().table_name)
             for f in outbox.facts_of(r) if f.program == program]
    lake.write(facts, tmp_path)
    lake.write(facts[:4], tmp_path)  # delivered twice

    balances = {who: ledger.get_member(program, who)["points"] for who in ("ann", "ben")}
    entries = [e for who in ("ann", "ben")
               for e in ledger.ledger_page(program, who, 50, None).items]
    month = datetime.now(UTC).strftime("%Y-%m")  # ledger lines are dated when written
    [members_row] = lake.report("points_liability_by_month", tmp_path, program)
    assert members_row == {"holder_kind": "MEMBER", "month": month,
                           "earned": sum(e["delta"] for e in entries if e["delta"] > 0),
                           "used": 50, "lapsed": 0,
                           "outstanding": balances["ann"] + balances["ben"]}
    tiers = lake.report("tier_distribution_by_month", tmp_path, program)
    assert [(t["holder_kind"], t["tier"], t["holders"]) for t in tiers] == [
        ("MEMBER", "gold", 1)]


def test_quest_and_event_reports_count_what_the_api_did(tmp_path, monkeypatch):
    """Alice completes a quest, Bob only starts it; Ann, Ben and Cy register for an event,
    Cy cancels, Ann checks in: Ben is the no-show."""
    from kado.config import settings
    from kado.services.events import check_in, registrations
    from tests.scenarios.event_scenarios import DURING, STARTS, _ticket, published, register
    from tests.scenarios.points_scenarios import loyal_program, record
    from tests.scenarios.quest_scenarios import live, new_range, order, progress, training
    from tests.support import till

    clock = support.test_clock(monkeypatch, DURING)
    program = loyal_program(ladder=None)
    live(program, new_range())
    record(program, order("O-1", DURING), order("O-2", DURING), training("T-1", DURING),
           order("O-3", DURING), order("O-4", DURING, member_id="bob"))
    assert progress(program)["status"] == "COMPLETED"
    published(program)
    for who in ("ann", "ben", "cy"):
        register(program, who)
    registrations.cancel(member(program, "cy"), "dealer-night")
    clock["at"] = STARTS
    check_in.check_in(till(program), "dealer-night", _ticket(program, "ann"), key())

    facts = [f for r in event_watch.every_record(None, settings().table_name)
             for f in outbox.facts_of(r) if f.program == program]
    lake.write(facts, tmp_path)
    lake.write(facts[-4:], tmp_path)  # delivered twice
    day = DURING.date().isoformat()
    assert [(q["quest_id"], q["day"], q["started"], q["joined"], q["completed"])
            for q in lake.report("quest_performance_per_day", tmp_path, program)] == [
        ("new-range", day, 2, 0, 1)]
    assert [(e["event_id"], e["registered"], e["cancelled"], e["checked_in"], e["no_shows"])
            for e in lake.report("event_attendance", tmp_path, program)] == [
        ("dealer-night", 3, 1, 1, 1)]

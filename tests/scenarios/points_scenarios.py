"""Activities, points and tiers, run both on moto (integration) and DynamoDB Local."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kado.domain import tiers
from kado.domain.activities import Activity, Money
from kado.domain.campaigns.rules import Eligibility
from kado.domain.errors import ErrorCode
from kado.domain.loyalty.earning import EarningRule
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.domain.shards import COMPANY_WALLET_SHARDS
from kado.services import members as support_members
from kado.services.activities import recording as activities
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel import loyalty_definitions
from kado.services.ledger import holders
from kado.services.loyalty import adjustments, rewards, statements
from kado.services.tiers import lapses as tier_lapses
from kado.services.tiers import member_standing as standing_service
from kado.services.tiers import overrides as tier_overrides
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import issuing as vouchers
from kado.store import ledger as store
from kado.store.loyalty import rewards as reward_store
from tests import support
from tests.scenarios.voucher_scenarios import refused
from tests.support import admin, key, member, new_program

VIENNA = "Europe/Vienna"
LADDER = tiers.Ladder(metric=tiers.Metric.POINTS_EARNED, window=tiers.Window.CALENDAR_YEAR,
                      timezone=VIENNA, tiers=(tiers.Tier("blue", "Blue", 0),
                                              tiers.Tier("silver", "Silver", 500, 125),
                                              tiers.Tier("gold", "Gold", 2000, 150)))


def purchase(external_id: str, euros: int, at: datetime, member: str = "alice",
             **more) -> Activity:
    return Activity(external_id=external_id, member_id=member, type="PURCHASE",
                    occurred_at=at, amount=Money(euros * 100, "EUR"), **more)


def loyal_program(ladder: tiers.Ladder | None = LADDER) -> str:
    """A program earning 1 point per euro on purchases, 50 per survey."""
    program = new_program()
    loyalty_definitions.upsert_rule(program, EarningRule("per-euro", "Per euro", "PURCHASE",
                                                         points_per_unit=1))
    loyalty_definitions.upsert_rule(program, EarningRule("survey", "Survey", "SURVEY_COMPLETED",
                                                         fixed_points=50))
    if ladder:
        loyalty_definitions.upsert_ladder(program, ladder)
    # The scenarios' members come from the partner's feed: enrolled by their first activity
    # (REFUSE, the default, is shown in tests/integration/test_unknown_members.py).
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    return program


@pytest.fixture(autouse=True)
def fresh_instance():
    holders.clear()  # each test starts as a new Lambda instance would


def clock(monkeypatch, moment: datetime) -> dict[str, datetime]:
    return support.test_clock(monkeypatch, moment)  # the one clock, for every module


def record(program, *batch):
    return activities.record(admin(program), list(batch))


def ledger(program, member="alice"):
    return list(reversed(store.ledger_page(program, member, 100, None).items))


def test_an_activity_earns_once_and_a_resend_returns_the_first_outcome():
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)
    [first] = record(program, purchase("INV-1", 120, now))
    assert (first.outcome, first.points, first.balance_after) == ("RECORDED", 120, 120)
    [again] = record(program, purchase("INV-1", 120, now))
    assert (again.outcome, again.points, again.balance_after) == ("DUPLICATE", 120, 120)
    [other] = record(program, purchase("INV-1", 999, now))
    assert other.outcome == "CONFLICT" and other.points == 120
    lines = ledger(program)
    assert [(e["delta"], e["balanceAfter"], e["source"], e["sourceRef"]) for e in lines] == [
        (120, 120, "ACTIVITY", "INV-1")]
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 120


def test_a_batch_reports_each_activity_and_a_bad_one_stops_nothing():
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)
    results = record(program, purchase("A-1", 10, now),
                     Activity("A-2", "alice", "NOT_A_TYPE", now),
                     Activity("A-3", "alice", "SURVEY_COMPLETED", now))
    assert [r.outcome for r in results] == ["RECORDED", None, "RECORDED"]
    assert results[1].error.code is ErrorCode.INVALID_INPUT
    assert results[1].error.field == "activities[1].type"
    assert [e["balanceAfter"] for e in ledger(program)] == [10, 60]


def test_a_return_takes_back_in_proportion_and_never_twice():
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)
    record(program, purchase("INV-9", 300, now))
    back = Activity("RET-1", "alice", "RETURN", now, amount=Money(10_000, "EUR"),
                    returns="INV-9")
    [returned] = record(program, back)
    assert (returned.outcome, returned.points, returned.balance_after) == ("RECORDED", -100, 200)
    too_much = Activity("RET-2", "alice", "RETURN", now, amount=Money(25_000, "EUR"),
                        returns="INV-9")
    [refused] = record(program, too_much)
    assert refused.error.code is ErrorCode.RETURN_EXCEEDS_PURCHASE
    rest = Activity("RET-3", "alice", "RETURN", now, amount=Money(20_000, "EUR"),
                    returns="INV-9")
    assert record(program, rest)[0].points == -200
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 0
    [none_left] = record(program, Activity("RET-4", "alice", "RETURN", now,
                                           amount=Money(1, "EUR"), returns="INV-9"))
    assert none_left.error.code is ErrorCode.RETURN_EXCEEDS_PURCHASE


def test_crossing_a_threshold_upgrades_in_the_same_transaction(monkeypatch):
    program = loyal_program()
    clock(monkeypatch, datetime(2026, 6, 1, 12, tzinfo=UTC))
    [small] = record(program, purchase("P-1", 400, datetime(2026, 5, 1, tzinfo=UTC)))
    assert small.upgraded_to is None
    [big] = record(program, purchase("P-2", 200, datetime(2026, 5, 2, tzinfo=UTC)))
    assert big.upgraded_to == "silver"
    member = store.get_member(program, "alice") or {}
    assert member["tier"] == "silver"
    # Held for the rest of 2026 and all of 2027, to midnight in Vienna.
    assert member["tierUntil"] == "2027-12-31T23:00:00.000Z"
    # Silver earns 125 %: 100 euros make 125 points.
    assert record(program, purchase("P-3", 100, datetime(2026, 5, 3, tzinfo=UTC)))[0].points == 125
    changes = store.tier_changes(program, "alice")
    assert [(c["tier"], c["previous"], c["period"]) for c in changes] == [
        ("silver", "blue", "2026")]


def test_the_tier_lapses_at_local_midnight_with_no_job_run(monkeypatch):
    program = loyal_program()
    clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("G-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    standing = store.standing_of(store.get_member(program, "alice") or {}, "blue")
    last_moment = datetime(2027, 12, 31, 22, 59, 59, tzinfo=UTC)  # 23:59:59 in Vienna
    assert tiers.effective(LADDER, standing, last_moment).tier == "gold"
    new_year = datetime(2027, 12, 31, 23, 0, tzinfo=UTC)  # 00:00 on 1 January in Vienna
    assert tiers.effective(LADDER, standing, new_year).tier is None  # the base


def test_the_ended_period_decides_what_is_kept(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("G-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    now["at"] = datetime(2027, 6, 1, tzinfo=UTC)
    [kept] = record(program, purchase("S-1", 600, datetime(2027, 5, 1, tzinfo=UTC)))
    assert kept.upgraded_to is None  # still gold in 2027
    standing = store.standing_of(store.get_member(program, "alice") or {}, "blue")
    # 2027 qualified only for silver, so silver is what 2028 holds.
    assert tiers.effective(LADDER, standing, datetime(2028, 1, 5, tzinfo=UTC)).tier == "silver"
    assert tiers.effective(LADDER, standing, datetime(2029, 1, 5, tzinfo=UTC)).tier is None


def test_late_activity_counts_in_its_own_period_until_the_grace_ends(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2027, 1, 20, tzinfo=UTC))
    # 23:30 on New Year's Eve in Vienna is still 2026 there.
    eve = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    [late] = record(program, purchase("L-1", 600, eve))
    assert late.outcome == "RECORDED" and late.upgraded_to == "silver"
    member = store.get_member(program, "alice") or {}
    assert member["progress"] == {"2026": 600} and member["tierUntil"].startswith("2027-12-31")
    now["at"] = datetime(2027, 2, 1, tzinfo=UTC)  # 2026 ended 31 days ago; grace is 30
    [refused] = record(program, purchase("L-2", 10, eve))
    assert refused.error.code is ErrorCode.LATE_ACTIVITY


def test_a_ladder_in_use_keeps_its_thresholds():
    program = loyal_program()
    moved = tiers.Ladder(LADDER.metric, LADDER.window, VIENNA,
                         (LADDER.tiers[0], tiers.Tier("silver", "Silver", 400, 125),
                          LADDER.tiers[2]))
    with pytest.raises(Exception) as refusal:
        loyalty_definitions.upsert_ladder(program, moved)
    assert refusal.value.code is ErrorCode.LADDER_IN_USE
    renamed = tiers.Ladder(LADDER.metric, LADDER.window, VIENNA,
                           (LADDER.tiers[0], tiers.Tier("silver", "Argent", 500, 130),
                            LADDER.tiers[2]))
    assert loyalty_definitions.upsert_ladder(program, renamed).version == 2


def test_a_second_instance_with_a_stale_copy_still_counts_right(monkeypatch):
    """Two instances write one member: the seq condition makes the stale one re-plan."""
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)
    record(program, purchase("I-1", 10, now))
    stale = holders.known(program, "alice")
    record(program, purchase("I-2", 20, now))
    holders.remember(program, "alice", stale)  # as if this instance never saw I-2
    [third] = record(program, purchase("I-3", 30, now))
    assert third.balance_after == 60
    assert [e["balanceAfter"] for e in ledger(program)] == [10, 30, 60]


def stocked(program, reward_id="mug", cost=100, stock=None, **more):
    return loyalty_definitions.upsert_reward(program, Reward(
        reward_id, reward_id.title(), cost, RewardKind.ITEM, stock=stock, **more))


def topped_up(program, member="alice", amount=700):
    adjustments.adjust(admin(program), member, amount, "welcome", f"topup-{member}-0001")


def test_a_reward_costs_its_points_once_per_key():
    program = loyal_program(ladder=None)
    stocked(program, cost=300, stock=5)
    topped_up(program)
    k = key()
    first = rewards.redeem(member(program), "mug", k)
    assert (first.cost_points, first.balance_after) == (300, 400)
    again = rewards.redeem(member(program), "mug", k)
    assert again == first
    assert [(e["delta"], e["balanceAfter"], e["source"]) for e in ledger(program)] == [
        (700, 700, "ADJUSTMENT"), (-300, 400, "REWARD")]
    assert reward_store.reward_stock_left(program, "mug") == 4


def test_a_reward_needs_the_points_the_stock_and_the_tier():
    program = loyal_program(ladder=None)
    stocked(program, "mug", cost=300, stock=1)
    stocked(program, "lounge", cost=10, tiers=("gold",))
    refused(ErrorCode.INSUFFICIENT_POINTS, lambda: rewards.redeem(member(program), "mug", key()))
    topped_up(program)
    rewards.redeem(member(program), "mug", key())
    refused(ErrorCode.OUT_OF_STOCK, lambda: rewards.redeem(member(program), "mug", key()))
    refused(ErrorCode.NOT_ELIGIBLE, lambda: rewards.redeem(member(program), "lounge", key()))
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 400
    assert [r.id for r in rewards.catalogue(member(program))] == ["mug"]


def test_a_voucher_reward_issues_the_voucher_in_the_same_transaction():
    program = loyal_program(ladder=None)
    voucher_admin.upsert_product(program, support.product())
    loyalty_definitions.upsert_reward(program, Reward("tenner", "Tenner", 500,
                                                      RewardKind.VOUCHER, "tenner"))
    topped_up(program)
    done = rewards.redeem(member(program), "tenner", key())
    mine, _ = vouchers.my_vouchers(member(program), None, 20, None)
    assert [v.id for v in mine] == [done.voucher_id] and mine[0].balance == 1000


def test_an_adjustment_is_applied_once_and_never_below_zero():
    program = loyal_program(ladder=None)
    assert adjustments.adjust(admin(program), "bob", 50, "goodwill", "adj-000001") == (50, 50)
    assert adjustments.adjust(admin(program), "bob", 50, "goodwill", "adj-000001") == (50, 50)
    refused(ErrorCode.INSUFFICIENT_POINTS,
            lambda: adjustments.adjust(admin(program), "bob", -80, "fix", "adj-000002"))
    refused(ErrorCode.INSUFFICIENT_POINTS,
            lambda: adjustments.adjust(admin(program), "carol", -1, "fix", "adj-000003"))
    assert adjustments.adjust(admin(program), "bob", -50, "fix", "adj-000004") == (-50, 0)


def _tier_campaign(program, campaign_id, allowed):
    c = support.campaign(campaign_id, prizes=support.sure_loss(),
                         eligibility=Eligibility(tiers=allowed),
                         starts_in=timedelta(days=-3000), lasts=timedelta(days=6000))
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)


def test_a_gold_only_campaign_refuses_gold_from_the_moment_it_lapses(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("G-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    _tier_campaign(program, "gold-wheel", ("gold",))
    now["at"] = datetime(2027, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 in Vienna
    assert spins.play(member(program), "gold-wheel", key()).outcome == "NO_PRIZE"
    now["at"] = datetime(2027, 12, 31, 23, 0, tzinfo=UTC)  # midnight: no job has run
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program), "gold-wheel", key()))


def test_a_lapse_into_an_admitted_tier_plays_and_is_recorded(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("G-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    now["at"] = datetime(2027, 3, 1, tzinfo=UTC)
    record(program, purchase("S-1", 600, datetime(2027, 2, 1, tzinfo=UTC)))  # silver in 2027
    _tier_campaign(program, "silver-wheel", ("silver", "gold"))
    now["at"] = datetime(2028, 1, 2, tzinfo=UTC)
    assert spins.play(member(program), "silver-wheel", key()).outcome == "NO_PRIZE"
    on_file = store.get_member(program, "alice") or {}
    assert (on_file["tier"], on_file["tierUntil"]) == ("silver", "2028-12-31T23:00:00.000Z")


def _priced_wheel(program, cost):
    c = replace(support.campaign("paid-wheel", prizes=support.sure_loss()), cost_points=cost)
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)


def test_a_spin_with_a_price_pays_in_its_own_transaction_and_once_per_key():
    program = loyal_program(ladder=None)
    _priced_wheel(program, 30)
    topped_up(program, amount=70)
    k = key()
    first = spins.play(member(program), "paid-wheel", k)
    assert spins.play(member(program), "paid-wheel", k) == first  # a retry pays nothing
    holders.clear()  # another instance, which never saw this member
    spins.play(member(program), "paid-wheel", key())
    refused(ErrorCode.INSUFFICIENT_POINTS,
            lambda: spins.play(member(program), "paid-wheel", key()))
    assert [(e["delta"], e["balanceAfter"], e["source"]) for e in ledger(program)] == [
        (70, 70, "ADJUSTMENT"), (-30, 40, "SPIN"), (-30, 10, "SPIN")]
    assert campaigns.stats(program, campaigns.get(program, "paid-wheel")).spins == 2


def test_a_statement_opens_and_closes_on_the_balances_the_ledger_left(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2026, 10, 15, tzinfo=UTC))
    record(program, purchase("OCT-1", 400, datetime(2026, 10, 10, tzinfo=UTC)))
    now["at"] = datetime(2026, 11, 5, tzinfo=UTC)
    record(program, purchase("NOV-1", 300, datetime(2026, 11, 3, tzinfo=UTC)))  # to silver
    stocked(program, cost=100)
    rewards.redeem(member(program), "mug", key())
    adjustments.adjust(admin(program), "alice", 25, "goodwill", "adj-nov-0001")
    record(program, Activity("NOV-R", "alice", "RETURN", now["at"], amount=Money(10_000, "EUR"),
                             returns="NOV-1"))
    now["at"] = datetime(2026, 12, 2, tzinfo=UTC)
    record(program, purchase("DEC-1", 10, datetime(2026, 12, 1, tzinfo=UTC)))
    november = statements.statement_for(program, "alice", "2026-11")
    assert (november.opening_balance, november.earned, november.spent, november.returned,
            november.adjusted, november.closing_balance) == (400, 300, 100, 100, 25, 525)
    assert [e["sourceRef"] for e in november.lines] == [
        "NOV-R", "adj-nov-0001", november.lines[2]["sourceRef"], "NOV-1"]
    # + 10 at x1.25
    assert statements.statement_for(program, "alice", "2026").closing_balance == 537
    refused(ErrorCode.INVALID_INPUT, lambda: statements.statement_for(program, "alice", "2026-13"))


def test_earning_caps_cut_an_activity_to_what_is_left_of_the_day_and_month(monkeypatch):
    program = loyal_program(ladder=None)
    clock(monkeypatch, datetime(2026, 11, 26, tzinfo=UTC))
    loyalty_definitions.upsert_rule(program, EarningRule(
        "survey", "Survey", "SURVEY_COMPLETED", fixed_points=50, cap_per_day=120,
        cap_per_month=200))
    day = datetime(2026, 11, 24, 9, tzinfo=UTC)

    def survey(external_id, at):
        return record(program, Activity(external_id, "alice", "SURVEY_COMPLETED", at))[0]

    assert [survey(f"S-{i}", day).points for i in range(4)] == [50, 50, 20, 0]
    holders.clear()  # an instance that knows nothing of the counters still stops at the cap
    assert survey("S-4", day).points == 0
    next_day = day + timedelta(days=1)
    assert [survey(f"T-{i}", next_day).points for i in range(3)] == [50, 30, 0]  # month: 200
    assert [e["delta"] for e in ledger(program)] == [50, 50, 20, 50, 30]


def test_a_grace_period_holds_the_tier_past_the_period_end(monkeypatch):
    graced = replace(LADDER, downgrade=tiers.Downgrade.AT_PERIOD_END_WITH_GRACE, grace_days=15)
    program = loyal_program(ladder=graced)
    clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("G-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    standing = store.standing_of(store.get_member(program, "alice") or {}, "blue")
    # Held all of 2027 and 15 days more: it lapses at 00:00 on 16 January in Vienna.
    assert standing.until == datetime(2028, 1, 15, 23, tzinfo=UTC)
    assert tiers.effective(graced, standing, datetime(2028, 1, 15, 22, 59, tzinfo=UTC)).tier \
        == "gold"
    assert tiers.effective(graced, standing, datetime(2028, 1, 15, 23, tzinfo=UTC)).tier is None
    with pytest.raises(Exception) as refusal:
        loyalty_definitions.upsert_ladder(new_program(), replace(LADDER, grace_days=15))
    assert refusal.value.problems == [("graceDays", "1-366 days with "
                                       "AT_PERIOD_END_WITH_GRACE, else none")]


def company_program(balance_each: int = 0) -> str:
    program = loyal_program(ladder=None)
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        wallet=loyalty_definitions.WalletMode.ACCOUNT,
        unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    support.accounts(program, "acme")
    for who in ("alice", "bob"):
        support_members.upsert_member(program, who, "acme", "STANDARD")
    return program


def company_balance(program: str, account: str = "acme") -> list[int]:
    _, shards = store.member_and_wallet(program, "alice", account, COMPANY_WALLET_SHARDS)
    return [store.wallet_of(s).balance for s in shards]


def test_with_company_wallets_staff_earn_for_the_company_and_any_of_them_spends():
    program = company_program()
    now = datetime.now(UTC)
    [earned] = record(program, purchase("C-1", 300, now, account_id="acme"))
    assert earned.points == 300 and earned.balance_after is None  # a sum of shards
    assert sum(company_balance(program)) == 300
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 0
    stocked(program, cost=200)
    spent = rewards.redeem(member(program, "bob"), "mug", "bob-mug-0001")
    assert spent.cost_points == 200 and sum(company_balance(program)) == 100
    refused(ErrorCode.INSUFFICIENT_POINTS,
            lambda: rewards.redeem(member(program, "alice"), "mug", key()))
    # A retry of the spend returns its outcome, though the company could not pay it now.
    assert rewards.redeem(member(program, "bob"), "mug", "bob-mug-0001") == spent


def test_a_spend_no_single_shard_can_pay_gathers_the_shards_first():
    program = company_program()
    now = datetime.now(UTC)
    record(program, *[purchase(f"G-{i}", 30, now, member="bob", account_id="acme")
                      for i in range(10)])
    assert sum(company_balance(program)) == 300 and max(company_balance(program)) < 250
    stocked(program, cost=250)
    rewards.redeem(member(program, "alice"), "mug", key())
    shards = company_balance(program)
    assert sum(shards) == 50 and min(shards) >= 0


def test_an_admin_floor_raises_the_tier_until_its_expiry_and_earning_goes_on(monkeypatch):
    program = loyal_program()
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    until = datetime(2026, 9, 1, tzinfo=UTC)
    floor = tier_overrides.set_override(admin(program), "alice", tiers.Override.FLOOR,
                                        "silver", until, "key account", "override-0001")
    assert floor == ("silver", until)
    again = tier_overrides.set_override(admin(program), "alice", tiers.Override.FLOOR,
                                        "silver", until, "key account", "override-0001")
    assert again == ("silver", until)
    [up] = record(program, purchase("F-1", 2500, datetime(2026, 6, 1, tzinfo=UTC)))
    assert up.upgraded_to == "gold"  # a floor never holds anyone down
    changes = [(c["tier"], c["reason"][:5]) for c in store.tier_changes(program, "alice")]
    assert sorted(changes) == [("gold", "reach"), ("silver", "FLOOR")]  # at the same moment


def test_a_fixed_tier_holds_whatever_activity_does_then_falls_to_what_was_earned(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    record(program, purchase("X-1", 600, datetime(2026, 5, 1, tzinfo=UTC)))  # silver, earned
    tier_overrides.set_override(admin(program), "alice", tiers.Override.FIXED, "blue",
                                datetime(2026, 8, 1, tzinfo=UTC), "paused account", "fix-0001")
    [more] = record(program, purchase("X-2", 2000, datetime(2026, 6, 1, tzinfo=UTC)))
    assert more.upgraded_to is None
    _tier_campaign(program, "silver-wheel", ("silver", "gold"))
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program), "silver-wheel", key()))
    now["at"] = datetime(2026, 8, 1, tzinfo=UTC)  # the fixed tier expires: 2026 earned gold
    assert spins.play(member(program), "silver-wheel", key()).outcome == "NO_PRIZE"
    standing = store.standing_of(store.get_member(program, "alice") or {}, "blue")
    assert tiers.effective(LADDER, standing, now["at"]).tier == "gold"


def test_the_tidy_up_writes_lapses_back_once_and_nothing_depends_on_it(monkeypatch):
    program = loyal_program()
    now = clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("L-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))  # gold
    record(program, purchase("L-2", 700, datetime(2026, 2, 1, tzinfo=UTC), member="bob"))
    now["at"] = datetime(2027, 3, 1, tzinfo=UTC)
    record(program, purchase("L-3", 600, datetime(2027, 2, 1, tzinfo=UTC)))  # silver in 2027
    assert tier_lapses.tidy(program, datetime(2027, 12, 20, tzinfo=UTC)) == 0  # none due
    after_new_year = datetime(2028, 1, 2, tzinfo=UTC)
    assert tier_lapses.tidy(program, after_new_year) == 2
    alice, bob = (store.get_member(program, m) or {} for m in ("alice", "bob"))
    assert (alice["tier"], alice["tierUntil"]) == ("silver", "2028-12-31T23:00:00.000Z")
    assert bob["tier"] == "blue" and "tierUntil" not in bob
    assert tier_lapses.tidy(program, after_new_year) == 0  # again: nothing left to write
    assert [c["reason"] for c in store.tier_changes(program, "bob")][-1] == \
        "lapsed at the end of its period"


def test_points_expire_by_month_and_spending_takes_the_oldest_first(monkeypatch):
    program = loyal_program(ladder=None)
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        points_expire_months=2, unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    now = clock(monkeypatch, datetime(2026, 1, 10, tzinfo=UTC))
    record(program, purchase("E-1", 100, now["at"]))  # lapses at the end of March
    now["at"] = datetime(2026, 2, 5, tzinfo=UTC)
    record(program, purchase("E-2", 50, now["at"]))  # lapses at the end of April
    stocked(program, "mug", cost=30)
    stocked(program, "hat", cost=60)
    stocked(program, "pen", cost=40)
    now["at"] = datetime(2026, 3, 20, tzinfo=UTC)
    held = standing_service.standing_of(
        program, store.get_member(program, "alice") or {}, now["at"])
    assert (held.points.balance, held.expiring) == (150, [("2026-03", 100), ("2026-04", 50)])
    rewards.redeem(member(program), "mug", key())  # the March lot pays
    now["at"] = datetime(2026, 4, 2, tzinfo=UTC)  # March's 70 left have lapsed
    held = standing_service.standing_of(
        program, store.get_member(program, "alice") or {}, now["at"])
    assert (held.points.balance, held.expiring) == (50, [("2026-04", 50)])
    refused(ErrorCode.INSUFFICIENT_POINTS, lambda: rewards.redeem(member(program), "hat", key()))
    assert rewards.redeem(member(program), "pen", key()).balance_after == 10
    last = ledger(program)[-1]
    assert (last["delta"], last["expired"], last["balanceAfter"]) == (-40, 70, 10)
    april = statements.statement_for(program, "alice", "2026-04")
    assert (april.expired, april.closing_balance) == (70, 10)


def test_pending_points_wait_out_the_return_window_and_a_return_takes_them_first(monkeypatch):
    program = new_program()
    support_members.upsert_member(program, "alice", None, "STANDARD")
    loyalty_definitions.upsert_rule(program, EarningRule("per-euro", "Per euro", "PURCHASE",
                                                         points_per_unit=1, pending_days=14))
    now = clock(monkeypatch, datetime(2026, 1, 1, 12, tzinfo=UTC))
    record(program, purchase("P-1", 100, now["at"]))  # spendable from 15 January
    stocked(program, "mug", cost=50)
    now["at"] = datetime(2026, 1, 10, tzinfo=UTC)
    held = standing_service.standing_of(
        program, store.get_member(program, "alice") or {}, now["at"])
    assert (held.points.balance, held.pending) == (100, 100)
    refused(ErrorCode.INSUFFICIENT_POINTS, lambda: rewards.redeem(member(program), "mug", key()))
    record(program, Activity("R-1", "alice", "RETURN", now["at"], amount=Money(4_000, "EUR"),
                             returns="P-1"))  # takes back 40 pending points
    now["at"] = datetime(2026, 1, 15, tzinfo=UTC)
    held = standing_service.standing_of(
        program, store.get_member(program, "alice") or {}, now["at"])
    assert (held.points.balance, held.pending) == (60, 0)
    assert rewards.redeem(member(program), "mug", key()).balance_after == 10


def company_in_debt(program: str, monkeypatch) -> None:
    """acme's wallet at +1000 on shard 0 and -900 on shard 1 (a return after a spend): a
    company total of 100, with a shard that cannot pay for anyone."""
    now = datetime.now(UTC)
    shard = {"next": 0}
    monkeypatch.setattr(activities, "pick_shard", lambda _count: shard["next"])
    record(program, purchase("D-1", 1000, now, account_id="acme"),
           purchase("D-2", 900, now, account_id="acme"))
    stocked(program, reward_id="big", cost=900)
    rewards.redeem(member(program, "bob"), "big", key())
    shard["next"] = 1
    [returned] = record(program, Activity("D-3", "alice", "RETURN", now,
                                          amount=Money(90_000, "EUR"), returns="D-2",
                                          account_id="acme"))
    assert returned.points == -900
    assert company_balance(program)[:2] == [1000, -900] and sum(company_balance(program)) == 100


def test_a_company_in_debt_spends_only_what_is_left_after_the_debt(monkeypatch):
    program = company_program()
    company_in_debt(program, monkeypatch)
    stocked(program, cost=100)
    refused(ErrorCode.INSUFFICIENT_POINTS,
            lambda: rewards.redeem(member(program, "alice"), "big", key()))
    rewards.redeem(member(program, "alice"), "mug", key())
    refused(ErrorCode.INSUFFICIENT_POINTS,
            lambda: rewards.redeem(member(program, "bob"), "mug", key()))
    shards = company_balance(program)
    assert sum(shards) == 0 and min(shards) >= 0  # the debt was settled before the spend
    _, items = store.member_and_wallet(program, "alice", "acme", COMPANY_WALLET_SHARDS)
    assert not any(item.get(store.IN_DEBT) for item in items)

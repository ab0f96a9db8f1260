"""Budgets, run on moto (integration) and on DynamoDB Local (conformance): a win is paid in
its own transaction or not at all; raising, cutting and closing bind at once; the ledger
of changes says who and why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kado.domain.budgets import Budget, BudgetLink, Period
from kado.domain.campaigns.rules import Prize, PrizeKind
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.services import budgets, members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from tests import support
from tests.support import key, member, new_program

PRIZE_COST = 10_000  # 10.000 ₫ a win


def budget(budget_id: str = "wheel-money", amount: int = 17 * PRIZE_COST, **more) -> Budget:
    return Budget(id=budget_id, name=budget_id.replace("-", " "), currency="VND",
                  amount=amount, **more)


def paid_wheel(program: str, links: tuple[BudgetLink, ...], cost: int = PRIZE_COST,
               campaign_id: str = "wheel") -> None:
    """A LIVE campaign whose every spin wins a prize that costs `cost`."""
    prizes = (Prize("gift", "Gift", PrizeKind.ITEM, 1, None, cost=cost),)
    campaigns.upsert(program, replace(support.campaign(campaign_id, prizes=prizes),
                                      budgets=links))
    campaigns.launch(program, campaign_id)


def spin_many(program: str, count: int, campaign_id: str = "wheel") -> list[str]:
    return [spins.play(member(program, f"m{i}"), campaign_id, key()).outcome
            for i in range(count)]


def test_wins_stop_when_the_budget_is_spent_and_the_rest_are_no_wins():
    program = new_program()
    budgets.create(program, budget(shards=4), "marketing", "Tet wheel")
    paid_wheel(program, (BudgetLink("wheel-money"),))
    outcomes = spin_many(program, 20)
    assert outcomes.count("WON") == 17 and outcomes.count("OUT_OF_BUDGET") == 3
    state = budgets.state(program, budgets.get(program, "wheel-money"))
    assert (state.spent, state.left, state.thresholds) == (17 * PRIZE_COST, 0, [50, 80, 100])
    assert state.by_source == {"campaign:wheel": 17 * PRIZE_COST}
    assert list(state.by_day.values()) == [17 * PRIZE_COST]  # all on one day
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert (stats.spins, stats.wins, stats.out_of_budget) == (20, 17, 3)


def test_a_raise_pays_for_more_a_cut_never_goes_below_what_is_spent_and_a_close_binds():
    program = new_program()
    budgets.create(program, budget(amount=3 * PRIZE_COST, shards=2), "marketing", "pilot")
    paid_wheel(program, (BudgetLink("wheel-money"),))
    assert spin_many(program, 4).count("WON") == 3
    with pytest.raises(DomainError) as refused:
        budgets.set_amount(program, "wheel-money", 2 * PRIZE_COST, "marketing", "cut")
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_INPUT, "amount")
    budgets.set_amount(program, "wheel-money", 5 * PRIZE_COST, "finance", "approved")
    assert spin_many(program, 3).count("WON") == 2
    assert budgets.state(program, budgets.get(program, "wheel-money")).left == 0
    budgets.set_amount(program, "wheel-money", 6 * PRIZE_COST, "finance", "one more")
    budgets.close(program, "wheel-money", "marketing", "campaign over budget review")
    assert spin_many(program, 2) == ["OUT_OF_BUDGET", "OUT_OF_BUDGET"]  # closed: none paid
    ledger = budgets.changes(program, "wheel-money")
    assert [(c["change"], c["amount"], c["by"]) for c in ledger] == [
        ("SET", 3 * PRIZE_COST, "marketing"), ("RAISE", 5 * PRIZE_COST, "finance"),
        ("RAISE", 6 * PRIZE_COST, "finance"), ("CLOSE", 6 * PRIZE_COST, "marketing")]


def test_a_co_marketing_split_debits_each_sponsor_its_share():
    program = new_program()
    budgets.create(program, budget("brand", amount=70_000, sponsor="brand"), "m", "co-op")
    budgets.create(program, budget("distributor", amount=60_000, sponsor="dist"), "m", "co-op")
    paid_wheel(program, (BudgetLink("brand", 70), BudgetLink("distributor", 30)))
    # Each win costs 7.000 to the brand and 3.000 to the distributor: the brand runs out
    # after 10 wins, though the distributor could pay for 20.
    assert spin_many(program, 12).count("WON") == 10
    brand, distributor = (budgets.state(program, budgets.get(program, b))
                          for b in ("brand", "distributor"))
    assert (brand.spent, distributor.spent) == (70_000, 30_000)


def test_a_campaign_names_only_open_budgets_in_one_currency_and_freezes_them_at_launch():
    program = new_program()
    budgets.create(program, budget("dong"), "m", "x")
    budgets.create(program, replace(budget("baht"), currency="THB"), "m", "x")
    prizes = (Prize("gift", "Gift", PrizeKind.ITEM, 1, None, cost=PRIZE_COST),)
    draft = support.campaign("wheel", prizes=prizes)
    for links, field in (((BudgetLink("nope"),), "budgets[0].budgetId"),
                         ((BudgetLink("dong"), BudgetLink("baht", 50)), "budgets")):
        with pytest.raises(ValidationFailed) as refused:
            campaigns.upsert(program, replace(draft, budgets=links))
        assert refused.value.field == field
    campaigns.upsert(program, replace(draft, budgets=(BudgetLink("dong"),)))
    campaigns.launch(program, "wheel")
    with pytest.raises(DomainError) as frozen:
        campaigns.upsert(program, replace(draft, budgets=()))
    assert frozen.value.code is ErrorCode.ODDS_FROZEN


def test_a_daily_budget_starts_again_each_day_in_its_zone(monkeypatch):
    from datetime import UTC, datetime, timedelta
    program = new_program()
    clock = support.test_clock(monkeypatch, datetime.now(UTC))
    budgets.create(program, budget(amount=2 * PRIZE_COST, period=Period.DAY,
                                   timezone="Asia/Ho_Chi_Minh"), "m", "daily")
    paid_wheel(program, (BudgetLink("wheel-money"),))
    assert spin_many(program, 3).count("WON") == 2
    clock["at"] += timedelta(days=1)
    assert spin_many(program, 3).count("WON") == 2


def test_each_threshold_is_marked_once_per_period_however_often_it_is_watched():
    program = new_program()
    budgets.create(program, budget(amount=10 * PRIZE_COST, shards=2), "m", "thresholds")
    paid_wheel(program, (BudgetLink("wheel-money"),))
    spin_many(program, 6)  # 60 % spent
    assert budgets.watch(program, "wheel-money", "LIFETIME") == [50]
    assert budgets.watch(program, "wheel-money", "LIFETIME") == []  # already marked
    spin_many(program, 6)  # 100 %, and two no-wins
    assert budgets.watch(program, "wheel-money", "LIFETIME") == [80, 100]
    marked = budgets.alerts(program, "wheel-money")
    assert [(a["period"], a["percent"], a["spent"]) for a in marked] == [
        ("LIFETIME", 50, 60_000), ("LIFETIME", 80, 100_000), ("LIFETIME", 100, 100_000)]


def rewarded(program: str, budget_id: str = "gifts", cost: int = 50_000) -> None:
    """A mug for 100 points that costs the program 50.000 ₫ from `budget_id`."""
    from kado.services.loyalty import rewards
    rewards.save(program, Reward("mug", "Mug", 100, RewardKind.ITEM, cost=cost,
                                 budgets=(BudgetLink(budget_id),)))


def test_a_reward_a_budget_cannot_pay_is_refused_naming_it_and_costs_no_points():
    from kado.services.loyalty import adjustments, rewards
    from tests.support import admin
    program = new_program()
    budgets.create(program, budget("gifts", amount=100_000, shards=2), "m", "gifts")
    rewarded(program)
    members.upsert_member(program, "alice", None, "STANDARD")
    adjustments.adjust(admin(program), "alice", 1_000, "welcome", "topup-alice-0001")
    for _ in range(2):
        rewards.redeem(member(program), "mug", key())
    with pytest.raises(DomainError) as refused:
        rewards.redeem(member(program), "mug", key())
    assert (refused.value.code, refused.value.field) == (ErrorCode.BUDGET_EXHAUSTED, "rewardId")
    assert "gifts" in refused.value.message
    from kado.store import ledger
    assert ledger.get_member(program, "alice")["points"] == 800  # two mugs, not three


def test_a_budget_linked_on_another_instance_binds_this_one_at_once():
    from kado.services.kernel import loyalty_definitions
    from kado.services.loyalty import adjustments, rewards
    from kado.store.loyalty import definitions as definition_store
    from tests.support import admin
    program = new_program()
    budgets.create(program, budget("gifts", amount=50_000), "m", "gifts")
    rewards.save(program, Reward("mug", "Mug", 100, RewardKind.ITEM))  # free, no budget
    members.upsert_member(program, "alice", None, "STANDARD")
    adjustments.adjust(admin(program), "alice", 1_000, "welcome", "topup-alice-0001")
    rewards.redeem(member(program), "mug", key())  # this instance now caches the free mug
    linked = Reward("mug", "Mug", 100, RewardKind.ITEM, cost=50_000,
                    budgets=(BudgetLink("gifts"),))
    # Saved by another instance: this one's cache still holds the free mug.
    definition_store.put_definition(program, "REWARD", "mug", {
        "name": "Mug", "costPoints": 100, "kind": "ITEM", "cost": 50_000,
        "budgets": [{"budgetId": "gifts", "percent": 100}],
        loyalty_definitions.TERMS_STAMP: linked.terms_stamp})
    rewards.redeem(member(program), "mug", key())  # paid from the budget after all
    assert budgets.state(program, budgets.get(program, "gifts")).left == 0
    with pytest.raises(DomainError) as refused:
        rewards.redeem(member(program), "mug", key())
    assert refused.value.code is ErrorCode.BUDGET_EXHAUSTED


def test_points_an_admin_gives_are_paid_from_the_points_budget_at_the_point_value():
    from kado.services.kernel import loyalty_definitions
    from kado.services.loyalty import adjustments
    from kado.store import ledger
    from tests.support import admin
    program = new_program()
    budgets.create(program, budget("points", amount=300_000, shards=2), "m", "points")
    adjustments.save_settings(program, loyalty_definitions.Settings(
        point_value=1_000, point_currency="VND", points_budgets=(BudgetLink("points"),)))
    members.upsert_member(program, "alice", None, "STANDARD")
    assert adjustments.adjust(admin(program), "alice", 250, "goodwill", key()) == (250, 250)
    with pytest.raises(DomainError) as refused:  # 100 more would cost 100.000 ₫; 50.000 left
        adjustments.adjust(admin(program), "alice", 100, "goodwill", key())
    assert (refused.value.code, refused.value.field) == (ErrorCode.BUDGET_EXHAUSTED, "delta")
    assert adjustments.adjust(admin(program), "alice", -50, "fix", key()) == (-50, 200)
    assert adjustments.adjust(admin(program), "alice", 50, "goodwill", key()) == (50, 250)
    assert ledger.get_member(program, "alice")["points"] == 250
    assert budgets.state(program, budgets.get(program, "points")).left == 0
    with pytest.raises(ValidationFailed) as wrong:  # a budget in baht cannot pay in đồng
        budgets.create(program, replace(budget("baht"), currency="THB"), "m", "x")
        adjustments.save_settings(program, loyalty_definitions.Settings(
            point_value=1_000, point_currency="VND", points_budgets=(BudgetLink("baht"),)))
    assert wrong.value.field == "pointsBudgets"


def test_a_points_budget_set_on_another_instance_binds_this_ones_adjustments_at_once():
    from kado.services.kernel import loyalty_definitions
    from kado.services.loyalty import adjustments
    from kado.store.loyalty import definitions as definition_store
    from tests.support import admin
    program = new_program()
    budgets.create(program, budget("points", amount=10_000), "m", "points")
    members.upsert_member(program, "alice", None, "STANDARD")
    adjustments.adjust(admin(program), "alice", 5, "welcome", key())  # free: cached so
    priced = loyalty_definitions.Settings(point_value=1_000, point_currency="VND",
                                          points_budgets=(BudgetLink("points"),))
    definition_store.put_definition(program, "LOYALTY_SETTINGS", "settings", {
        "pointValue": 1_000, "pointCurrency": "VND",
        "pointsBudgets": [{"budgetId": "points", "percent": 100}],
        loyalty_definitions.POINTS_TERMS: priced.points_terms})  # by another instance
    adjustments.adjust(admin(program), "alice", 10, "bonus", key())  # 10.000 ₫: all of it
    assert budgets.state(program, budgets.get(program, "points")).left == 0
    with pytest.raises(DomainError) as refused:
        adjustments.adjust(admin(program), "alice", 1, "bonus", key())
    assert refused.value.code is ErrorCode.BUDGET_EXHAUSTED


def test_points_an_activity_earns_past_the_points_budget_are_held_until_released(monkeypatch):
    from datetime import UTC, datetime, timedelta

    from kado.config import settings as config
    from kado.services.kernel import loyalty_definitions
    from kado.services.ledger import movements
    from kado.services.loyalty import adjustments, held
    from kado.store import ledger
    from tests.scenarios.points_scenarios import loyal_program, purchase, record
    from tests.support import admin, test_clock
    program = loyal_program(ladder=None)  # a point a euro, members enrolled by activity
    now = test_clock(monkeypatch, datetime(2026, 5, 4, 9, tzinfo=UTC))
    budgets.create(program, budget("points", amount=15_000), "m", "points")  # 15 points
    adjustments.save_settings(program, loyalty_definitions.Settings(
        point_value=1_000, point_currency="VND", points_budgets=(BudgetLink("points"),),
        unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    assert record(program, purchase("P-0", 30, now["at"]))[0].outcome == "RECORDED"
    assert budgets.state(program, budgets.get(program, "points")).spent == 0  # not yet:
    # the budgets apply once every instance's copy of the settings has run out
    now["at"] += timedelta(seconds=config().definition_cache_seconds + 2)
    loyalty_definitions.forget(program)
    record(program, purchase("P-1", 10, now["at"]))  # paid: 10.000 ₫
    second = record(program, purchase("P-2", 10, now["at"]))[0]  # 5.000 ₫ left: held
    assert (second.outcome, second.points) == ("RECORDED", 10)  # the activity stands
    member = ledger.get_member(program, "alice")
    assert member["points"] == 50 and member["pending"] == {"HELD": 10}
    assert movements.spendable(program, ledger.wallet_of(member), now["at"]) == 40
    line = ledger.ledger_page(program, "alice", 1, None).items[0]
    assert "held: points budget 'points'" in line["reason"]
    with pytest.raises(DomainError) as refused:  # the budget still cannot pay for them
        held.release(admin(program), "alice", "release-alice-0001")
    assert refused.value.code is ErrorCode.BUDGET_EXHAUSTED
    budgets.set_amount(program, "points", 25_000, "finance", "top up")
    assert held.release(admin(program), "alice", "release-alice-0002") == 10
    assert held.release(admin(program), "alice", "release-alice-0002") == 10  # once
    member = ledger.get_member(program, "alice")
    assert member.get("pending", {}) == {} and member["points"] == 50
    assert movements.spendable(program, ledger.wallet_of(member), now["at"]) == 50
    state = budgets.state(program, budgets.get(program, "points"))
    assert (state.spent, state.left) == (20_000, 5_000)  # both purchases paid for once


def test_registrations_are_paid_from_the_events_budget_and_given_back_when_they_end(
        monkeypatch):
    from kado.services.events import registrations
    from tests.scenarios.event_scenarios import DURING, published, register
    from tests.support import test_clock
    test_clock(monkeypatch, DURING)
    program = new_program()
    budgets.create(program, budget("gala", amount=200_000), "m", "dinner")
    published(program, capacity=10, cost=100_000, budgets=(BudgetLink("gala"),))
    register(program, "ann")
    register(program, "ben")
    with pytest.raises(DomainError) as refused:  # two dinners are all the budget pays for
        register(program, "cat")
    assert (refused.value.code, refused.value.field) == (ErrorCode.BUDGET_EXHAUSTED,
                                                         "eventId")
    registrations.cancel(member(program, "ann"), "dealer-night")  # her dinner is given back
    assert register(program, "cat").status.value == "CONFIRMED"
    state = budgets.state(program, budgets.get(program, "gala"))
    assert (state.spent, state.left) == (200_000, 0)
    assert state.by_source == {"event:dealer-night": 200_000}  # ann's given back


def test_the_programs_budget_pays_beside_every_campaigns_own_once_it_applies(monkeypatch):
    from datetime import UTC, datetime, timedelta

    from kado.config import settings as config
    from kado.services.kernel import loyalty_definitions
    from kado.services.loyalty import adjustments
    from tests.support import test_clock
    program = new_program()
    now = test_clock(monkeypatch, datetime.now(UTC))
    budgets.create(program, budget("program", amount=3 * PRIZE_COST), "m", "the year")
    budgets.create(program, budget("spring-own", amount=10 * PRIZE_COST), "m", "spring")
    adjustments.save_settings(program, loyalty_definitions.Settings(
        program_budgets=(BudgetLink("program"),)))
    paid_wheel(program, (BudgetLink("spring-own"),), campaign_id="spring")
    paid_wheel(program, (), campaign_id="autumn")  # names no budget of its own
    assert spin_many(program, 2, "autumn") == ["WON", "WON"]  # not yet: no instance may
    # hold an older copy of the settings when the program's budget starts to count
    now["at"] += timedelta(seconds=config().definition_cache_seconds + 2)
    loyalty_definitions.forget(program)
    outcomes = spin_many(program, 2, "spring") + spin_many(program, 2, "autumn")
    assert outcomes == ["WON", "WON", "WON", "OUT_OF_BUDGET"]  # three, whichever wheel
    state = budgets.state(program, budgets.get(program, "program"))
    assert state.by_source == {"campaign:spring": 2 * PRIZE_COST,
                               "campaign:autumn": PRIZE_COST}
    assert budgets.state(program, budgets.get(program, "spring-own")).spent == 2 * PRIZE_COST


def test_settings_name_each_budget_once_per_list_and_may_share_one_across_lists():
    # Found by the schema fuzzer: a budget named twice in one list reached one BatchGetItem,
    # which DynamoDB refuses when it names a key twice (moto does not): an unexpected error.
    from kado.services.kernel import loyalty_definitions
    from kado.services.loyalty import adjustments
    program = new_program()
    budgets.create(program, budget("all", amount=10**9), "m", "one budget for everything")
    twice = loyalty_definitions.Settings(point_value=1_000, point_currency="VND",
                                         program_budgets=(BudgetLink("all"), BudgetLink("all")))
    with pytest.raises(ValidationFailed) as refused:
        adjustments.save_settings(program, twice)
    assert refused.value.field == "programBudgets[1].budgetId"
    adjustments.save_settings(program, loyalty_definitions.Settings(
        point_value=1_000, point_currency="VND", points_budgets=(BudgetLink("all"),),
        program_budgets=(BudgetLink("all"),)))

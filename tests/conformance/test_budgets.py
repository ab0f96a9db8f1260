"""Budgets under real parallel requests on DynamoDB Local: however the debits interleave,
no budget goes below zero and exactly what fits is paid."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.budgets import BudgetLink
from kado.services import budgets
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.store import budgets as budget_store
from tests.scenarios.budget_scenarios import *  # noqa: F403 - the shared scenarios, on the engine
from tests.scenarios.budget_scenarios import PRIZE_COST, budget, paid_wheel
from tests.support import key, like_a_client, member, new_program


def _spin_in_parallel(program: str, count: int) -> list[str]:
    jobs = [(f"m{i % 60}", key()) for i in range(count)]

    def play(job: tuple[str, str]) -> str:
        who, k = job
        return like_a_client(lambda: spins.play(member(program, who), "wheel", k)).outcome

    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(play, jobs))


def test_300_parallel_spins_on_a_budget_for_17_prizes_win_exactly_17():
    program = new_program()
    budgets.create(program, budget(shards=8), "marketing", "flash wheel")
    paid_wheel(program, (BudgetLink("wheel-money"),))
    outcomes = _spin_in_parallel(program, 300)
    assert outcomes.count("WON") == 17
    assert outcomes.count("OUT_OF_BUDGET") == 283
    b = budgets.get(program, "wheel-money")
    shards = budget_store.shards_of(program, b, "LIFETIME")
    assert all(int(s[budget_store.LEFT]) >= 0 for s in shards if s)  # never below zero
    state = budgets.state(program, b)
    assert (state.spent, state.left) == (17 * PRIZE_COST, 0)
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert (stats.wins, stats.out_of_budget) == (17, 283)


def test_a_co_marketing_split_never_overruns_either_sponsor_under_load():
    program = new_program()
    # 7.000 and 3.000 a win: the brand pays for 11 wins (77.000 of 80.000), the
    # distributor for 13 (39.000 of 40.000): 11 wins, and neither overrun.
    budgets.create(program, budget("brand", amount=80_000, shards=4, sponsor="brand"), "m", "x")
    budgets.create(program, budget("dist", amount=40_000, shards=4, sponsor="dist"), "m", "x")
    paid_wheel(program, (BudgetLink("brand", 70), BudgetLink("dist", 30)))
    outcomes = _spin_in_parallel(program, 120)
    assert outcomes.count("WON") == 11
    brand, dist = (budgets.state(program, budgets.get(program, b)) for b in ("brand", "dist"))
    assert (brand.spent, dist.spent) == (77_000, 33_000)
    assert brand.left >= 0 and dist.left >= 0


def test_thresholds_are_marked_once_each_when_many_publishers_watch_at_once():
    program = new_program()
    budgets.create(program, budget(shards=8), "marketing", "flash wheel")
    paid_wheel(program, (BudgetLink("wheel-money"),))
    _spin_in_parallel(program, 40)  # all 17 wins: 100 % spent
    # Each shard's changes reach a publisher on their own stream shard: many watch at once.
    with ThreadPoolExecutor(max_workers=16) as pool:
        marked = list(pool.map(lambda _: budgets.watch(program, "wheel-money", "LIFETIME"),
                               range(16)))
    assert sorted(p for each in marked for p in each) == [50, 80, 100]
    assert [a["percent"] for a in budgets.alerts(program, "wheel-money")] == [50, 80, 100]


def test_40_parallel_reward_redemptions_on_a_budget_for_10_take_exactly_10():
    from kado.domain.errors import DomainError, ErrorCode
    from kado.services import members
    from kado.services.loyalty import adjustments, rewards
    from tests.scenarios.budget_scenarios import rewarded
    from tests.support import admin
    program = new_program()
    budgets.create(program, budget("gifts", amount=500_000, shards=4), "m", "gifts")
    rewarded(program)  # 50.000 ₫ a mug: ten mugs
    for n in range(40):
        members.upsert_member(program, f"m{n}", None, "STANDARD")
        adjustments.adjust(admin(program), f"m{n}", 100, "welcome", f"topup-m{n}-0001")

    def redeem(n: int) -> str:
        k = key()  # one key, however often the client retries
        try:
            like_a_client(lambda: rewards.redeem(member(program, f"m{n}"), "mug", k))
            return "REDEEMED"
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(redeem, range(40)))
    assert outcomes.count("REDEEMED") == 10
    assert outcomes.count(ErrorCode.BUDGET_EXHAUSTED) == 30
    state = budgets.state(program, budgets.get(program, "gifts"))
    assert (state.spent, state.left) == (500_000, 0)

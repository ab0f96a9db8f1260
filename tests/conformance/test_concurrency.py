"""Invariants that only a real engine can judge: real parallel requests on DynamoDB Local."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.campaigns.rules import Limits
from kado.domain.errors import DomainError
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.store.campaigns import definitions as campaign_store
from kado.store.campaigns import spins as spin_store
from kado.store.kernel import item_keys as keys
from kado.store.kernel.reads import get_one
from tests import support
from tests.support import key, member, new_program


def _launch(program, stock, limits=Limits()):
    campaigns.upsert(program, support.campaign(prizes=support.sure_win(stock), limits=limits))
    return campaigns.launch(program, "wheel")


def test_200_parallel_spins_never_oversell_20_units():
    program = new_program()
    c = _launch(program, 20)
    assert len(c.stock_plan[0].shards) == 20  # the formula spreads 20 units over 20 shards
    jobs = [(f"m{i % 50}", key()) for i in range(200)]

    def play(job):
        who, k = job
        try:
            return spins.play(member(program, who), "wheel", k)
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=32) as pool:
        outcomes = list(pool.map(play, jobs))
    won = [o for o in outcomes if getattr(o, "won", False)]
    lost = [o for o in outcomes if getattr(o, "outcome", None) == "OUT_OF_STOCK"]
    assert len(won) == 20
    assert len(won) + len(lost) == 200, [o for o in outcomes if isinstance(o, str)]
    left = campaign_store.stock_left(program, c, "gift")
    assert left == [0] * 20
    stats = campaigns.stats(program, c)
    assert (stats.spins, stats.wins, stats.out_of_stock) == (200, 20, 180)


def test_20_parallel_retries_with_one_key_make_one_spin():
    program = new_program()
    c = _launch(program, 100, Limits(per_member_total=5, per_member_per_day=5))
    k = key()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: spins.play(member(program), "wheel", k), range(20)))
    assert len({r.id for r in results}) == 1 and all(r.won for r in results)
    assert len(spin_store.list_all(program, "alice", "wheel")) == 1
    assert sum(campaign_store.stock_left(program, c, "gift")) == 99
    played = [get_one(counter)[spin_store.PLAYED] for counter in (
        keys.spins_played(program, "alice", "wheel"),
        keys.spins_played_on(program, "alice", "wheel", spin_store.get(
            program, "alice", k)["day"]))]
    assert played == [1, 1]
    assert campaigns.stats(program, c).spins == 1


def test_parallel_spins_of_one_member_respect_the_daily_limit():
    program = new_program()
    campaigns.upsert(program, support.campaign(
        prizes=support.sure_loss(), limits=Limits(per_member_per_day=3)))
    campaigns.launch(program, "wheel")

    def play(_):
        try:
            return spins.play(member(program), "wheel", key()).outcome
        except DomainError as refusal:
            return refusal.code.value

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(play, range(12)))
    assert outcomes.count("NO_PRIZE") == 3
    assert outcomes.count("DAILY_LIMIT_REACHED") == 9


def test_the_days_stats_count_each_spin_once_and_each_player_once_under_parallel_spins():
    program = new_program()
    c = support.campaign("stats-wheel", prizes=support.sure_win(None),
                         limits=Limits(per_member_per_day=4))
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    players = [f"p{i}" for i in range(6)]
    tries = [who for who in players for _ in range(6)]  # 6 each, 4 allowed each

    def spin(who):
        try:
            return spins.play(member(program, who), c.id, key()).outcome
        except DomainError as refusal:
            return refusal.code.value

    with ThreadPoolExecutor(max_workers=18) as pool:
        outcomes = list(pool.map(spin, tries))
    assert outcomes.count("WON") == 24 and outcomes.count("DAILY_LIMIT_REACHED") == 12, outcomes
    [day] = campaigns.days(program, campaigns.get(program, c.id))
    assert (day.spins, day.wins, day.players) == (24, 24, 6)
    assert day.refusals == {"DAILY_LIMIT_REACHED": 12}

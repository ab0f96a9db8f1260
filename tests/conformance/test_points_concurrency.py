"""Points and tiers under real parallel requests on DynamoDB Local."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

from kado.domain.errors import DomainError, ErrorCode
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.loyalty import rewards
from kado.store import ledger as store
from kado.store.loyalty import rewards as reward_store
from tests import support
from tests.scenarios.points_scenarios import (
    company_balance,
    company_in_debt,
    company_program,
    ledger,
    loyal_program,
    purchase,
    record,
    stocked,
    topped_up,
)
from tests.support import member


def _parallel(action, jobs, workers=25):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(action, jobs))


def test_50_parallel_resends_of_one_activity_make_one_ledger_entry():
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)

    def send(_):
        [result] = record(program, purchase("INV-PAR", 100, now))
        return result.outcome or result.error.code

    outcomes = _parallel(send, range(50))
    assert outcomes.count("RECORDED") == 1, outcomes
    assert set(outcomes) <= {"RECORDED", "DUPLICATE", ErrorCode.BUSY}
    assert [(e["delta"], e["balanceAfter"]) for e in ledger(program)] == [(100, 100)]
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 100


def test_parallel_activities_of_one_member_are_all_counted_in_order():
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)
    results = _parallel(lambda i: record(program, purchase(f"MANY-{i}", 10, now))[0],
                        range(30), workers=10)
    assert all(r.outcome == "RECORDED" for r in results), [r.error for r in results]
    lines = ledger(program)
    assert [e["seq"] for e in lines] == list(range(1, 31))
    assert [e["balanceAfter"] for e in lines] == [10 * (i + 1) for i in range(30)]


def test_parallel_activities_crossing_a_threshold_make_one_upgrade(monkeypatch):
    program = loyal_program()
    support.test_clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    at = datetime(2026, 5, 1, tzinfo=UTC)
    results = _parallel(lambda i: record(program, purchase(f"UP-{i}", 100, at))[0],
                        range(12), workers=12)
    assert all(r.outcome == "RECORDED" for r in results), [r.error for r in results]
    assert sum(r.upgraded_to == "silver" for r in results) == 1
    changes = store.tier_changes(program, "alice")
    assert [(c["tier"], c["period"]) for c in changes] == [("silver", "2026")]
    assert (store.get_member(program, "alice") or {})["tier"] == "silver"


def test_50_parallel_reward_redemptions_against_a_balance_for_7_make_exactly_7():
    program = loyal_program(ladder=None)
    stocked(program, cost=100)
    topped_up(program, amount=750)

    def redeem(i):
        try:
            return rewards.redeem(member(program), "mug", f"reward-key-{i:04d}")
        except DomainError as refusal:
            return refusal.code

    outcomes = _parallel(redeem, range(50))
    done = [o for o in outcomes if isinstance(o, rewards.RewardRedemption)]
    assert len(done) == 7, outcomes
    assert set(outcomes) - set(done) <= {ErrorCode.INSUFFICIENT_POINTS, ErrorCode.BUSY}
    assert sorted(d.balance_after for d in done) == [50, 150, 250, 350, 450, 550, 650]
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 50
    assert [e["balanceAfter"] for e in ledger(program)] == [750, 650, 550, 450, 350, 250, 150, 50]


def test_parallel_redemptions_never_oversell_a_reward():
    program = loyal_program(ladder=None)
    stocked(program, cost=10, stock=5)
    for i in range(20):
        topped_up(program, member=f"m{i}", amount=10)

    def redeem(i):
        try:
            return rewards.redeem(member(program, f"m{i}"), "mug", f"reward-key-{i:04d}")
        except DomainError as refusal:
            return refusal.code

    outcomes = _parallel(redeem, range(20), workers=20)
    assert sum(isinstance(o, rewards.RewardRedemption) for o in outcomes) == 5, outcomes
    assert reward_store.reward_stock_left(program, "mug") == 0


def test_parallel_paid_spins_never_spend_more_than_the_balance():
    program = loyal_program(ladder=None)
    c = replace(support.campaign("paid-wheel", prizes=support.sure_loss()), cost_points=30)
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    topped_up(program, amount=100)

    def play(i):
        try:
            return spins.play(member(program), "paid-wheel", f"paid-spin-{i:04d}").outcome
        except DomainError as refusal:
            return refusal.code

    outcomes = _parallel(play, range(12), workers=12)
    assert outcomes.count("NO_PRIZE") == 3, outcomes
    assert store.wallet_of(store.get_member(program, "alice") or {}).balance == 10
    assert campaigns.stats(program, campaigns.get(program, "paid-wheel")).spins == 3


def _staff_spend(program: str, prefix: str, count: int) -> list:
    """`count` of acme's staff each redeem a mug at once; the company's shards after."""
    staff = [f"{prefix}-{i}" for i in range(count)]
    for who in staff:
        members.upsert_member(program, who, "acme", "STANDARD")

    def redeem(who):
        try:
            return rewards.redeem(member(program, who), "mug", f"{prefix}-key-{who}")
        except DomainError as refusal:
            return refusal.code

    outcomes = _parallel(redeem, staff, workers=20)
    done = [o for o in outcomes if isinstance(o, rewards.RewardRedemption)]
    assert set(outcomes) - set(done) <= {ErrorCode.INSUFFICIENT_POINTS, ErrorCode.BUSY}
    shards = company_balance(program)
    assert min(shards) >= 0 and sum(shards) == 0  # never below zero, nothing left unspent
    return done


def test_a_company_wallet_never_goes_negative_under_parallel_spends_by_its_staff():
    program = company_program()
    now = datetime.now(UTC)
    record(program, *[purchase(f"CO-{i}", 70, now, member="alice", account_id="acme")
                      for i in range(10)])  # 700 points over the company's shards
    stocked(program, cost=100)
    assert len(_staff_spend(program, "staff", 20)) == 7


def test_a_company_in_debt_pays_once_whatever_the_interleaving(monkeypatch):
    """Shards at +1000 and -900 (a company total of 100): 40 parallel spends of 100 make
    exactly one, and the company never goes below zero."""
    program = company_program()
    company_in_debt(program, monkeypatch)
    stocked(program, cost=100)
    assert len(_staff_spend(program, "debt-staff", 40)) == 1

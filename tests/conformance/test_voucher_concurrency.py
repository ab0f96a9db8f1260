"""Vouchers under real parallel requests on DynamoDB Local: nothing is given or taken twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from kado.config import settings
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.vouchers import codes
from kado.domain.vouchers.products import CodeSource
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel.code_key_ring import keys
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import issuing as vouchers
from kado.services.vouchers import redemptions
from kado.store.vouchers import issued as voucher_store
from tests import support
from tests.scenarios.voucher_scenarios import shop, won_voucher
from tests.support import key, member, new_program, till


def _parallel(action, jobs, workers=20):
    def run(job):
        try:
            return action(job)
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, jobs))


def _balance(program, code):
    return voucher_store.get(program, keys().lookup(program, code))["balance"]


def test_20_parallel_redemptions_by_two_merchants_redeem_once():
    program = new_program()
    shop(program, "cafe", "bakery")
    code = won_voucher(program).code
    jobs = [("cafe" if i % 2 else "bakery", key()) for i in range(20)]
    outcomes = _parallel(lambda job: redemptions.redeem(till(program, job[0]), code, None,
                                                        job[1], None), jobs)
    done = [o for o in outcomes if isinstance(o, redemptions.Redemption)]
    assert len(done) == 1, outcomes
    assert set(outcomes) - set(done) == {ErrorCode.ALREADY_REDEEMED}
    assert _balance(program, code) == 0
    mine = [r for m in ("cafe", "bakery") for r in redemptions.list_mine(till(program, m), 50,
                                                                         None)[0]]
    assert [r.id for r in mine] == [done[0].id]


def test_10_parallel_partial_redemptions_of_100_from_500_leave_exactly_0():
    program = new_program()
    shop(program, value=500, partial_redemption=True)
    code = won_voucher(program).code
    outcomes = _parallel(lambda k: redemptions.redeem(till(program), code, 100, k, None),
                         [key() for _ in range(10)])
    done = [o for o in outcomes if isinstance(o, redemptions.Redemption)]
    assert len(done) == 5, outcomes
    assert set(outcomes) - set(done) <= {ErrorCode.ALREADY_REDEEMED,
                                         ErrorCode.INSUFFICIENT_BALANCE}
    assert _balance(program, code) == 0


def test_a_pool_of_50_codes_against_80_parallel_winning_spins_gives_each_code_once():
    program = new_program()
    shop(program, code_source=CodeSource.POOL)
    imported = [f"PARTNER{i:04d}" for i in range(50)]
    assert voucher_admin.import_codes(program, "tenner", imported).imported == 50
    c = support.campaign(prizes=support.voucher_prize())
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    outcomes = _parallel(lambda who: spins.play(member(program, who), c.id, key()),
                         [f"m{i}" for i in range(80)], workers=32)
    won = [o for o in outcomes if getattr(o, "won", False)]
    assert len(won) == 50, outcomes
    assert [o.outcome for o in outcomes if o not in won] == ["OUT_OF_STOCK"] * 30
    given = [v.code for i in range(80)
             for v in vouchers.my_vouchers(member(program, f"m{i}"), None, 20, None)[0]]
    assert sorted(given) == sorted(imported)
    assert sorted(s.voucher_id for s in won) == sorted(
        v.id for i in range(80)
        for v in vouchers.my_vouchers(member(program, f"m{i}"), None, 20, None)[0])


def test_parallel_reversals_and_redemptions_keep_the_balance_consistent():
    program = new_program()
    shop(program, value=1000, partial_redemption=True, reversal_window_minutes=10)
    code = won_voucher(program).code
    first = [redemptions.redeem(till(program), code, 200, key(), None) for _ in range(3)]

    def act(job):
        kind, value = job
        if kind == "reverse":
            return redemptions.reverse(till(program), value, key(), "cashier error")
        return redemptions.redeem(till(program), code, value, key(), None)

    jobs = [("reverse", r.id) for r in first] + [("redeem", 300)] * 6
    _parallel(act, jobs)
    records = redemptions.list_mine(till(program), 50, None)[0]
    kept = sum(r.amount for r in records if r.reversed_at is None)
    assert sum(1 for r in records if r.reversed_at) == 3
    assert _balance(program, code) == 1000 - kept >= 0
    ledger = voucher_store.ledger(program, keys().lookup(program, code))
    assert sum(1 for e in ledger if e["event"] == "REDEEMED") == len(records)


def test_60_parallel_guesses_get_at_most_the_limit_of_answers(monkeypatch):
    """The failed-look-up limit holds when the guesses arrive all at once."""
    program = new_program()
    shop(program)
    minute = datetime(2026, 11, 24, 9, 30, 15, tzinfo=UTC)  # no minute boundary mid-test
    monkeypatch.setattr(redemptions, "utcnow", lambda: minute)  # the till's minute only
    guesses = [codes.generate() for _ in range(60)]
    outcomes = _parallel(lambda code: redemptions.check(till(program), code), guesses,
                         workers=30)
    limit = settings().failed_lookups_per_minute
    assert outcomes.count(ErrorCode.INVALID_CODE) == limit, outcomes
    assert outcomes.count(ErrorCode.TOO_MANY_ATTEMPTS) == 60 - limit

"""Points and tiers under real parallel requests on DynamoDB Local."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from kado.domain.errors import ErrorCode
from kado.services import activities, points
from kado.store import loyalty as store
from tests.scenarios.points_scenarios import ledger, loyal_program, purchase, record


def _parallel(action, jobs, workers=25):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(action, jobs))


def test_50_parallel_resends_of_one_activity_make_one_ledger_entry():
    program = loyal_program(ladder=None)
    now = datetime.now(UTC)

    def send(_):
        points.clear()  # each call as if on its own instance
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
    monkeypatch.setattr(activities, "utcnow", lambda: datetime(2026, 6, 1, tzinfo=UTC))
    at = datetime(2026, 5, 1, tzinfo=UTC)
    results = _parallel(lambda i: record(program, purchase(f"UP-{i}", 100, at))[0],
                        range(12), workers=12)
    assert all(r.outcome == "RECORDED" for r in results), [r.error for r in results]
    assert sum(r.upgraded_to == "silver" for r in results) == 1
    changes = store.tier_changes(program, "alice")
    assert [(c["tier"], c["period"]) for c in changes] == [("silver", "2026")]
    assert (store.get_member(program, "alice") or {})["tier"] == "silver"

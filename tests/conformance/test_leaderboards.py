"""Leaderboards on DynamoDB Local: the shared scenarios, and a company's count under
parallel completions (no read, no condition: every completion counts once)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.quests import Step
from tests.scenarios.leaderboard_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.leaderboard_scenarios import (
    T0,
    board,
    live,
    loyal_program,
    new_range,
    order,
    record,
    staffed,
)


def test_parallel_completions_by_one_companys_staff_each_count_once(now):
    program = loyal_program(ladder=None)
    staff = tuple(f"staff-{i:02d}" for i in range(16))
    staffed(program, acme=staff)
    live(program, new_range(steps=(Step("orders", "Order once", "PURCHASE",
                                        tags=("new-range",), target_count=1),)))
    sends = [order(f"{m}-1", T0, m) for m in staff] * 2  # and every one sent twice
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda a: record(program, a)[0], sends))
    assert sorted(r.outcome for r in results).count("RECORDED") == 16, \
        [r.error for r in results if r.error]
    assert board(program, quest="new-range", of="COMPANIES") == [(1, "acme", 16)]
    assert [row[2] for row in board(program, quest="new-range", first=20)] == [1000] * 16

"""Quests on DynamoDB Local: the shared scenarios, and completion under parallel activity."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.scenarios.points_scenarios import loyal_program, record
from tests.scenarios.quest_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.quest_scenarios import (
    T0,
    badges,
    balance,
    live,
    new_range,
    order,
    progress,
    training,
)


def test_the_last_two_steps_in_parallel_with_duplicates_reward_exactly_once(now):
    program = loyal_program(ladder=None)
    live(program, new_range())
    record(program, order("O-1", T0), order("O-2", T0))
    sends = [order("O-3", T0), training("T-1", T0), order("O-4", T0)] * 6  # resends too
    with ThreadPoolExecutor(max_workers=18) as pool:
        results = list(pool.map(lambda a: record(program, a)[0], sends))
    assert all(r.outcome in ("RECORDED", "DUPLICATE") for r in results), \
        [r.error for r in results]
    assert sorted(r.outcome for r in results).count("RECORDED") == 3
    assert progress(program)["status"] == "COMPLETED"
    assert badges(program) == ["pioneer"]
    assert balance(program) == 4 * 10 + 500  # four orders at 1 point a euro, one reward
    completing = [r for r in results if r.outcome == "RECORDED" and r.points > 10]
    assert len(completing) == 1 and completing[0].points in (500, 510)

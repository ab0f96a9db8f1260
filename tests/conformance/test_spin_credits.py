"""Spin credits on DynamoDB Local: the shared scenarios, and parallel spins on 3 credits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.errors import DomainError
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.services.campaigns import spins
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments, rewards
from tests.scenarios.points_scenarios import loyal_program
from tests.scenarios.spin_credit_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.spin_credit_scenarios import bonus_wheel, credits
from tests.support import admin, key, member


def test_12_parallel_spins_on_3_credits_make_exactly_3():
    program = loyal_program(ladder=None)
    bonus_wheel(program)
    loyalty_definitions.upsert_reward(program, Reward(
        "three", "Three spins", 10, RewardKind.SPIN_CREDITS, campaign_id="bonus", credits=3))
    adjustments.adjust(admin(program), "alice", 10, "welcome", "adj-welcome-01")
    rewards.redeem(member(program), "three", key())

    def spin(_):
        try:
            return spins.play(member(program), "bonus", key()).outcome
        except DomainError as refusal:
            return refusal.code.value

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(spin, range(12)))
    assert sorted(outcomes) == ["NO_PRIZE"] * 3 + ["NO_SPIN_CREDITS"] * 9, outcomes
    assert credits(program) == [{"campaignId": "bonus", "left": 0}]

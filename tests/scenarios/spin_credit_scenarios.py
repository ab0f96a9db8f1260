"""Spin credits: granted by rewards and quests, each spin of a credit campaign takes one."""

from __future__ import annotations

from dataclasses import replace

from kado.domain.errors import ErrorCode
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.domain.quests import QuestReward, Step
from kado.handlers import member_api
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments, rewards
from tests import support
from tests.scenarios.points_scenarios import loyal_program, record
from tests.scenarios.quest_scenarios import T0, live, new_range, training
from tests.scenarios.voucher_scenarios import refused
from tests.support import admin, key, member


def bonus_wheel(program: str) -> None:
    wheel = replace(support.campaign("bonus", prizes=support.sure_loss()), requires_credit=True)
    campaigns.upsert(program, wheel)
    campaigns.launch(program, "bonus")


def credits(program: str, member_id: str = "alice") -> list[dict]:
    return support.execute(member_api.schema, "{ spinCredits { campaignId left } }",
                           member(program, member_id))["spinCredits"]


def test_a_credit_campaign_refuses_a_member_without_credits():
    program = loyal_program(ladder=None)
    bonus_wheel(program)
    refused(ErrorCode.NO_SPIN_CREDITS, lambda: spins.play(member(program), "bonus", key()))
    assert campaigns.stats(program, campaigns.get(program, "bonus")).spins == 0


def test_a_spin_credits_reward_grants_once_and_each_spin_takes_one():
    program = loyal_program(ladder=None)
    bonus_wheel(program)
    loyalty_definitions.upsert_reward(program, Reward(
        "two-spins", "Two bonus spins", 100, RewardKind.SPIN_CREDITS, campaign_id="bonus",
        credits=2))
    adjustments.adjust(admin(program), "alice", 150, "welcome", "adj-welcome-01")
    idem = key()
    rewards.redeem(member(program), "two-spins", idem)
    rewards.redeem(member(program), "two-spins", idem)  # a retry: nothing more
    assert credits(program) == [{"campaignId": "bonus", "left": 2}]
    for _ in range(2):
        assert spins.play(member(program), "bonus", key()).outcome == "NO_PRIZE"
    refused(ErrorCode.NO_SPIN_CREDITS, lambda: spins.play(member(program), "bonus", key()))
    assert credits(program) == [{"campaignId": "bonus", "left": 0}]


def test_a_spin_credits_reward_must_name_its_campaign():
    program = loyal_program(ladder=None)
    refused(ErrorCode.INVALID_INPUT, lambda: loyalty_definitions.upsert_reward(
        program, Reward("odd", "Odd", 10, RewardKind.SPIN_CREDITS)))


def test_a_quest_rewards_spin_credits_once():
    program = loyal_program(ladder=None)
    bonus_wheel(program)
    live(program, new_range(steps=(Step("training", "Training", "TRAINING_COMPLETED",
                                        target_count=1),),
                            reward=QuestReward(spin_campaign_id="bonus", spin_credits=3)))
    record(program, training("T-1", T0), training("T-2", T0))
    assert credits(program) == [{"campaignId": "bonus", "left": 3}]

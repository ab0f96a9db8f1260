"""Surveys on DynamoDB Local: the shared scenarios, and 30 parallel submissions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.errors import DomainError
from kado.services import surveys
from tests.scenarios.points_scenarios import loyal_program
from tests.scenarios.survey_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.survey_scenarios import GOOD, balance, dealer_survey
from tests.support import key, member


def test_30_parallel_submissions_by_one_member_reward_once(clock):
    program = loyal_program(ladder=None)
    surveys.upsert(program, dealer_survey())
    keys = [key() for _ in range(30)]

    def submit(idem):
        try:
            return surveys.submit(member(program), "dealer-2026", GOOD, idem).reward_points
        except DomainError as refusal:
            return refusal.code.value

    with ThreadPoolExecutor(max_workers=30) as pool:
        outcomes = list(pool.map(submit, keys))
    assert outcomes.count(75) == 1, outcomes
    assert set(outcomes) - {75} <= {"ALREADY_SUBMITTED"}
    assert balance(program) == 50 + 75

"""Referrals on DynamoDB Local: the shared scenarios, and parallel registrations."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.errors import DomainError
from kado.services import members as member_service
from kado.services import referrals
from tests import support
from tests.scenarios.referral_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.referral_scenarios import referral_program, register


def test_parallel_registrations_of_one_company_make_one_referral(clock):
    program, _ = referral_program()
    advocates = [f"adv-{i}" for i in range(12)]
    support.accounts(program, *(f"firm-{i}" for i in range(12)))
    for i, who in enumerate(advocates):
        member_service.upsert_member(program, who, f"firm-{i}", "STANDARD")
    codes = [referrals.code_of(program, who) for who in advocates]

    def attempt(code):
        try:
            return register(program, code).advocate_id
        except DomainError as refusal:
            return refusal.code.value

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(attempt, codes))
    winners = [o for o in outcomes if o in advocates]
    assert len(winners) == 1 and outcomes.count("ALREADY_REFERRED") == 11, outcomes
    [only] = referrals.every(program)
    assert only.advocate_id == winners[0]

"""Company-to-company referrals: registration rules, qualification, the hold, rewards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kado.domain.activities import Activity, Money
from kado.domain.errors import ErrorCode
from kado.domain.referrals import ReferralTerms
from kado.services import members as member_service
from kado.services import referrals
from kado.services.kernel import loyalty_definitions
from kado.store import ledger as store
from tests import support
from tests.scenarios.points_scenarios import (  # noqa: F401 - autouse: a new instance each
    fresh_instance,
    loyal_program,
    record,
)
from tests.scenarios.voucher_scenarios import refused
from tests.support import admin

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
TERMS = ReferralTerms(min_purchase=50_000, within_days=30, hold_days=14, advocate_points=400,
                      referred_points=100, cap_per_month=2)


@pytest.fixture
def clock(monkeypatch):
    return support.test_clock(monkeypatch, NOW)


def referral_program() -> tuple[str, str]:
    """A program with referrals; alice of acme is the advocate. Returns it and her code."""
    program = loyal_program(ladder=None)
    loyalty_definitions.upsert_referral_terms(program, TERMS)
    member_service.upsert_account(program, "acme", "Acme", member_service.GiftPolicy.ACCEPTS)
    member_service.upsert_member(program, "alice", "acme", "STANDARD")
    member_service.upsert_member(program, "adam", "acme", "STANDARD")
    return program, referrals.code_of(program, "alice")


def register(program: str, code: str, account: str = "globex", member: str = "gina"):
    return referrals.register(admin(program), code, account, member)


def buy(external_id: str, euros: int, at: datetime, member: str = "gina",
        account: str = "globex") -> Activity:
    return Activity(external_id, member, "PURCHASE", at, account_id=account,
                    amount=Money(euros * 100, "EUR"))


def balance(program: str, member_id: str) -> int:
    return store.wallet_of(store.get_member(program, member_id) or {}).balance


def test_the_code_is_stable_and_names_its_member(clock):
    program, code = referral_program()
    assert referrals.code_of(program, "alice") == code and len(code) == 10
    assert referrals.code_of(program, "adam") != code


def test_registration_refuses_self_referral_old_customers_second_referrals_and_past_the_cap(
        clock):
    program, code = referral_program()
    refused(ErrorCode.SELF_REFERRAL, lambda: register(program, code, "acme", "adam"))
    refused(ErrorCode.SELF_REFERRAL, lambda: register(program, code, "newco", "adam"))
    member_service.upsert_account(program, "old-co", "Old", member_service.GiftPolicy.ACCEPTS)
    refused(ErrorCode.NOT_NEW, lambda: register(program, code, "old-co", "oscar"))
    refused(ErrorCode.NOT_FOUND, lambda: register(program, "NOSUCHCODE"))
    assert register(program, code).status.value == "PENDING"
    refused(ErrorCode.ALREADY_REFERRED, lambda: register(program, code))
    register(program, code, "initech", "ian")
    refused(ErrorCode.REFERRAL_CAP_REACHED, lambda: register(program, code, "umbrella", "uma"))


def test_a_qualifying_purchase_rewards_the_referred_now_and_the_advocate_after_the_hold(clock):
    program, code = referral_program()
    register(program, code)
    clock["at"] = NOW + timedelta(days=1)
    record(program, buy("G-1", 100, clock["at"]))  # below the minimum
    assert referrals.every(program, NOW)[0].status.value == "PENDING"
    clock["at"] = NOW + timedelta(days=2)
    record(program, buy("G-2", 600, NOW + timedelta(days=2)))
    found = referrals.every(program, clock["at"])[0]
    assert (found.status.value, balance(program, "gina")) == ("QUALIFIED", 100 + 600 + 100)
    assert referrals.settle(program, NOW + timedelta(days=15)) == 0  # still on hold
    assert referrals.settle(program, NOW + timedelta(days=16)) == 1
    assert referrals.settle(program, NOW + timedelta(days=17)) == 0  # paid once
    assert balance(program, "alice") == 400
    assert referrals.advocate_referrals(program, "alice")[0].status.value == "REWARDED"


def test_a_return_within_the_hold_rejects_and_no_purchase_in_time_expires(clock):
    program, code = referral_program()
    register(program, code)
    register(program, code, "initech", "ian")
    clock["at"] = NOW + timedelta(days=3)
    record(program, buy("G-1", 600, clock["at"]))
    record(program, Activity("G-R", "gina", "RETURN", clock["at"], account_id="globex",
                             amount=Money(30_000, "EUR"), returns="G-1"))
    by_account = {r.referred_account_id: r for r in referrals.every(program, clock["at"])}
    assert (by_account["globex"].status.value, by_account["globex"].reason) == (
        "REJECTED", "the qualifying purchase was returned")
    later = NOW + timedelta(days=30)
    assert {r.referred_account_id: r.status.value
            for r in referrals.every(program, later)}["initech"] == "EXPIRED"
    assert referrals.settle(program, later) == 1  # written back once
    assert referrals.settle(program, later + timedelta(days=20)) == 0
    assert balance(program, "alice") == 0

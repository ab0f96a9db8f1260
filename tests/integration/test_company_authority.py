"""The record decides the company: a member token's `account` claim, spoofed or missing,
changes nothing a member may spend, join, see or count toward (through the member API's
Lambda handler, as an app would call it)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kado.domain.campaigns.rules import Eligibility
from kado.domain.events.rules import EventEligibility, EventStatus
from kado.domain.loyalty.earning import EarningRule
from kado.domain.quests import Enrollment, QuestEligibility, QuestStatus
from kado.handlers import member_api
from kado.local.apigw import LambdaContext, event
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.events import definitions as events
from kado.services.events import registrations
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments
from kado.services.quests import definitions as quests
from tests import support
from tests.scenarios.event_scenarios import DURING, dealer_night
from tests.scenarios.points_scenarios import (  # noqa: F401 - autouse: a new instance each
    company_balance,
    fresh_instance,
    purchase,
    record,
    stocked,
)
from tests.scenarios.quest_scenarios import new_range
from tests.support import new_program


def call(query: str, claims: dict[str, str], variables: dict | None = None) -> dict:
    response = member_api.handler(event("/member/graphql", {"query": query,
                                                            "variables": variables}, claims),
                                  LambdaContext())
    body = json.loads(response["body"])
    assert "errors" not in body, body
    return body["data"]


def token(program: str, member_id: str, claim: str | None) -> dict[str, str]:
    claims = {"sub": member_id, "program": program}
    return {**claims, "account": claim} if claim else claims


def on_file(program: str, member_id: str, account: str | None) -> None:
    if account:
        support.accounts(program, account)
    members.upsert_member(program, member_id, account, "STANDARD")


REDEEM = """mutation($i: RedeemRewardInput!) { redeemReward(input: $i) {
  redemption { balanceAfter } errors { code } } }"""


@pytest.mark.parametrize("claim", ["rich", None])
def test_a_company_wallet_pays_only_for_its_own_staff(claim):
    program = support.new_program()
    loyalty_definitions.upsert_rule(program, EarningRule("per-euro", "Per euro", "PURCHASE",
                                                         points_per_unit=1))
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        wallet=loyalty_definitions.WalletMode.ACCOUNT))
    on_file(program, "mallory", "poor")
    on_file(program, "rita", "rich")
    record(program, purchase("R-1", 1000, datetime.now(UTC), member="rita", account_id="rich"))
    stocked(program, cost=100)
    for i in range(3):
        data = call(REDEEM, token(program, "mallory", claim),
                    {"i": {"rewardId": "mug", "idempotencyKey": f"mallory-spend-{i:04d}"}})
        assert data["redeemReward"]["errors"] == [{"code": "INSUFFICIENT_POINTS"}]
    assert sum(company_balance(program, "rich")) == 1000
    me = call("{ me { accountId companyPoints { balance } } }",
              token(program, "mallory", claim))["me"]
    assert me == {"accountId": "poor", "companyPoints": {"balance": 0}}


REGISTER = """mutation($i: RegisterInput!) { registerForEvent(input: $i) {
  registration { status } errors { code } } }"""


@pytest.fixture
def during(monkeypatch):
    support.test_clock(monkeypatch, DURING)


def register(program: str, member_id: str, claim: str | None) -> dict:
    return call(REGISTER, token(program, member_id, claim),
                {"i": {"eventId": "dealer-night",
                       "idempotencyKey": f"reg-{member_id}-0001"}})["registerForEvent"]


def test_a_company_limit_counts_members_whose_token_names_no_company(during):
    program = new_program()
    events.upsert(program, dealer_night(capacity=10, per_account_limit=2))
    events.move(program, "dealer-night", EventStatus.PUBLISHED)
    for who in ("a1", "a2", "a3"):
        on_file(program, who, "acme2")
    assert register(program, "a1", None)["errors"] == []
    assert register(program, "a2", "elsewhere")["errors"] == []
    assert register(program, "a3", None)["errors"] == [{"code": "ACCOUNT_LIMIT_REACHED"}]


def test_a_company_event_is_closed_to_a_member_whose_token_claims_that_company(during):
    program = new_program()
    support.accounts(program, "vip")
    events.upsert(program, dealer_night(eligibility=EventEligibility(account_ids=("vip",))))
    events.move(program, "dealer-night", EventStatus.PUBLISHED)
    on_file(program, "outsider", "other")
    on_file(program, "insider", "vip")
    assert register(program, "outsider", "vip")["errors"] == [{"code": "NOT_ELIGIBLE"}]
    assert register(program, "insider", None)["errors"] == []


QUESTS = "{ quests { id } }"
JOIN = """mutation($i: JoinQuestInput!) { joinQuest(input: $i) { errors { code } } }"""


def test_a_company_quest_follows_the_record_not_the_token():
    program = new_program()
    support.accounts(program, "vip")
    quests.upsert(program, replace(new_range(), eligibility=QuestEligibility(
        account_ids=("vip",)), enrollment=Enrollment.OPT_IN))
    quests.move(program, "new-range", QuestStatus.LIVE)
    on_file(program, "insider", "vip")
    on_file(program, "outsider", "other")
    assert call(QUESTS, token(program, "insider", None))["quests"] == [{"id": "new-range"}]
    assert call(QUESTS, token(program, "outsider", "vip"))["quests"] == []
    join = {"i": {"questId": "new-range", "idempotencyKey": "join-key-0001"}}
    assert call(JOIN, token(program, "outsider", "vip"), join)["joinQuest"]["errors"] == [
        {"code": "NOT_ELIGIBLE"}]
    assert call(JOIN, token(program, "insider", None), join)["joinQuest"]["errors"] == []


def test_a_first_call_never_makes_the_claim_a_company():
    program = new_program()
    support.accounts(program, "acme")
    me = call("{ me { id accountId } }", token(program, "newcomer", "acme"))["me"]
    assert me == {"id": "newcomer", "accountId": None}
    assert members.get_member(program, "newcomer").account_id is None


SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { outcome } errors { code } } }"""
CAMPAIGNS = "{ campaigns { nodes { id } } }"


@pytest.mark.parametrize("claim", ["acme", None])
def test_campaign_eligibility_and_a_paid_spin_follow_the_record(claim):
    program = new_program()
    support.accounts(program, "acme")
    campaigns.upsert(program, replace(support.campaign(
        "acme-wheel", prizes=support.sure_loss(),
        eligibility=Eligibility(account_ids=("acme",))), cost_points=10))
    campaigns.launch(program, "acme-wheel")
    on_file(program, "outsider", "globex")
    on_file(program, "insider", "acme")
    for who in ("outsider", "insider"):
        adjustments.adjust(support.admin(program), who, 50, "welcome", f"welcome-{who}-01")
    spin = {"i": {"campaignId": "acme-wheel", "idempotencyKey": "spin-key-0001"}}
    outsider = token(program, "outsider", claim)
    assert call(CAMPAIGNS, outsider)["campaigns"]["nodes"] == []
    assert call(SPIN, outsider, spin)["spin"]["errors"] == [{"code": "NOT_ELIGIBLE"}]
    assert call("{ me { points { balance } } }", outsider)["me"]["points"]["balance"] == 50
    insider = token(program, "insider", None if claim else "globex")
    assert call(CAMPAIGNS, insider)["campaigns"]["nodes"] == [{"id": "acme-wheel"}]
    assert call(SPIN, insider, spin)["spin"] == {"spin": {"outcome": "NO_PRIZE"},
                                                 "errors": []}
    assert call("{ me { points { balance } } }", insider)["me"]["points"]["balance"] == 40


def company_wallet_program(balance: int) -> str:
    program = new_program()
    loyalty_definitions.upsert_rule(program, EarningRule("per-euro", "Per euro", "PURCHASE",
                                                         points_per_unit=1))
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        wallet=loyalty_definitions.WalletMode.ACCOUNT))
    on_file(program, "ann", "acme")
    record(program, purchase("CW-1", balance, DURING, member="ann", account_id="acme"))
    return program


def test_a_paid_event_is_paid_from_the_company_wallet_and_refunded_to_it(during):
    program = company_wallet_program(500)
    events.upsert(program, dealer_night(cost_points=200))
    events.move(program, "dealer-night", EventStatus.PUBLISHED)
    assert register(program, "ann", None) == {"registration": {"status": "CONFIRMED"},
                                              "errors": []}
    assert sum(company_balance(program)) == 300
    assert register(program, "ann", None)["errors"] == []  # the retry: paid once
    assert sum(company_balance(program)) == 300
    registrations.cancel(support.member(program, "ann"), "dealer-night")
    assert sum(company_balance(program)) == 500


def test_members_never_see_who_an_event_is_restricted_to(during):
    from kado.handlers import admin_api

    program = new_program()
    support.accounts(program, "vip")
    events.upsert(program, dealer_night(eligibility=EventEligibility(
        account_ids=("vip",), member_ids=("ann", "bob"))))
    events.move(program, "dealer-night", EventStatus.PUBLISHED)
    query = '{ event(id: "dealer-night") { id eligibility { accountIds memberIds } } }'
    assert call(query, token(program, "ann", None))["event"] == {
        "id": "dealer-night", "eligibility": None}
    response = admin_api.handler(event("/admin/graphql", {"query": query},
                                       {"sub": "m", "program": program, "role": "admin"}),
                                 LambdaContext())
    assert json.loads(response["body"])["data"]["event"]["eligibility"] == {
        "accountIds": ["vip"], "memberIds": ["ann", "bob"]}


def test_an_instance_that_saw_the_old_company_judges_on_the_record():
    """This instance remembers ann in globex; the program moves her to acme. Her spin on an
    acme-only campaign and her next purchase follow the record, not that memory."""
    program = company_wallet_program(0)
    support.accounts(program, "globex")
    campaigns.upsert(program, support.campaign(
        "acme-wheel", prizes=support.sure_loss(), eligibility=Eligibility(account_ids=("acme",))))
    campaigns.launch(program, "acme-wheel")
    on_file(program, "ann", "globex")
    members.me(support.member(program, "ann"))  # remembered here: globex
    on_file(program, "ann", "acme")  # moved, as another instance would
    spin = {"i": {"campaignId": "acme-wheel", "idempotencyKey": "moved-spin-0001"}}
    assert call(SPIN, token(program, "ann", None), spin)["spin"]["errors"] == []
    record(program, purchase("CW-2", 40, datetime.now(UTC), member="ann"))
    assert sum(company_balance(program, "acme")) == 40
    assert sum(company_balance(program, "globex")) == 0

"""Points and tiers through the Lambda handlers: what partner back ends and apps call."""

from __future__ import annotations

from datetime import UTC, datetime

from kado.handlers import admin_api, member_api
from tests.integration.test_handlers import call
from tests.support import new_program

# The partner's members come from its feed: their first activity enrols them.
ENROL = """mutation { upsertLoyaltySettings(input: {unknownMembers: ENROL}) {
  errors { code } } }"""
RULE = """mutation { upsertEarningRule(input: {id: "per-euro", name: "Per euro",
  activityType: "PURCHASE", pointsPerUnit: 2}) { ruleId errors { code field } } }"""
LADDER = """mutation { upsertTierLadder(input: {metric: POINTS_EARNED, window: CALENDAR_YEAR,
  timezone: "Europe/Vienna", tiers: [{id: "blue", name: "Blue", threshold: 0},
  {id: "silver", name: "Silver", threshold: 100, pointsMultiplier: 150}]}) {
  version errors { code field message } } }"""
REWARD = """mutation { upsertReward(input: {id: "mug", name: "Mug", costPoints: 50, kind: ITEM,
  stock: 3}) { rewardId errors { code } } }"""
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { externalId outcome points balanceAfter upgradedTo errors { code field } }
  errors { code } } }"""
ME = """{ me { tier points { balance lifetimeEarned }
  tierProgress { metric period value nextTier needed } }
  pointsLedger(first: 5) { nodes { seq delta balanceAfter source sourceRef } }
  rewards { id costPoints } }"""
REDEEM = """mutation($i: RedeemRewardInput!) { redeemReward(input: $i) {
  redemption { rewardId balanceAfter } errors { code } } }"""


def test_a_partner_records_activity_and_the_member_sees_and_spends_it():
    program = new_program()
    admin = {"sub": "erp", "program": program, "role": "admin"}
    for mutation in (RULE, LADDER, REWARD, ENROL):
        _, body = call(admin_api, "/admin/graphql", mutation, admin)
        payload = next(iter(body["data"].values()))
        assert payload["errors"] == [], payload
    now = datetime.now(UTC).isoformat()
    activities = [
        {"externalId": "INV-100", "memberId": "alice", "type": "PURCHASE", "occurredAt": now,
         "amount": {"value": 6000, "currency": "EUR"}, "tags": ["online"]},
        {"externalId": "INV-100", "memberId": "alice", "type": "PURCHASE", "occurredAt": now,
         "amount": {"value": 9999, "currency": "EUR"}},
        {"externalId": "bad id!", "memberId": "alice", "type": "PURCHASE", "occurredAt": now},
    ]
    _, body = call(admin_api, "/admin/graphql", RECORD, admin, {"i": {"activities": activities}})
    results = body["data"]["recordActivities"]["results"]
    assert [(r["outcome"], r["points"], r["upgradedTo"]) for r in results] == [
        ("RECORDED", 120, "silver"), ("CONFLICT", 120, None), (None, 0, None)]
    assert results[2]["errors"] == [{"code": "INVALID_INPUT", "field": "activities[2].externalId"}]

    alice = {"sub": "alice", "program": program}
    _, body = call(member_api, "/member/graphql", ME, alice)
    me = body["data"]["me"]
    assert me["tier"] == "silver" and me["points"] == {"balance": 120, "lifetimeEarned": 120}
    assert me["tierProgress"]["value"] == 120 and me["tierProgress"]["nextTier"] is None
    assert body["data"]["pointsLedger"]["nodes"] == [
        {"seq": 1, "delta": 120, "balanceAfter": 120, "source": "ACTIVITY",
         "sourceRef": "INV-100"}]
    assert body["data"]["rewards"] == [{"id": "mug", "costPoints": 50}]
    spend = {"i": {"rewardId": "mug", "idempotencyKey": "app-spend-0001"}}
    _, body = call(member_api, "/member/graphql", REDEEM, alice, spend)
    assert body["data"]["redeemReward"] == {
        "redemption": {"rewardId": "mug", "balanceAfter": 70}, "errors": []}


def test_with_company_wallets_the_app_shows_the_company_balance():
    program = new_program()
    admin = {"sub": "erp", "program": program, "role": "admin"}
    for mutation in (RULE, """mutation { upsertLoyaltySettings(input: {wallet: ACCOUNT,
                     unknownMembers: ENROL}) { errors { code } } }"""):
        _, body = call(admin_api, "/admin/graphql", mutation, admin)
        assert next(iter(body["data"].values()))["errors"] == []
    activity = {"externalId": "CO-1", "memberId": "alice", "accountId": "acme",
                "type": "PURCHASE", "occurredAt": datetime.now(UTC).isoformat(),
                "amount": {"value": 5000, "currency": "EUR"}}
    call(admin_api, "/admin/graphql", RECORD, admin, {"i": {"activities": [activity]}})
    bob = {"sub": "bob", "program": program}
    _, body = call(member_api, "/member/graphql", "{ me { companyPoints { balance } } }",
                   {**bob, "account": "acme"})
    assert body["data"]["me"] == {"companyPoints": None}  # a claim is not a company
    _, body = call(admin_api, "/admin/graphql", 'mutation { upsertAccount(input: {id: "acme", '
                   'name: "Acme"}) { errors { code } } upsertMember(input: {id: "bob", '
                   'accountId: "acme"}) { errors { code } } }', admin)
    assert body["data"] == {"upsertAccount": {"errors": []}, "upsertMember": {"errors": []}}
    _, body = call(member_api, "/member/graphql",
                   "{ me { points { balance } companyPoints { balance lifetimeEarned } } }", bob)
    assert body["data"]["me"] == {"points": {"balance": 0},
                                  "companyPoints": {"balance": 100, "lifetimeEarned": 100}}
    _, body = call(admin_api, "/admin/graphql",
                   '{ companyPoints(accountId: "acme") { balance } }', admin)
    assert body["data"]["companyPoints"] == {"balance": 100}

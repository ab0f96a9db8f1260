"""A member moved to another company (upsertMember, in one instance) is counted under the
new company by another instance on its very next request, whatever it cached: the company
wallet that pays, and the company a campaign admits."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.bundle.test_bundle import ADMIN, CAMPAIGN, LAUNCH, SPIN, call
from tests.support import campaign_input, new_program

SETUP = """mutation {
  upsertEarningRule(input: {id: "per-euro", name: "Per euro", activityType: "PURCHASE",
    pointsPerUnit: 1}) { errors { code } }
  upsertLoyaltySettings(input: {wallet: ACCOUNT, unknownMembers: ENROL}) { errors { code } }
  upsertReward(input: {id: "mug", name: "Mug", costPoints: 100, kind: ITEM}) { errors { code } }
  acme: upsertAccount(input: {id: "acme", name: "Acme"}) { errors { code } }
  globex: upsertAccount(input: {id: "globex", name: "Globex"}) { errors { code } }
  ann: upsertMember(input: {id: "ann", accountId: "acme"}) { errors { code } }
}"""
MOVE = 'mutation { upsertMember(input: {id: "ann", accountId: "globex"}) { errors { code } } }'
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { outcome errors { code } } errors { code } } }"""
REDEEM = """mutation($k: String!) { redeemReward(input: {rewardId: "mug", idempotencyKey: $k}) {
  redemption { rewardId } errors { code } } }"""
COMPANY = '{ companyPoints(accountId: "%s") { balance } }'


def test_a_moved_member_spends_and_plays_as_the_new_company_in_every_instance(instance):
    program = new_program()
    erp = {"sub": "erp", "program": program, "role": "admin"}
    console = instance("AdminApiFunction")
    made = call(console, ADMIN, erp, SETUP)
    assert all(payload["errors"] == [] for payload in made.values()), made
    for account, euros in (("acme", 500), ("globex", 300)):
        activity = {"externalId": f"seed-{account}", "memberId": f"buyer-{account}",
                    "accountId": account, "type": "PURCHASE",
                    "occurredAt": datetime.now(UTC).isoformat(),
                    "amount": {"value": euros * 100, "currency": "EUR"}}
        assert call(console, ADMIN, erp, RECORD, {"i": {"activities": [activity]}})[
            "recordActivities"]["results"] == [{"outcome": "RECORDED", "errors": []}]
    wheel = {**campaign_input("acme-wheel", [{"id": "none", "name": "No luck",
                                              "kind": "NONE", "weight": 1}]),
             "eligibility": {"accountIds": ["acme"]}}
    assert call(console, ADMIN, erp, CAMPAIGN, {"i": wheel})["upsertCampaign"]["errors"] == []
    assert call(console, ADMIN, erp, LAUNCH, {"id": "acme-wheel"})["launchCampaign"][
        "errors"] == []

    app = instance("MemberApiFunction", KADO_CAMPAIGN_CACHE_SECONDS="600")
    ann = {"sub": "ann", "program": program, "account": "acme"}  # a claim that goes stale
    assert call(app, "/member/graphql", ann, REDEEM, {"k": "ann-mug-0001"})[
        "redeemReward"]["errors"] == []
    assert call(app, "/member/graphql", ann, SPIN, {"i": {
        "campaignId": "acme-wheel", "idempotencyKey": "ann-spin-0001"}})["spin"]["errors"] == []
    assert call(console, ADMIN, erp, MOVE)["upsertMember"]["errors"] == []

    assert call(app, "/member/graphql", ann, REDEEM, {"k": "ann-mug-0002"})[
        "redeemReward"]["errors"] == []
    balances = {a: call(console, ADMIN, erp, COMPANY % a)["companyPoints"]["balance"]
                for a in ("acme", "globex")}
    assert balances == {"acme": 400, "globex": 200}  # one mug each, the second globex's
    assert call(app, "/member/graphql", ann, SPIN, {"i": {
        "campaignId": "acme-wheel", "idempotencyKey": "ann-spin-0002"}})["spin"]["errors"] == [
        {"code": "NOT_ELIGIBLE"}]

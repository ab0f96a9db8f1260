"""A company's tier holds across Lambda instances, each with its own caches: members take
the tier another instance's activity made, and an instance that cached the old tier earns
at the new multiplier on its next activity."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.bundle.test_bundle import ADMIN, CAMPAIGN, LAUNCH, SPIN, call
from tests.support import campaign_input, new_program

SETUP = """mutation {
  upsertEarningRule(input: {id: "per-euro", name: "Per euro", activityType: "PURCHASE",
    pointsPerUnit: 1}) { errors { code } }
  upsertTierLadder(input: {metric: POINTS_EARNED, window: CALENDAR_YEAR,
    timezone: "Europe/Vienna", level: ACCOUNT, tiers: [
      {id: "blue", name: "Blue", threshold: 0},
      {id: "silver", name: "Silver", threshold: 500, pointsMultiplier: 125},
      {id: "gold", name: "Gold", threshold: 2000, pointsMultiplier: 150}]}) { errors { code } }
  upsertAccount(input: {id: "acme", name: "Acme"}) { errors { code } }
  alice: upsertMember(input: {id: "alice", accountId: "acme", tier: "blue"}) { errors { code } }
  bob: upsertMember(input: {id: "bob", accountId: "acme", tier: "blue"}) { errors { code } }
}"""
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { outcome points upgradedTo errors { code } } errors { code } } }"""
COMPANY = """{ companyStanding(accountId: "acme") { tier tierChanges { nodes { tier } } } }"""


def _buy(instance, claims, external_id, member_id, euros):
    activity = {"externalId": external_id, "memberId": member_id, "type": "PURCHASE",
                "occurredAt": datetime.now(UTC).isoformat(),
                "amount": {"value": euros * 100, "currency": "EUR"}}
    [result] = call(instance, ADMIN, claims, RECORD,
                    {"i": {"activities": [activity]}})["recordActivities"]["results"]
    assert result["errors"] == [] and result["outcome"] == "RECORDED", result
    return result


def test_a_company_tier_made_in_one_instance_holds_in_the_others(instance):
    program = new_program()
    claims = {"sub": "erp", "program": program, "role": "admin"}
    long_cache = {"KADO_CAMPAIGN_CACHE_SECONDS": "600"}
    first = instance("AdminApiFunction", **long_cache)
    second = instance("AdminApiFunction", **long_cache)
    setup = call(first, ADMIN, claims, SETUP)
    assert all(payload["errors"] == [] for payload in setup.values()), setup
    wheel = {**campaign_input("gold-wheel", [{"id": "none", "name": "No luck", "kind": "NONE",
                                              "weight": 1}]), "eligibility": {"tiers": ["gold"]}}
    assert call(first, ADMIN, claims, CAMPAIGN, {"i": wheel})["upsertCampaign"]["errors"] == []
    assert call(first, ADMIN, claims, LAUNCH, {"id": "gold-wheel"})["launchCampaign"][
        "campaign"]["status"] == "LIVE"

    member = instance("MemberApiFunction", **long_cache)
    alice = {"sub": "alice", "program": program, "account": "acme"}

    def spin(key):
        return call(member, "/member/graphql", alice, SPIN,
                    {"i": {"campaignId": "gold-wheel", "idempotencyKey": key}})["spin"]

    assert spin("company-spin-01")["errors"] == [{"code": "NOT_ELIGIBLE"}]  # caches warm
    assert _buy(first, claims, "ERP-1", "alice", 600)["upgradedTo"] == "silver"
    assert _buy(first, claims, "ERP-1B", "alice", 100)["points"] == 125  # caches silver
    # The second instance reads the company afresh and makes the crossing to gold.
    assert _buy(second, claims, "ERP-2", "bob", 1500)["upgradedTo"] == "gold"
    # The first still caches silver: its plan pins the tier, is refused, plans at gold.
    assert _buy(first, claims, "ERP-3", "alice", 100)["points"] == 150
    # The member instance, with a 600 s cache, plays on the tier the others made.
    played = spin("company-spin-02")
    assert played["errors"] == [] and played["spin"]["outcome"] == "NO_PRIZE"
    company = call(second, ADMIN, claims, COMPANY)["companyStanding"]
    assert company["tier"] == "gold"
    assert sorted(c["tier"] for c in company["tierChanges"]["nodes"]) == ["gold", "silver"]

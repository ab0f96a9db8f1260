"""A retailer moved to another distributor (in one instance) is counted under the new one by
another instance on its very next activity, whatever that instance cached of the tree:
a ladder that counts subtrees credits the distributor the retailer is under when the
activity commits."""

from __future__ import annotations

from tests.bundle.test_bundle import ADMIN, call
from tests.bundle.test_company_tier_across_instances import _buy
from tests.support import new_program

SETUP = """mutation {
  upsertEarningRule(input: {id: "per-euro", name: "Per euro", activityType: "PURCHASE",
    pointsPerUnit: 1}) { errors { code } }
  upsertTierLadder(input: {metric: POINTS_EARNED, window: CALENDAR_YEAR,
    timezone: "Asia/Ho_Chi_Minh", level: ACCOUNT, counts: SUBTREE, tiers: [
      {id: "blue", name: "Blue", threshold: 0},
      {id: "silver", name: "Silver", threshold: 500}]}) { errors { code } }
  north: upsertAccount(input: {id: "north", name: "North", parentId: null}) { errors { code } }
  south: upsertAccount(input: {id: "south", name: "South", parentId: null}) { errors { code } }
  shop: upsertAccount(input: {id: "shop", name: "Shop", parentId: "north"}) { errors { code } }
  ann: upsertMember(input: {id: "ann", accountId: "shop", tier: "blue"}) { errors { code } }
}"""
MOVE = """mutation { upsertAccount(input: {id: "shop", name: "Shop", parentId: "south"}) {
  errors { code } } }"""
PROGRESS = '{ companyStanding(accountId: "%s") { tierProgress { value } } }'


def test_a_retailer_moved_in_one_instance_credits_its_new_distributor_in_another(instance):
    program = new_program()
    claims = {"sub": "erp", "program": program, "role": "admin"}
    console = instance("AdminApiFunction")
    feed = instance("AdminApiFunction", KADO_CAMPAIGN_CACHE_SECONDS="600")
    made = call(console, ADMIN, claims, SETUP)
    assert all(payload["errors"] == [] for payload in made.values()), made

    def progress(account):
        return call(console, ADMIN, claims, PROGRESS % account)["companyStanding"][
            "tierProgress"]["value"]

    _buy(feed, claims, "INV-1", "ann", 100)  # the feed now holds the shop under north
    assert (progress("north"), progress("south")) == (100, 0)
    assert call(console, ADMIN, claims, MOVE)["upsertAccount"]["errors"] == []
    _buy(feed, claims, "INV-2", "ann", 200)
    assert (progress("north"), progress("south"), progress("shop")) == (100, 200, 300)

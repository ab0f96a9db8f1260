"""Points stay exact when several Lambda instances, each remembering the member items it
wrote, move the same member: two admin instances alternate, as two ERP feeds would."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.bundle.test_bundle import ENROL, call
from tests.support import new_program

RULE = """mutation { upsertEarningRule(input: {id: "per-euro", name: "Per euro",
  activityType: "PURCHASE", pointsPerUnit: 1}) { errors { code } } }"""
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { outcome points balanceAfter errors { code } } errors { code } } }"""
LEDGER = """{ memberStanding(memberId: "alice") { points { balance }
  ledger(first: 50) { nodes { seq balanceAfter } } } }"""


def test_two_instances_moving_one_member_keep_the_ledger_exact(instance):
    program = new_program()
    claims = {"sub": "erp", "program": program, "role": "admin"}
    first, second = instance("AdminApiFunction"), instance("AdminApiFunction")
    assert call(first, "/admin/graphql", claims, RULE)["upsertEarningRule"]["errors"] == []
    assert call(first, "/admin/graphql", claims, ENROL)["upsertLoyaltySettings"][
        "errors"] == []
    at = datetime.now(UTC).isoformat()
    balances = []
    for i in range(8):  # each instance's remembered copy is stale every other time
        active = (first, second)[i % 2]
        activity = {"externalId": f"ERP-{i}", "memberId": "alice", "type": "PURCHASE",
                    "occurredAt": at, "amount": {"value": 1000 * (i + 1), "currency": "EUR"}}
        [result] = call(active, "/admin/graphql", claims, RECORD,
                        {"i": {"activities": [activity]}})["recordActivities"]["results"]
        assert result["errors"] == [] and result["outcome"] == "RECORDED"
        balances.append(result["balanceAfter"])
    assert balances == [10, 30, 60, 100, 150, 210, 280, 360]
    standing = call(second, "/admin/graphql", claims, LEDGER)["memberStanding"]
    assert standing["points"]["balance"] == 360
    assert [e["seq"] for e in reversed(standing["ledger"]["nodes"])] == list(range(1, 9))

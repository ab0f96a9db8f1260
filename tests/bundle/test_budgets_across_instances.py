"""A budget raised or closed by the admin's instance binds a member instance that caches
the budget as it was: the money lives on the shards every debit meets, not in the copy."""

from __future__ import annotations

from tests.bundle.test_bundle import ADMIN, SPIN, call, paid_wheel
from tests.support import new_program

BUDGET = """mutation { createBudget(input: {id: "gifts", name: "Gifts", currency: "VND",
  amount: 20000, shards: 2}) { errors { code } } }"""
RAISE = """mutation { setBudgetAmount(id: "gifts", amount: 30000, reason: "more") {
  budget { amount } errors { code } } }"""
CLOSE = """mutation { closeBudget(id: "gifts", reason: "over") { budget { status }
  errors { code } } }"""


def test_a_raise_and_a_close_hold_in_an_instance_that_cached_the_budget(instance):
    program = new_program()
    marketing = {"sub": "marketing", "program": program, "role": "admin"}
    admin = instance("AdminApiFunction")
    paid_wheel(admin, marketing, BUDGET, "gifts", 10000)
    # Definitions cached for ten minutes: only the database can tell this instance.
    member = instance("MemberApiFunction", KADO_CAMPAIGN_CACHE_SECONDS="600")

    def spin(n: int) -> str:
        return call(member, "/member/graphql", {"sub": f"m{n}", "program": program}, SPIN, {
            "i": {"campaignId": "paid", "idempotencyKey": f"budget-bundle-{n:04d}"}})[
            "spin"]["spin"]["outcome"]

    assert [spin(n) for n in range(3)] == ["WON", "WON", "OUT_OF_BUDGET"]
    assert call(admin, ADMIN, marketing, RAISE)["setBudgetAmount"]["errors"] == []
    assert spin(3) == "WON"  # the raise is on the shards this instance debits
    assert call(admin, ADMIN, marketing, CLOSE)["closeBudget"]["budget"]["status"] == "CLOSED"
    assert spin(4) == "OUT_OF_BUDGET"  # closed, though this instance caches it open

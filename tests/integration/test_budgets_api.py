"""Budgets through the admin API: set up, linked to a campaign with its prizes' costs,
read with where the period stands, and bad input refused at its field."""

from __future__ import annotations

from kado.api.schemas import admin as admin_api
from kado.api.schemas import member as member_api
from tests.support import admin, campaign_input, execute, key, member, new_program, refusal

CREATE = """mutation($i: BudgetInput!) { createBudget(input: $i) {
  budget { id currency amount period status } errors { code field } } }"""
SET = """mutation($a: Amount!) { setBudgetAmount(id: "tet", amount: $a, reason: "board") {
  budget { amount version } errors { code field } } }"""
READ = """{ budgets { id amount now { period amount spent left thresholdsReached
  bySource { key amount } }
  changes { change amount before by reason } } }"""


def test_a_budget_is_set_up_linked_spent_and_read_back():
    program = new_program()
    made = execute(admin_api.schema, CREATE, admin(program), {"i": {
        "id": "tet", "name": "Tết wheel", "currency": "VND", "amount": 5_000_000_000,
        "shards": 4}})["createBudget"]
    assert made == {"budget": {"id": "tet", "currency": "VND", "amount": 5_000_000_000,
                               "period": "LIFETIME", "status": "OPEN"}, "errors": []}
    wheel = campaign_input("wheel", [{"id": "tv", "name": "A TV", "kind": "ITEM",
                                      "weight": 1, "cost": 2_000_000_000}])
    saved = execute(admin_api.schema, """mutation($i: CampaignInput!) { upsertCampaign(
        input: $i) { campaign { budgets { budgetId percent } prizes { cost } }
        errors { code field } } }""", admin(program),
                    {"i": {**wheel, "budgets": [{"budgetId": "tet"}]}})["upsertCampaign"]
    assert saved["campaign"] == {"budgets": [{"budgetId": "tet", "percent": 100}],
                                 "prizes": [{"cost": 2_000_000_000}]}
    execute(admin_api.schema, 'mutation { launchCampaign(id: "wheel") { errors { code } } }',
            admin(program))
    played = [execute(member_api.schema, """mutation($i: SpinInput!) { spin(input: $i) {
        spin { outcome } } }""", member(program, f"m{n}"), {"i": {
        "campaignId": "wheel", "idempotencyKey": key()}})["spin"]["spin"] for n in range(3)]
    assert [s["outcome"] for s in played] == ["WON", "WON", "OUT_OF_BUDGET"]
    shown = execute(member_api.schema, "{ campaigns { nodes { prizes { cost } } } }",
                    member(program))["campaigns"]["nodes"]
    assert shown == [{"prizes": [{"cost": None}]}]  # what a prize costs is not the member's
    assert execute(admin_api.schema, SET, admin(program), {"a": 3_000_000_000})[
        "setBudgetAmount"] == {"budget": None, "errors": [{"code": "INVALID_INPUT",
                                                          "field": "amount"}]}
    assert execute(admin_api.schema, SET, admin(program), {"a": 6_000_000_000})[
        "setBudgetAmount"] == {"budget": {"amount": 6_000_000_000, "version": 2}, "errors": []}
    read = execute(admin_api.schema, READ, admin(program))["budgets"]
    assert read == [{"id": "tet", "amount": 6_000_000_000, "now": {
        "period": "LIFETIME", "amount": 6_000_000_000, "spent": 4_000_000_000,
        "left": 2_000_000_000, "thresholdsReached": [50],
        "bySource": [{"key": "campaign:wheel", "amount": 4_000_000_000}]}, "changes": [
        {"change": "SET", "amount": 5_000_000_000, "before": None, "by": "marketing",
         "reason": "set up"},
        {"change": "RAISE", "amount": 6_000_000_000, "before": 5_000_000_000, "by": "marketing",
         "reason": "board"}]}]


def test_a_bad_budget_is_refused_at_each_field_and_nothing_is_kept():
    program = new_program()
    bad = execute(admin_api.schema, CREATE, admin(program), {"i": {
        "id": "no way", "name": " ", "currency": "dong", "amount": 1, "shards": 99,
        "timezone": "Saigon"}})["createBudget"]
    assert bad == {"budget": None, "errors": [
        {"code": "INVALID_INPUT", "field": f} for f in
        ("id", "name", "currency", "timezone", "shards")]}
    for amount in (1.5, -1, 2**53, True):
        problem = refusal(admin_api.schema, CREATE, admin(program), {"i": {
            "id": "x", "name": "x", "currency": "VND", "amount": amount}})
        assert "whole number of minor units" in problem["message"]
    assert execute(admin_api.schema, READ, admin(program)) == {"budgets": []}

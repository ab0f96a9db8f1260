"""The inputs an attack found answering "Unexpected error.": each is INVALID_INPUT (or a
plain refusal) now, through the real handlers, and nothing is written."""

from __future__ import annotations

import base64
import json

import pytest

from kado.domain.referrals import ReferralTerms
from kado.handlers import admin_api, member_api
from kado.local.apigw import LambdaContext, event
from kado.services import members
from kado.services.kernel import loyalty_definitions
from tests.support import new_program


def call(handler, path: str, claims: dict, query: str, variables: dict | None = None) -> dict:
    response = handler.handler(event(path, {"query": query, "variables": variables}, claims),
                               LambdaContext())
    assert response["statusCode"] < 500
    body = json.loads(response["body"])
    for error in body.get("errors") or ():
        assert error["message"] != "Unexpected error.", body
    return body


def codes(body: dict) -> list[str]:
    found = [e["extensions"].get("code") for e in body.get("errors") or ()]
    for payload in (body.get("data") or {}).values():
        if isinstance(payload, dict):
            found += [e["code"] for e in payload.get("errors") or ()]
    return found


@pytest.mark.parametrize("period", ["0000", "0001", "9999", "9999-12", "2026-13", "x" * 3000])
def test_a_statement_of_an_impossible_period_is_invalid_input(period):
    program = new_program()
    member = {"sub": "alice", "program": program}
    body = call(member_api, "/member/graphql", member,
                "query($p: String!) { statement(period: $p) { earned } }", {"p": period})
    assert codes(body) == ["INVALID_INPUT"]
    admin = {"sub": "m", "program": program, "role": "admin"}
    body = call(admin_api, "/admin/graphql", admin,
                "mutation($i: StatementExportInput!) { startStatementExport(input: $i) "
                "{ errors { code field } } }", {"i": {"period": period,
                                                      "idempotencyKey": "export-0001"}})
    assert body["data"]["startStatementExport"]["errors"] == [
        {"code": "INVALID_INPUT", "field": "period"}]


def test_a_cursor_missing_its_key_fields_is_invalid_input():
    program = new_program()
    member = {"sub": "alice", "program": program}
    forged = base64.urlsafe_b64encode(json.dumps(
        {"gsi1pk": {"S": f"P#{program}#M#alice#LEDGER"}}).encode()).decode()
    body = call(member_api, "/member/graphql", member,
                "query($a: String) { pointsLedger(first: 5, after: $a) { nodes { delta } } }",
                {"a": forged})
    assert codes(body) == ["INVALID_INPUT"]


def test_a_zone_folder_and_a_time_without_offset_are_invalid_input():
    program = new_program()
    admin = {"sub": "m", "program": program, "role": "admin"}
    gala = {"id": "gala", "name": "Gala", "venue": "hall", "timezone": "Europe",
            "startsAt": "2027-01-01T10:00:00Z", "endsAt": "2027-01-01T12:00:00Z",
            "registrationOpensAt": "2026-12-01T00:00:00Z",
            "registrationClosesAt": "2026-12-30T00:00:00Z", "capacity": 5}
    upsert = "mutation($i: EventInput!) { upsertEvent(input: $i) { errors { code field } } }"
    body = call(admin_api, "/admin/graphql", admin, upsert, {"i": gala})
    assert body["data"]["upsertEvent"]["errors"] == [{"code": "INVALID_INPUT",
                                                      "field": "timezone"}]
    body = call(admin_api, "/admin/graphql", admin, upsert,
                {"i": {**gala, "timezone": "Europe/Vienna", "startsAt": "2027-01-01T10:00:00"}})
    assert codes(body) == ["INVALID_INPUT"] and "startsAt" in body["errors"][0]["message"]
    assert call(admin_api, "/admin/graphql", admin, '{ event(id: "gala") { id } }')[
        "data"]["event"] is None


def test_a_referral_code_of_3000_letters_names_no_one():
    program = new_program()
    loyalty_definitions.upsert_referral_terms(program, ReferralTerms(
        min_purchase=1, within_days=30, hold_days=14, advocate_points=1, referred_points=1,
        cap_per_month=2))
    admin = {"sub": "m", "program": program, "role": "admin"}
    body = call(admin_api, "/admin/graphql", admin,
                "mutation($i: RegisterReferralInput!) { registerReferral(input: $i) "
                "{ errors { code field } } }",
                {"i": {"code": "A" * 3000, "referredAccountId": "newco",
                       "referredMemberId": "nina"}})
    assert body["data"]["registerReferral"]["errors"] == [{"code": "NOT_FOUND",
                                                           "field": "code"}]


def test_points_stop_at_the_largest_balance_the_api_can_answer():
    program = new_program()
    members.upsert_member(program, "alice", None, "STANDARD")
    admin = {"sub": "m", "program": program, "role": "admin"}
    adjust = """mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) {
      errors { code } } }"""
    answers = [call(admin_api, "/admin/graphql", admin, adjust, {"i": {
        "memberId": "alice", "delta": 10**9, "reason": "big",
        "idempotencyKey": f"big-adjust-{i:04d}"}})["data"]["adjustPoints"]["errors"]
        for i in range(3)]
    assert answers == [[], [], [{"code": "POINTS_LIMIT_REACHED"}]]
    me = call(member_api, "/member/graphql", {"sub": "alice", "program": program},
              "{ me { points { balance lifetimeEarned } } pointsLedger { nodes { delta } } }")
    assert me["data"]["me"]["points"] == {"balance": 2 * 10**9, "lifetimeEarned": 2 * 10**9}
    assert [n["delta"] for n in me["data"]["pointsLedger"]["nodes"]] == [10**9, 10**9]

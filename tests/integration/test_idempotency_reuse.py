"""A key fixes its request: a true retry answers the first outcome byte for byte, the same
key with a different input is IDEMPOTENCY_KEY_REUSED and changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from kado.domain.surveys import Question, QuestionKind, Survey
from kado.handlers import admin_api, member_api, merchant_api
from kado.local.apigw import LambdaContext, event
from kado.services import members, surveys
from kado.services.vouchers import catalogue as voucher_admin
from tests import support
from tests.support import new_program


def call(handler, role: str, claims: dict, query: str, variables: dict) -> str:
    response = handler.handler(event(f"/{role}/graphql", {"query": query,
                                                          "variables": variables}, claims),
                               LambdaContext())
    return response["body"]


def errors(body: str) -> list[dict]:
    data = json.loads(body)["data"]
    return next(iter(data.values()))["errors"]


REUSED = [{"code": "IDEMPOTENCY_KEY_REUSED", "field": "idempotencyKey"}]


def test_a_redemption_key_with_another_amount_is_refused():
    program = new_program()
    voucher_admin.upsert_product(program, support.product(partial_redemption=True))
    voucher_admin.upsert_merchant(program, "cafe", "Cafe")
    members.upsert_member(program, "alice", None, "STANDARD")
    [issued] = voucher_admin.issue(support.admin(program), "tenner", ["alice"],
                                   "issue-key-01", "test")
    assert issued.error is None
    mine = json.loads(call(member_api, "member", {"sub": "alice", "program": program},
                           "{ myVouchers { nodes { code } } }", {}))
    code = mine["data"]["myVouchers"]["nodes"][0]["code"]
    till = {"sub": "cafe", "program": program, "role": "merchant"}
    redeem = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
      redemption { id remainingBalance redeemedAt } errors { code field } } }"""
    first = {"i": {"code": code, "amount": 100, "idempotencyKey": "till-key-0001"}}
    answered = call(merchant_api, "merchant", till, redeem, first)
    assert call(merchant_api, "merchant", till, redeem, first) == answered  # byte for byte
    again = {"i": {**first["i"], "amount": 400}}
    assert errors(call(merchant_api, "merchant", till, redeem, again)) == REUSED
    check = f'{{ checkVoucher(code: "{code}") {{ voucher {{ balance }} }} }}'
    assert json.loads(call(merchant_api, "merchant", till, check, {}))["data"][
        "checkVoucher"]["voucher"]["balance"] == 900


def test_an_adjustment_key_with_another_delta_is_refused():
    program = new_program()
    members.upsert_member(program, "alice", None, "STANDARD")
    admin = {"sub": "m", "program": program, "role": "admin"}
    adjust = """mutation($i: AdjustPointsInput!) { adjustPoints(input: $i) {
      errors { code field } } }"""
    first = {"i": {"memberId": "alice", "delta": 500, "reason": "welcome",
                   "idempotencyKey": "adjust-key-01"}}
    answered = call(admin_api, "admin", admin, adjust, first)
    assert errors(answered) == []
    assert call(admin_api, "admin", admin, adjust, first) == answered
    assert errors(call(admin_api, "admin", admin, adjust,
                       {"i": {**first["i"], "delta": 5}})) == REUSED
    me = json.loads(call(member_api, "member", {"sub": "alice", "program": program},
                         "{ me { points { balance } } }", {}))
    assert me["data"]["me"]["points"]["balance"] == 500


def test_a_survey_key_with_other_answers_is_refused():
    program = new_program()
    now = datetime.now(UTC)
    surveys.upsert(program, Survey(
        id="nps", name="NPS", opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        questions=(Question("q1", "How likely?", QuestionKind.SCALE, scale_min=0,
                            scale_max=10),)))
    member = {"sub": "alice", "program": program}
    submit = """mutation($i: SubmitSurveyInput!) { submitSurvey(input: $i) {
      submission { submittedAt } errors { code field } } }"""
    first = {"i": {"surveyId": "nps", "idempotencyKey": "survey-key-01",
                   "answers": [{"questionId": "q1", "scale": 9}]}}
    answered = call(member_api, "member", member, submit, first)
    assert errors(answered) == []
    # The replay says the same moment to the millisecond as the first answer did.
    assert call(member_api, "member", member, submit, first) == answered
    assert json.loads(answered)["data"]["submitSurvey"]["submission"]["submittedAt"].endswith(
        "Z")
    other = {"i": {**first["i"], "answers": [{"questionId": "q1", "scale": 1}]}}
    assert errors(call(member_api, "member", member, submit, other)) == REUSED

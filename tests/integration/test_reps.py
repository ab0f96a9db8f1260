"""Sales reps on moto, and a rep's token on the field's (merchant) API."""

from kado.api.kernel.context import Unauthorized, principal_from_claims
from kado.api.schemas.merchant import schema as field_schema
from kado.domain.principal import Principal, Role
from tests.scenarios.rep_scenarios import *  # noqa: F403 - the shared scenarios, on moto
from tests.scenarios.rep_scenarios import lan, rep_program
from tests.support import execute, key

AWARD = """mutation($i: AwardPointsInput!) { awardPoints(input: $i) {
  award { points balanceAfter } errors { code field } } }"""


def test_a_rep_token_awards_on_the_field_api_and_nothing_else():
    program = rep_program()
    claims = {"sub": "lan", "program": program, "role": "rep"}
    assert principal_from_claims(claims, Role.MERCHANT).role is Role.REP
    for api in (Role.MEMBER, Role.ADMIN):  # a rep token opens no other API
        try:
            principal_from_claims(claims, api)
            raise AssertionError(f"a rep token called the {api.value} API")
        except Unauthorized:
            pass
    ask = {"i": {"memberId": "ann", "points": 20, "reason": "DISPLAY", "idempotencyKey": key()}}
    done = execute(field_schema, AWARD, lan(program), ask)["awardPoints"]
    assert done == {"award": {"points": 20, "balanceAfter": 20}, "errors": []}
    till = Principal(Role.MERCHANT, program, "lan")  # a till named like the rep awards nothing
    ask["i"]["idempotencyKey"] = key()
    refused = execute(field_schema, AWARD, till, ask)["awardPoints"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    redeem = """mutation { redeemVoucher(input: {code: "AAAA-AAAA-AAAA-AAAA-A", amount: 1,
      idempotencyKey: "k-12345678"}) { errors { code } } }"""
    assert execute(field_schema, redeem, lan(program))["redeemVoucher"]["errors"][0]["code"] \
        == "FORBIDDEN"

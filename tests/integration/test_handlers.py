"""Real API Gateway HTTP API v2 events through the Lambda handlers (Powertools, Mangum)."""

from __future__ import annotations

import json

from kado.handlers import admin_api, member_api, merchant_api
from kado.local.apigw import LambdaContext, event
from kado.services import campaigns
from tests import support
from tests.support import new_program


def call(handler, path, query, claims, variables=None):
    response = handler.handler(event(path, {"query": query, "variables": variables}, claims),
                               LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def test_member_spins_through_the_lambda_handler():
    program = new_program()
    campaigns.upsert(program, support.campaign(prizes=support.sure_win(3)))
    campaigns.launch(program, "wheel")
    claims = {"sub": "alice", "program": program, "account": "acme"}
    status, body = call(member_api, "/member/graphql",
                        "mutation($i: SpinInput!) { spin(input: $i) { spin { won } errors "
                        "{ code } } }", claims,
                        {"i": {"campaignId": "wheel", "idempotencyKey": "lambda-key-1"}})
    assert status == 200
    assert body["data"]["spin"] == {"spin": {"won": True}, "errors": []}
    status, body = call(member_api, "/member/graphql", "{ me { id accountId } }", claims)
    assert body["data"]["me"] == {"id": "alice", "accountId": "acme"}


def test_handlers_refuse_missing_or_wrong_claims():
    status, _ = call(member_api, "/member/graphql", "{ me { id } }", None)
    assert status == 401
    member_claims = {"sub": "alice", "program": "p1"}
    status, _ = call(admin_api, "/admin/graphql", "{ campaigns { nodes { id } } }",
                     member_claims)
    assert status == 403
    status, _ = call(merchant_api, "/merchant/graphql", "{ me { id } }", member_claims)
    assert status == 403
    status, body = call(merchant_api, "/merchant/graphql", "{ me { id program } }",
                        {"sub": "cafe", "program": "p1", "role": "merchant"})
    assert status == 200 and body["data"]["me"] == {"id": "cafe", "program": "p1"}


def test_alias_limit_and_validation_messages():
    claims = {"sub": "alice", "program": "p1"}
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(20))
    _, body = call(member_api, "/member/graphql", f"{{ {aliases} }}", claims)
    assert body["data"] is None and "aliases" in body["errors"][0]["message"].lower()
    _, body = call(member_api, "/member/graphql", "{ nope }", claims)
    assert "nope" in body["errors"][0]["message"]

"""What callers see at the edges of the API: limits, masking, bad bodies, bad variables."""

from __future__ import annotations

import json

import pytest
import strawberry

from kado.api.kernel import app
from kado.handlers import member_api, merchant_api
from kado.local.apigw import LambdaContext, event
from kado.services import members
from tests.integration.test_handlers import call

ALICE = {"sub": "alice", "program": "p1"}
CAFE = {"sub": "cafe", "program": "p1", "role": "merchant"}
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) { errors { code } } }"""
CHECK = """query($c: String!) { checkVoucher(code: $c) { redeemable } }"""


def raw(handler, path, body: str):
    request = event(path, {}, ALICE)
    request["body"] = body
    request["headers"]["content-length"] = str(len(body.encode()))
    response = handler.handler(request, LambdaContext())
    return response["statusCode"], response["headers"].get("content-type"), response["body"]


def test_a_failure_inside_a_resolver_is_masked(monkeypatch):
    def broken(principal):
        raise RuntimeError("table kado-prod: secret internals")

    monkeypatch.setattr(members, "me", broken)
    status, body = call(member_api, "/member/graphql", "{ me { id } }", ALICE)
    assert status == 200
    assert body["errors"][0]["message"] == "Unexpected error."
    assert "secret" not in json.dumps(body)


@strawberry.type
class _Node:
    @strawberry.field
    def child(self) -> _Node:
        return _Node()

    name: str = "node"


@strawberry.type
class _Query:
    @strawberry.field
    def root(self) -> _Node:
        return _Node()


def test_every_schema_refuses_operations_deeper_than_the_limit():
    schema = app.build_schema(_Query)

    def depth(d):  # `name` at depth d, `root` being depth 0
        return schema.execute_sync("{ root { " + "child { " * (d - 1) + "name" + " }" * (d + 1))

    assert depth(app.MAX_DEPTH).errors is None
    deeper = depth(app.MAX_DEPTH + 1).errors
    assert deeper and "exceeds maximum operation depth" in deeper[0].message


def test_token_limit():
    many = "{ " + " ".join("me { id }" for _ in range(app.MAX_TOKENS // 4)) + " }"
    _, body = call(member_api, "/member/graphql", many, ALICE)
    assert f"more than {app.MAX_TOKENS} tokens" in body["errors"][0]["message"]


@pytest.mark.parametrize(("variables", "says"), [
    ({"i": None}, "non-null type"),
    ({"i": {"code": "X"}}, "idempotencyKey"),
    ({"i": {"code": "X", "idempotencyKey": "k-12345678", "amount": 2**40}},
     "non 32-bit signed integer"),
    ({"i": {"code": "X", "idempotencyKey": "k-12345678", "colour": 1}}, "colour"),
])
def test_mistakes_in_variables_are_explained_not_masked(variables, says):
    status, body = call(merchant_api, "/merchant/graphql", REDEEM, CAFE, variables)
    assert status == 200
    message = body["errors"][0]["message"]
    assert says in message and message != "Unexpected error."


def test_an_unknown_enum_value_is_explained():
    query = "query($s: VoucherStatus) { myVouchers(status: $s) { nodes { id } } }"
    _, body = call(member_api, "/member/graphql", query, ALICE, {"s": "SPENT"})
    assert "SPENT" in body["errors"][0]["message"]


def test_deeply_nested_json_is_a_clean_400():
    status, content_type, body = raw(member_api, "/member/graphql", "[" * 100_000)
    assert status == 400 and content_type == "application/json"
    assert json.loads(body) == {"message": "request body nests too deeply"}


def test_an_oversized_body_is_refused_before_parsing():
    big = json.dumps({"query": "{ me { id } }", "variables": {"pad": "x" * app.MAX_BODY_BYTES}})
    status, content_type, body = raw(member_api, "/member/graphql", big)
    assert status == 413 and content_type == "application/json"
    assert "bytes" in json.loads(body)["message"]


def test_an_unparsable_body_is_json_like_every_other_refusal():
    status, content_type, body = raw(member_api, "/member/graphql", "{not json")
    assert status == 400 and content_type == "application/json"
    assert json.loads(body)["message"]


def test_suggestions_are_given_in_dev():
    _, body = call(merchant_api, "/merchant/graphql", '{ checkVoucher(cod: "X") { redeemable } }',
                   CAFE)
    assert "Did you mean 'code'?" in body["errors"][0]["message"]


def test_a_persisted_query_is_found_by_its_hash_as_apollo_clients_expect():
    """Apollo's persisted-query link: the hash alone first; on PersistedQueryNotFound the
    document with its hash; then the hash alone runs it. A wrong hash is refused."""
    import hashlib

    from kado.api.kernel import persisted_queries
    persisted_queries.forget_all()
    query = "{ me { id } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    status, _, body = raw(member_api, "/member/graphql", json.dumps({"extensions": apq}))
    assert (status, json.loads(body)) == (200, {"errors": [{
        "message": "PersistedQueryNotFound",
        "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]})
    status, _, body = raw(member_api, "/member/graphql",
                          json.dumps({"query": query, "extensions": apq}))
    assert (status, json.loads(body)) == (200, {"data": {"me": {"id": "alice"}}})
    status, _, body = raw(member_api, "/member/graphql", json.dumps({"extensions": apq}))
    assert (status, json.loads(body)) == (200, {"data": {"me": {"id": "alice"}}})
    forged = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    status, _, body = raw(member_api, "/member/graphql",
                          json.dumps({"query": query, "extensions": forged}))
    assert status == 400
    assert json.loads(body)["errors"][0]["extensions"]["code"] == \
        "PERSISTED_QUERY_HASH_MISMATCH"
    status, _, body = raw(member_api, "/member/graphql", json.dumps({"extensions": {
        "persistedQuery": {"version": 2, "sha256Hash": digest}}}))
    assert status == 400

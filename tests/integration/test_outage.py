"""DynamoDB out of reach is told as UNAVAILABLE and retryable, never the masked "Unexpected
error."; once it is back, a retry with the same key is applied once."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from kado.handlers import member_api
from kado.local.apigw import LambdaContext, event
from kado.services.campaigns import definitions as campaigns
from kado.store.kernel.client import dynamodb
from tests import support
from tests.support import new_program

SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { won }
  errors { code retryable } } }"""


def call(query: str, claims: dict, variables: dict | None = None) -> dict:
    response = member_api.handler(event("/member/graphql", {"query": query,
                                                            "variables": variables}, claims),
                                  LambdaContext())
    assert response["statusCode"] == 200
    return json.loads(response["body"])


def unreachable(**_: object) -> None:
    raise EndpointConnectionError(endpoint_url="https://dynamodb.invalid")


def throttled(**_: object) -> None:
    raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}},
                      "TransactWriteItems")


@contextmanager
def outage(kind):
    events = dynamodb().meta.events
    events.register_first("before-call.dynamodb", kind, unique_id="outage")
    try:
        yield
    finally:
        events.unregister("before-call.dynamodb", unique_id="outage")


@pytest.mark.parametrize("kind", [unreachable, throttled])
def test_an_outage_is_unavailable_and_a_retry_converges(kind):
    program = new_program()
    campaigns.upsert(program, support.campaign(prizes=support.sure_win(1)))
    campaigns.launch(program, "wheel")
    alice = {"sub": "alice", "program": program}
    spin = {"i": {"campaignId": "wheel", "idempotencyKey": "outage-key-0001"}}
    with outage(kind):
        answer = call(SPIN, alice, spin)
        assert answer["data"]["spin"] == {"spin": None, "errors": [
            {"code": "UNAVAILABLE", "retryable": True}]}
        me = call("{ me { id } }", alice)
        assert me["data"] is None
        [error] = me["errors"]
        assert error["extensions"] == {"code": "UNAVAILABLE", "retryable": True}
        assert "Unexpected" not in error["message"]
    assert call(SPIN, alice, spin)["data"]["spin"] == {"spin": {"won": True}, "errors": []}
    assert call(SPIN, alice, spin)["data"]["spin"] == {"spin": {"won": True}, "errors": []}
    assert campaigns.stats(program, campaigns.get(program, "wheel")).spins == 1

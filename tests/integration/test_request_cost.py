"""A request is priced from its document before anything runs: above the limit it is refused
with its cost, and what it reads is read once however many fields ask."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from kado.api.kernel.cost import MAX_COST
from kado.domain.events.rules import EventStatus
from kado.handlers import member_api
from kado.local.apigw import LambdaContext, event
from kado.local.meter import Meter
from kado.services.events import definitions as events
from kado.store.kernel.client import dynamodb
from tests.scenarios.event_scenarios import dealer_night
from tests.support import new_program


def call(query: str, claims: dict, variables: dict | None = None) -> dict:
    response = member_api.handler(event("/member/graphql", {"query": query,
                                                            "variables": variables}, claims),
                                  LambdaContext())
    return json.loads(response["body"])


def published_events(program: str, count: int) -> None:
    for i in range(count):
        e = dealer_night(capacity=5)
        events.upsert(program, type(e)(**{**e.__dict__, "id": f"night-{i}",
                                          "starts_at": e.starts_at + timedelta(days=i),
                                          "ends_at": e.ends_at + timedelta(days=i)}))
        events.move(program, f"night-{i}", EventStatus.PUBLISHED)


def test_fifteen_aliased_event_pages_are_refused_before_any_read():
    program = new_program()
    member = {"sub": "alice", "program": program}
    query = "{ " + " ".join(f"a{i}: events(first: 100) {{ nodes {{ seatsLeft waitlistLength }} }}"
                            for i in range(15)) + " }"
    with Meter(dynamodb()) as meter:
        body = call(query, member)
    assert meter.calls == []
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert error["extensions"]["cost"] > MAX_COST == error["extensions"]["limit"]


def test_the_cost_follows_the_page_size_given_in_a_variable():
    program = new_program()
    member = {"sub": "alice", "program": program}
    query = "query($n: Int!) { events(first: $n) { nodes { seatsLeft waitlistLength } } }"
    assert call(query, member, {"n": 20})["data"] == {"events": {"nodes": []}}
    refused = call(query, member, {"n": 100})  # the same document, a larger page
    assert refused["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert call(query, member, {"n": 20})["data"] == {"events": {"nodes": []}}


def test_hundreds_of_copies_of_one_field_are_refused_before_validation():
    program = new_program()
    body = call("{ " + "me { id } " * 490 + "}", {"sub": "alice", "program": program})
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


def test_an_events_page_reads_availability_in_one_batch_whatever_its_size():
    """No N+1: a page of 4 events and one of 12 make the same calls (the page, a batch of
    every event's seat shards, a batch of every event's waitlist counts)."""
    query = """{ events(first: 20) { nodes { id seatsLeft waitlistLength
                 again: seatsLeft } } }"""
    made = {}
    for count in (4, 12):
        program = new_program()
        published_events(program, count)
        with Meter(dynamodb()) as meter:
            body = call(query, {"sub": "alice", "program": program})
        assert [n["seatsLeft"] for n in body["data"]["events"]["nodes"]] == [5] * count
        assert [n["waitlistLength"] for n in body["data"]["events"]["nodes"]] == [0] * count
        made[count] = Counter(c.operation for c in meter.calls)
    assert made[4] == made[12], made
    assert made[4]["BatchGetItem"] == 2 and made[4]["Query"] == 1, made

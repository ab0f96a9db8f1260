"""A place in line is counted when read: in the member's own list and in the admin's."""

from __future__ import annotations

import json
from datetime import timedelta

from kado.domain.events.rules import EventStatus
from kado.handlers import admin_api, member_api
from kado.local.apigw import LambdaContext, event
from kado.services.events import definitions as events
from kado.services.events import registrations
from tests.scenarios.event_scenarios import (
    dealer_night,
    now,  # noqa: F401 - the events' clock
)
from tests.support import key, member, new_program


def data(handler, path: str, claims: dict, query: str) -> dict:
    response = handler.handler(event(path, {"query": query}, claims), LambdaContext())
    return json.loads(response["body"])["data"]


def test_waitlisted_registrations_show_their_place_when_listed(now):  # noqa: F811
    program = new_program()
    events.upsert(program, dealer_night(capacity=1))
    events.move(program, "dealer-night", EventStatus.PUBLISHED)
    for who in ("ann", "bob", "carl"):
        registrations.register(member(program, who), "dealer-night", key())
        now["at"] += timedelta(seconds=1)
    mine = data(member_api, "/member/graphql", {"sub": "carl", "program": program},
                "{ myRegistrations { nodes { status position } } }")
    assert mine["myRegistrations"]["nodes"] == [{"status": "WAITLISTED", "position": 2}]
    listed = data(admin_api, "/admin/graphql", {"sub": "m", "program": program, "role": "admin"},
                  '{ eventRegistrations(eventId: "dealer-night") { memberId status position } }')
    assert sorted((r["memberId"], r["status"], r["position"])
                  for r in listed["eventRegistrations"]) == [
        ("ann", "CONFIRMED", None), ("bob", "WAITLISTED", 1), ("carl", "WAITLISTED", 2)]

"""Real API Gateway HTTP API v2 events through the Lambda handlers (Powertools, Mangum)."""

from __future__ import annotations

import json

from kado.handlers import admin_api, member_api, merchant_api
from kado.local.apigw import LambdaContext, event
from kado.services.campaigns import definitions as campaigns
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
    # The token's `account` claim is no authority: the member the spin created is in no
    # company until the program places them in one.
    status, body = call(member_api, "/member/graphql", "{ me { id accountId } }", claims)
    assert body["data"]["me"] == {"id": "alice", "accountId": None}


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


def test_door_staff_check_tickets_in_at_their_venue_and_nothing_else():
    from datetime import UTC, datetime, timedelta

    from kado.domain.events.rules import Event, EventStatus
    from kado.services.events import check_in, registrations
    from kado.services.events import definitions as events
    from kado.store import events as event_store

    program = new_program()
    now = datetime.now(UTC)
    events.upsert(program, Event(
        id="gala", name="Gala", venue="vienna-hall", starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=3), timezone="Europe/Vienna",
        registration_opens_at=now - timedelta(hours=1),
        registration_closes_at=now + timedelta(days=1), capacity=10,
        check_in_opens_minutes_before=3 * 24 * 60))
    events.move(program, "gala", EventStatus.PUBLISHED)
    registrations.register(support.member(program, "ann"), "gala", support.key())
    ticket = event_store.get_registration(program, "gala", "ann")["ticket"]
    qr = check_in.ticket_payload(program, "gala", "ann", ticket)
    scan = ("mutation($q: String!) { checkIn(input: {eventId: \"gala\", qr: $q, "
            "idempotencyKey: \"door-scan-0001\"}) { checkIn { memberId } errors { code } } }")
    elsewhere = {"sub": "door-9", "program": program, "role": "staff", "venue": "graz-hall"}
    status, body = call(merchant_api, "/merchant/graphql", scan, elsewhere, {"q": qr})
    assert (status, body["data"]["checkIn"]["errors"]) == (200, [{"code": "FORBIDDEN"}])
    door = {"sub": "door-1", "program": program, "role": "staff", "venue": "vienna-hall"}
    status, body = call(merchant_api, "/merchant/graphql", scan, door, {"q": qr})
    assert body["data"]["checkIn"] == {"checkIn": {"memberId": "ann"}, "errors": []}
    redeem = ("mutation { redeemVoucher(input: {code: \"ABCD-EFGH-JKLM-NPQR\", "
              "idempotencyKey: \"door-redeem-01\"}) { errors { code } } }")
    status, body = call(merchant_api, "/merchant/graphql", redeem, door)
    assert body["data"]["redeemVoucher"]["errors"] == [{"code": "FORBIDDEN"}]
    no_venue = {"sub": "door-2", "program": program, "role": "staff"}
    status, _ = call(merchant_api, "/merchant/graphql", scan, no_venue, {"q": qr})
    assert status == 403  # a staff token must name its venue

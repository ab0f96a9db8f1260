"""An event closed by one Lambda instance is closed in the others, whatever they cache; a
ticket from the member API checks in at the merchant API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.bundle.test_bundle import ADMIN, call
from tests.support import new_program

UPSERT = """mutation($i: EventInput!) { upsertEvent(input: $i) { event { status }
  errors { code field } } }"""
PUBLISH = 'mutation { publishEvent(id: "gala") { event { status } errors { code } } }'
CLOSE = 'mutation { closeEvent(id: "gala") { event { status } errors { code } } }'
REGISTER = """mutation($k: String!) { registerForEvent(input: {eventId: "gala",
  idempotencyKey: $k}) { registration { status checkInQr } errors { code } } }"""
CHECK_IN = """mutation($q: String!) { checkIn(input: {eventId: "gala", qr: $q,
  idempotencyKey: "bundle-door-0001"}) { checkIn { memberId } errors { code } } }"""


def test_closing_an_event_holds_in_every_instance(instance):
    program = new_program()
    now = datetime.now(UTC)
    marketing = {"sub": "marketing", "program": program, "role": "admin"}
    gala = {"id": "gala", "name": "Gala", "venue": "vienna-hall", "timezone": "Europe/Vienna",
            "startsAt": (now + timedelta(days=3)).isoformat(),
            "endsAt": (now + timedelta(days=3, hours=4)).isoformat(),
            "registrationOpensAt": (now - timedelta(hours=1)).isoformat(),
            "registrationClosesAt": (now + timedelta(days=2)).isoformat(), "capacity": 10,
            "checkInOpensMinutesBefore": 4 * 24 * 60}
    admin = instance("AdminApiFunction")
    assert call(admin, ADMIN, marketing, UPSERT, {"i": gala})["upsertEvent"]["errors"] == []
    assert call(admin, ADMIN, marketing, PUBLISH)["publishEvent"]["event"]["status"] == \
        "PUBLISHED"
    member = instance("MemberApiFunction", KADO_CAMPAIGN_CACHE_SECONDS="600")

    def register(who, key):
        return call(member, "/member/graphql", {"sub": who, "program": program}, REGISTER,
                    {"k": key})["registerForEvent"]

    ann = register("ann", "bundle-reg-0001")  # the member instance now caches it open
    assert ann["registration"]["status"] == "CONFIRMED"
    assert call(admin, ADMIN, marketing, CLOSE)["closeEvent"]["event"]["status"] == "CLOSED"
    assert register("bob", "bundle-reg-0002")["errors"] == [{"code": "REGISTRATION_CLOSED"}]
    till = instance("MerchantApiFunction")
    cafe = {"sub": "cafe", "program": program, "role": "merchant"}
    checked = call(till, "/merchant/graphql", cafe, CHECK_IN,
                   {"q": ann["registration"]["checkInQr"]})["checkIn"]
    assert checked == {"checkIn": {"memberId": "ann"}, "errors": []}

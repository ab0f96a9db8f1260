"""A pause or end binds every instance at once, whatever definition it caches.

The admin and member APIs run as separate processes from the bundle, as separate
functions do in AWS; the member instance caches campaign definitions for ten
minutes, so only the database can stop it.
"""

from __future__ import annotations

import hashlib
from itertools import count

from kado.domain.campaigns import draw
from tests.bundle.test_bundle import CAMPAIGN, LAUNCH, call
from tests.support import campaign_input, new_program

STATUS = """mutation($id: ID!) { %s(id: $id) { campaign { status } errors { code } } }"""
SEED = """query($id: ID!) { campaign(id: $id) { status serverSeed serverSeedHash } }"""
SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { outcome prize { id } }
  errors { code } } }"""
STATS = """query($id: ID!) { campaign(id: $id) { stats { spins wins } } }"""
WHEEL = "jackpot-wheel"


def _launch(admin, claims, prizes):
    saved = call(admin, "/admin/graphql", claims, CAMPAIGN,
                 {"i": campaign_input(WHEEL, prizes)})["upsertCampaign"]
    assert saved["errors"] == []
    assert call(admin, "/admin/graphql", claims, LAUNCH, {"id": WHEEL})["launchCampaign"][
        "campaign"]["status"] == "LIVE"


def _spin(member, claims, key):
    return call(member, "/member/graphql", claims, SPIN,
                {"i": {"campaignId": WHEEL, "idempotencyKey": key}})["spin"]


def _winning_keys(seed: str, member_id: str, wanted: int) -> list[str]:
    """What an attacker does offline once the seed is out: find keys that draw the jackpot."""
    keys = []
    for i in count():
        key = f"attack-key-{i:06d}"
        if draw.pick_index([1, 9], draw.draw_number(seed, WHEEL, member_id, key)) == 0:
            keys.append(key)
            if len(keys) == wanted:
                return keys
    raise AssertionError("unreachable")


def test_no_instance_accepts_a_spin_once_the_seed_can_be_read(instance):
    program = new_program()
    admin_claims = {"sub": "marketing", "program": program, "role": "admin"}
    admin = instance("AdminApiFunction")
    _launch(admin, admin_claims, [
        {"id": "jackpot", "name": "Jackpot", "kind": "ITEM", "weight": 1, "stock": 50},
        {"id": "nothing", "name": "Nothing", "kind": "NONE", "weight": 9}])

    member = instance("MemberApiFunction")
    alice = {"sub": "alice", "program": program}
    cached = instance("MemberApiFunction", KADO_CAMPAIGN_CACHE_SECONDS="600")
    for i in range(3):  # warm: the LIVE definition is now in this instance's cache
        assert _spin(cached, alice, f"warm-spin-{i:04d}")["errors"] == []

    def status(mutation):
        return call(admin, "/admin/graphql", admin_claims, STATUS % mutation, {"id": WHEEL})[
            mutation]["campaign"]["status"]

    assert status("pauseCampaign") == "PAUSED"
    assert _spin(cached, alice, "while-paused-01")["errors"] == [{"code": "CAMPAIGN_NOT_LIVE"}]
    assert status("launchCampaign") == "LIVE"
    assert _spin(cached, alice, "after-resume-01")["errors"] == []

    for i in range(3):  # warm again after the resume
        _spin(cached, alice, f"rewarm-spin-{i:04d}")
    assert status("endCampaign") == "ENDED"
    seen = call(member, "/member/graphql", alice, SEED, {"id": WHEEL})["campaign"]
    assert seen["status"] == "ENDED" and seen["serverSeed"]
    spins_before = call(admin, "/admin/graphql", admin_claims, STATS, {"id": WHEEL})[
        "campaign"]["stats"]
    for key in _winning_keys(seen["serverSeed"], "alice", 5):
        assert _spin(cached, alice, key)["errors"] == [{"code": "CAMPAIGN_NOT_LIVE"}]
    assert call(admin, "/admin/graphql", admin_claims, STATS, {"id": WHEEL})[
        "campaign"]["stats"] == spins_before
    # A retry of a spin made while LIVE still returns its first outcome.
    assert _spin(cached, alice, "warm-spin-0000")["errors"] == []


def test_the_published_hash_is_of_the_seed_hex_string(instance):
    program = new_program()
    admin_claims = {"sub": "marketing", "program": program, "role": "admin"}
    admin = instance("AdminApiFunction")
    _launch(admin, admin_claims, [{"id": "nothing", "name": "Nothing", "kind": "NONE",
                                   "weight": 1}])
    call(admin, "/admin/graphql", admin_claims, STATUS % "endCampaign", {"id": WHEEL})
    member = instance("MemberApiFunction")
    seen = call(member, "/member/graphql", {"sub": "bob", "program": program}, SEED,
                {"id": WHEEL})["campaign"]
    # What is hashed, and what keys the draw's HMAC, is the seed's hex string itself.
    assert len(seen["serverSeed"]) == 64 and int(seen["serverSeed"], 16) >= 0
    assert hashlib.sha256(seen["serverSeed"].encode("ascii")).hexdigest() == \
        seen["serverSeedHash"]

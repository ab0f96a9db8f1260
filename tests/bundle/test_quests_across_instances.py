"""A quest launched or ended by one Lambda instance holds in another that cached the live
quests for ten minutes: after `endQuest` returns nothing completes it, after `launchQuest`
returns every activity counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.bundle.test_bundle import ADMIN, ENROL, call
from tests.support import new_program

UPSERT = """mutation($i: QuestInput!) { upsertQuest(input: $i) { errors { code field } } }"""
LAUNCH = 'mutation { launchQuest(id: "visits") { quest { status } errors { code } } }'
END = 'mutation { endQuest(id: "visits") { quest { status } errors { code } } }'
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { outcome points errors { code } } errors { code } } }"""


def visit(external_id: str, member_id: str) -> dict:
    return {"externalId": external_id, "memberId": member_id, "type": "TRAINING_COMPLETED",
            "occurredAt": datetime.now(UTC).isoformat()}


def test_launching_and_ending_a_quest_hold_in_every_instance(instance):
    program = new_program()
    now = datetime.now(UTC)
    erp = {"sub": "erp", "program": program, "role": "admin"}
    console = instance("AdminApiFunction")
    feed = instance("AdminApiFunction", KADO_CAMPAIGN_CACHE_SECONDS="600")

    def record(*activities) -> list[dict]:
        return call(feed, ADMIN, erp, RECORD, {"i": {"activities": list(activities)}})[
            "recordActivities"]["results"]

    quest = {"id": "visits", "name": "Two visits", "timezone": "UTC",
             "startsAt": (now - timedelta(days=1)).isoformat(),
             "endsAt": (now + timedelta(days=30)).isoformat(),
             "steps": [{"id": "visit", "name": "Visit", "activityType": "TRAINING_COMPLETED",
                        "targetCount": 2}],
             "reward": {"points": 500}}
    assert call(console, ADMIN, erp, UPSERT, {"i": quest})["upsertQuest"]["errors"] == []
    assert call(console, ADMIN, erp, ENROL)["upsertLoyaltySettings"]["errors"] == []
    # The feed's instance reads the live quests (none yet) and keeps them for ten minutes.
    assert record(visit("warm-1", "warm"))[0]["outcome"] == "RECORDED"
    assert call(console, ADMIN, erp, LAUNCH)["launchQuest"]["quest"]["status"] == "LIVE"
    # Each member's first visit after the launch counts toward it...
    assert [r["outcome"] for r in record(*(visit(f"a-{i}", f"m{i}") for i in range(8)))] == \
        ["RECORDED"] * 8
    assert [r["points"] for r in record(*(visit(f"b-{i}", f"m{i}") for i in range(4)))] == \
        [500] * 4  # ...so a second visit completes it
    assert call(console, ADMIN, erp, END)["endQuest"]["quest"]["status"] == "ENDED"
    # The feed's instance saw the quest live a moment ago; ended is ended all the same.
    assert [r["points"] for r in record(*(visit(f"b-{i}", f"m{i}") for i in range(4, 8)))] \
        == [0] * 4


def test_a_queued_activity_completes_a_quest_that_rewards_a_generated_voucher(instance):
    """The activity-queue function issues the reward's voucher, so it reads the code key:
    its role, and the key's own policy, must let it (the instance fixture checks every
    call it made against template.yaml)."""
    from kado.local.sqs import activity_message, sqs_event
    from tests.bundle.test_bundle import PRODUCT

    program = new_program()
    now = datetime.now(UTC)
    marketing = {"sub": "marketing", "program": program, "role": "admin"}
    console = instance("AdminApiFunction")
    assert call(console, ADMIN, marketing, PRODUCT)["upsertVoucherProduct"]["errors"] == []
    assert call(console, ADMIN, marketing, ENROL)["upsertLoyaltySettings"]["errors"] == []
    quest = {"id": "visits", "name": "One training", "timezone": "UTC",
             "startsAt": (now - timedelta(days=1)).isoformat(),
             "endsAt": (now + timedelta(days=30)).isoformat(),
             "steps": [{"id": "t", "name": "Training", "activityType": "TRAINING_COMPLETED",
                        "targetCount": 1}],
             "reward": {"productId": "coffee"}}
    assert call(console, ADMIN, marketing, UPSERT, {"i": quest})["upsertQuest"]["errors"] == []
    assert call(console, ADMIN, marketing, LAUNCH)["launchQuest"]["errors"] == []
    ingest = instance("ActivityIngestFunction")
    answer = ingest.invoke(sqs_event([activity_message(program, visit("q-1", "ann"))]))
    assert answer["response"] == {"batchItemFailures": []}
    mine = call(instance("MemberApiFunction"), "/member/graphql",
                {"sub": "ann", "program": program}, "{ myVouchers { nodes { status } } }")
    assert mine["myVouchers"]["nodes"] == [{"status": "ACTIVE"}]

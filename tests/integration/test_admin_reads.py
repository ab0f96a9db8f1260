"""What the console reads: the roster, companies, merchants, a voucher by code or id with
its ledger, a campaign day by day (players, refusals by reason); and references to
unknown things refused when a definition is written."""

from __future__ import annotations

from kado.api.schemas import admin as admin_api
from kado.api.schemas import member as member_api
from kado.domain.campaigns.rules import Eligibility, Limits
from kado.domain.errors import ErrorCode
from kado.domain.events.rules import EventEligibility
from kado.domain.quests import QuestReward
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.events import definitions as event_service
from kado.services.kernel import loyalty_definitions
from kado.services.quests import definitions as quests
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import redemptions
from tests import support
from tests.scenarios.event_scenarios import dealer_night
from tests.scenarios.points_scenarios import LADDER
from tests.scenarios.quest_scenarios import new_range
from tests.scenarios.voucher_scenarios import refused, shop, won_voucher
from tests.support import admin, execute, key, member, new_program, till


def test_the_roster_companies_and_merchants_are_listed():
    program = new_program()
    support.accounts(program, "acme", "globex")
    members.upsert_member(program, "bob", "globex", "STANDARD")
    members.upsert_member(program, "alice", "acme", "STANDARD")
    members.me(member(program, "carol"))  # opened the app: on the roster too
    shop(program, "cafe", "deli")
    data = execute(admin_api.schema, """{ members { nodes { id accountId } }
        accounts { nodes { id giftPolicy } } merchants { nodes { id name } } }""",
                   admin(program))
    assert data["members"]["nodes"] == [{"id": "alice", "accountId": "acme"},
                                        {"id": "bob", "accountId": "globex"},
                                        {"id": "carol", "accountId": None}]
    assert [a["id"] for a in data["accounts"]["nodes"]] == ["acme", "globex"]
    assert data["merchants"]["nodes"] == [{"id": "cafe", "name": "Cafe"},
                                          {"id": "deli", "name": "Deli"}]


def test_a_voucher_is_found_by_code_or_id_with_its_ledger_and_the_members_history():
    program = new_program()
    shop(program)
    won = won_voucher(program)
    redemptions.redeem(till(program), won.code or "", None, key(), None)
    query = """query($c: String, $i: String) { voucher(code: $c, id: $i) { id memberId status
        ledger { event actor actorRole } } }"""
    by_code = execute(admin_api.schema, query, admin(program), {"c": won.formatted_code})
    by_id = execute(admin_api.schema, query, admin(program), {"i": won.id})
    assert by_code == by_id
    assert by_code["voucher"]["status"] == "REDEEMED"
    assert [(e["event"], e["actorRole"]) for e in by_code["voucher"]["ledger"]] == [
        ("ISSUED", "member"), ("REDEEMED", "merchant")]
    assert execute(admin_api.schema, query, admin(program), {"i": "v-unknown"})["voucher"] \
        is None
    alice = execute(admin_api.schema, """{ member(id: "alice") { vouchers { nodes { id } }
        spins { nodes { campaignId idempotencyKey won } } } }""", admin(program))["member"]
    assert alice["vouchers"]["nodes"] == [{"id": won.id}]
    assert [s["won"] for s in alice["spins"]["nodes"]] == [True]
    # The till hears when and where it went.
    again = refused(ErrorCode.ALREADY_REDEEMED,
                    lambda: redemptions.redeem(till(program), won.code or "", None, key(), None))
    assert "by merchant cafe" in again.message


def test_a_campaign_day_by_day_counts_players_once_and_refusals_by_reason():
    program = new_program()
    c = support.campaign("wheel", prizes=support.sure_win(None),
                         limits=Limits(per_member_per_day=2))
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    for who in ("alice", "alice", "bob"):
        spins.play(member(program, who), c.id, key())
    refused(ErrorCode.DAILY_LIMIT_REACHED,
            lambda: spins.play(member(program, "alice"), c.id, key()))
    campaigns.pause(program, c.id)
    refused(ErrorCode.CAMPAIGN_NOT_LIVE, lambda: spins.play(member(program, "bob"), c.id, key()))
    [day] = execute(admin_api.schema, """{ campaign(id: "wheel") { stats { days {
        day spins wins players refusals { reason count } } } } }""",
                    admin(program))["campaign"]["stats"]["days"]
    assert (day["spins"], day["wins"], day["players"]) == (3, 3, 2)
    assert sorted((r["reason"], r["count"]) for r in day["refusals"]) == [
        ("CAMPAIGN_NOT_LIVE", 1), ("DAILY_LIMIT_REACHED", 1)]


def test_my_spins_without_a_campaign_lists_every_campaign_with_its_key():
    program = new_program()
    for campaign_id in ("one", "two"):
        campaigns.upsert(program, support.campaign(campaign_id, prizes=support.sure_loss()))
        campaigns.launch(program, campaign_id)
    keys = [key(), key()]
    spins.play(member(program), "one", keys[0])
    spins.play(member(program), "two", keys[1])
    mine = execute(member_api.schema, "{ mySpins { nodes { campaignId idempotencyKey } } }",
                   member(program))["mySpins"]["nodes"]
    assert mine == [{"campaignId": "two", "idempotencyKey": keys[1]},
                    {"campaignId": "one", "idempotencyKey": keys[0]}]


def test_references_to_unknown_things_are_refused_and_nothing_is_stored():
    program = new_program()
    loyalty_definitions.upsert_ladder(program, LADDER)
    refusal = refused(ErrorCode.NOT_FOUND,
                      lambda: members.upsert_member(program, "alice", "nobody", "STANDARD"))
    assert refusal.field == "accountId"
    assert members.get_member(program, "alice") is None
    assert refused(ErrorCode.NOT_FOUND, lambda: members.upsert_member(
        program, "alice", None, "platinum")).field == "tier"
    assert refused(ErrorCode.NOT_FOUND, lambda: campaigns.upsert(program, support.campaign(
        eligibility=Eligibility(account_ids=("nobody",))))).field == "eligibility.accountIds[0]"
    assert refused(ErrorCode.NOT_FOUND, lambda: campaigns.upsert(program, support.campaign(
        eligibility=Eligibility(tiers=("platinum",))))).field == "eligibility.tiers[0]"
    refused(ErrorCode.NOT_FOUND, lambda: campaigns.get(program, "wheel"))  # nothing stored
    assert refused(ErrorCode.NOT_FOUND, lambda: voucher_admin.upsert_product(
        program, support.product(merchant_ids=("nowhere",)))).field == "merchantIds[0]"
    assert refused(ErrorCode.NOT_FOUND, lambda: quests.upsert(program, new_range(
        reward=QuestReward(product_id="nothing")))).field == "reward.productId"
    assert refused(ErrorCode.NOT_FOUND, lambda: event_service.upsert(
        program, dealer_night(eligibility=EventEligibility(account_ids=("nobody",))))
    ).field == "eligibility.accountIds[0]"
    errors = execute(admin_api.schema, """mutation { upsertMember(input: {id: "alice",
        accountId: "nobody"}) { member { id } errors { code field } } }""",
                     admin(program))["upsertMember"]["errors"]
    assert errors == [{"code": "NOT_FOUND", "field": "accountId"}]


def test_the_tier_ladder_is_read_as_defined_with_the_period_it_counts_in():
    program = new_program()
    assert execute(admin_api.schema, "{ tierLadder { version } }", admin(program)) == {
        "tierLadder": None}
    loyalty_definitions.upsert_ladder(program, LADDER)
    ladder = execute(admin_api.schema, """{ tierLadder { metric window level currentPeriod
        tiers { id threshold pointsMultiplier } } }""", admin(program))["tierLadder"]
    assert (ladder["metric"], ladder["window"], ladder["level"]) == (
        LADDER.metric.value, LADDER.window.value, "MEMBER")
    assert [(t["id"], t["threshold"]) for t in ladder["tiers"]] == [
        (t.id, t.threshold) for t in LADDER.tiers]
    assert len(ladder["currentPeriod"]) == 4  # a calendar year: 2026


def test_a_finished_days_players_are_counted_once_and_kept(monkeypatch):
    from datetime import timedelta

    from kado.domain.calendar import utcnow
    from kado.store.campaigns import days as campaign_days

    program = new_program()
    c = support.campaign("wheel", prizes=support.sure_loss(), timezone="UTC")
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    for who in ("alice", "bob", "alice"):
        spins.play(member(program, who), c.id, key())
    today = utcnow().date().isoformat()
    [live] = campaigns.days(program, campaigns.get(program, c.id))
    assert (live.day, live.players) == (today, 2)
    assert campaign_days.counted_players(program, c.id, [today]) == {}  # not over: not kept
    later = utcnow() + timedelta(days=1)
    support.test_clock(monkeypatch, later)
    [past] = campaigns.days(program, campaigns.get(program, c.id))
    assert past.players == 2
    assert campaign_days.counted_players(program, c.id, [today]) == {today: 2}
    refused(ErrorCode.INVALID_INPUT, lambda: campaigns.days(program, c, last=0))

"""Spin scenarios, run both on moto (integration) and on DynamoDB Local (conformance)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kado.api.schemas import admin as admin_api
from kado.api.schemas import member as member_api
from kado.domain.campaigns import draw
from kado.domain.campaigns.rules import Eligibility, Limits, Prize, PrizeKind
from kado.domain.errors import ErrorCode
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.members import GiftPolicy
from kado.store.campaigns import definitions as campaign_store
from kado.store.campaigns import spins as spin_store
from tests import support
from tests.support import admin, execute, key, member, new_program, refused

SPIN = """mutation($i: SpinInput!) { spin(input: $i) {
  spin { id campaignId won outcome drawnPrizeId prize { id name kind } }
  errors { code message field } } }"""


def launched(program, c):
    campaigns.upsert(program, c)
    return campaigns.launch(program, c.id)


def test_spin_through_graphql_records_one_spin_and_a_retry_returns_it():
    program = new_program()
    launched(program, support.campaign(prizes=support.sure_win(5)))
    variables = {"i": {"campaignId": "wheel", "idempotencyKey": "first-spin-1"}}
    first = execute(member_api.schema, SPIN, member(program), variables)["spin"]
    again = execute(member_api.schema, SPIN, member(program), variables)["spin"]
    assert first["errors"] == [] and first["spin"]["won"] is True
    assert first["spin"]["prize"] == {"id": "gift", "name": "Gift", "kind": "ITEM"}
    assert again == first
    c = campaigns.get(program, "wheel")
    assert sum(campaign_store.stock_left(program, c, "gift")) == 4
    stats = campaigns.stats(program, c)
    assert (stats.spins, stats.wins) == (1, 1)


def test_retry_after_limit_reached_still_returns_the_first_outcome():
    program = new_program()
    launched(program, support.campaign(limits=Limits(per_member_total=1)))
    k = key()
    first = spins.play(member(program), "wheel", k)
    assert spins.play(member(program), "wheel", k) == first
    refused(ErrorCode.TOTAL_LIMIT_REACHED, lambda: spins.play(member(program), "wheel", key()))


def test_the_same_key_for_another_campaign_is_refused_as_reused():
    program = new_program()
    launched(program, support.campaign("one"))
    launched(program, support.campaign("two"))
    k = key()
    spins.play(member(program), "one", k)
    error = refused(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    lambda: spins.play(member(program), "two", k))
    assert error.field == "idempotencyKey"


def test_out_of_stock_draw_is_a_recorded_no_win():
    program = new_program()
    launched(program, support.campaign(prizes=support.sure_win(1)))
    won = spins.play(member(program, "a"), "wheel", key())
    lost = spins.play(member(program, "b"), "wheel", key())
    assert won.won and won.outcome == "WON"
    assert not lost.won and lost.outcome == "OUT_OF_STOCK" and lost.drawn_prize_id == "gift"
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert (stats.spins, stats.wins, stats.out_of_stock) == (2, 1, 1)
    assert stats.prizes[0].stock_left == 0


def test_daily_limit_resets_at_local_midnight(monkeypatch):
    program = new_program()
    start = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
    c = replace(support.campaign(limits=Limits(per_member_per_day=2), timezone="Europe/Paris"),
                starts_at=start, ends_at=start + timedelta(days=5))
    launched(program, c)
    # 23:30 in Paris
    clock = support.test_clock(monkeypatch, datetime(2026, 1, 14, 22, 30, tzinfo=UTC))
    spins.play(member(program), "wheel", key())
    spins.play(member(program), "wheel", key())
    refused(ErrorCode.DAILY_LIMIT_REACHED, lambda: spins.play(member(program), "wheel", key()))
    clock["at"] = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # midnight in Paris
    assert spins.play(member(program), "wheel", key()).campaign_id == "wheel"


def test_campaign_must_be_live_and_open():
    program = new_program()
    campaigns.upsert(program, support.campaign("draft"))
    refused(ErrorCode.CAMPAIGN_NOT_LIVE, lambda: spins.play(member(program), "draft", key()))
    launched(program, support.campaign("later", starts_in=timedelta(days=1)))
    refused(ErrorCode.CAMPAIGN_NOT_LIVE, lambda: spins.play(member(program), "later", key()))
    launched(program, support.campaign("paused"))
    campaigns.pause(program, "paused")
    refused(ErrorCode.CAMPAIGN_NOT_LIVE, lambda: spins.play(member(program), "paused", key()))
    campaigns.launch(program, "paused")
    assert spins.play(member(program), "paused", key()).campaign_id == "paused"
    refused(ErrorCode.NOT_FOUND, lambda: spins.play(member(program), "missing", key()))


def test_bad_input_changes_nothing():
    program = new_program()
    launched(program, support.campaign())
    for bad_key in ("short", "x" * 129, "spaces are bad", ""):
        refused(ErrorCode.INVALID_INPUT, lambda k=bad_key: spins.play(member(program), "wheel", k))
    refused(ErrorCode.INVALID_INPUT, lambda: spins.play(member(program), "wh eel", key()))
    assert campaigns.stats(program, campaigns.get(program, "wheel")).spins == 0


def test_eligibility_by_tier_allowlist_and_account():
    program = new_program()
    members.upsert_member(program, "gold", None, "GOLD")
    members.upsert_member(program, "plain", None, "STANDARD")
    launched(program, support.campaign("gold-only", eligibility=Eligibility(tiers=("GOLD",))))
    assert spins.play(member(program, "gold"), "gold-only", key())
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program, "plain"), "gold-only",
                                                       key()))
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program, "newbie"), "gold-only",
                                                       key()))
    launched(program, support.campaign("pilot", eligibility=Eligibility(member_ids=("gold",))))
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program, "plain"), "pilot", key()))
    support.accounts(program, "acme", "globex")
    launched(program, support.campaign("acme", eligibility=Eligibility(account_ids=("acme",))))
    members.upsert_member(program, "moved", "globex", "STANDARD")
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program, "moved"), "acme",
                                                       key()))
    # A member the program never placed in a company is in none, whatever they claim.
    refused(ErrorCode.NOT_ELIGIBLE, lambda: spins.play(member(program, "fresh"), "acme",
                                                       key()))
    members.upsert_member(program, "fresh", "acme", "STANDARD")
    assert spins.play(member(program, "fresh"), "acme", key())


def test_a_company_that_declines_gifts_is_honoured():
    program = new_program()
    members.upsert_account(program, "strict", "Strict Ltd", GiftPolicy.DECLINES)
    members.upsert_member(program, "carol", "strict", "STANDARD")
    launched(program, support.campaign())
    refused(ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
            lambda: spins.play(member(program, "carol"), "wheel", key()))
    # Even a token without the account claim cannot slip past the policy.
    refused(ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
            lambda: spins.play(member(program, "carol"), "wheel", key()))
    members.upsert_account(program, "strict", "Strict Ltd", GiftPolicy.ACCEPTS)
    assert spins.play(member(program, "carol"), "wheel", key())


def test_launch_freezes_odds_but_allows_restock():
    program = new_program()
    c = launched(program, support.campaign(prizes=support.sure_win(2)))
    heavier = replace(c, prizes=(replace(c.prizes[0], weight=5),))
    refused(ErrorCode.ODDS_FROZEN, lambda: campaigns.upsert(program, heavier))
    fewer = replace(c, prizes=(replace(c.prizes[0], stock=1),))
    refused(ErrorCode.ODDS_FROZEN, lambda: campaigns.upsert(program, fewer))
    for _ in range(2):
        assert spins.play(member(program, key()), "wheel", key()).won
    assert spins.play(member(program, key()), "wheel", key()).outcome == "OUT_OF_STOCK"
    campaigns.upsert(program, replace(c, prizes=(replace(c.prizes[0], stock=5),)))
    assert spins.play(member(program, key()), "wheel", key()).won
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert stats.prizes[0].stock_left == 2 and stats.wins == 3


def test_admin_graphql_reports_paths_and_lifecycle():
    program = new_program()
    upsert = """mutation($c: CampaignInput!) { upsertCampaign(input: $c) {
      campaign { id status } errors { code field message } } }"""
    bad = {"id": "w", "name": "W", "startsAt": "2026-01-01T00:00:00Z",
           "endsAt": "2027-01-01T00:00:00Z", "timezone": "Europe/Paris",
           "prizes": [{"id": "a", "name": "A", "kind": "ITEM", "weight": 1, "stock": 3},
                      {"id": "b", "name": "B", "kind": "NONE", "weight": 0}]}
    result = execute(admin_api.schema, upsert, admin(program), {"c": bad})["upsertCampaign"]
    assert result["campaign"] is None
    assert {"code": "INVALID_INPUT", "field": "prizes[1].weight",
            "message": "must be > 0"} in result["errors"]
    bad["prizes"][1]["weight"] = 3
    ok = execute(admin_api.schema, upsert, admin(program), {"c": bad})["upsertCampaign"]
    assert ok == {"campaign": {"id": "w", "status": "DRAFT"}, "errors": []}
    launch = execute(admin_api.schema, 'mutation { launchCampaign(id: "w") { campaign { status '
                     "serverSeedHash serverSeed } errors { code } } }", admin(program))
    launched_campaign = launch["launchCampaign"]["campaign"]
    assert launched_campaign["status"] == "LIVE" and launched_campaign["serverSeed"] is None
    twice = execute(admin_api.schema, 'mutation { launchCampaign(id: "w") { errors { code } } }',
                    admin(program))
    assert twice["launchCampaign"]["errors"] == [{"code": "INVALID_TRANSITION"}]


def test_programs_cannot_see_each_other():
    mine, theirs = new_program(), new_program()
    launched(mine, support.campaign("secret"))
    refused(ErrorCode.NOT_FOUND, lambda: spins.play(member(theirs), "secret", key()))
    query = '{ campaign(id: "secret") { id } campaigns { nodes { id } } }'
    assert execute(member_api.schema, query, member(theirs)) == {
        "campaign": None, "campaigns": {"nodes": []}}
    assert execute(admin_api.schema, query, admin(theirs)) == {
        "campaign": None, "campaigns": {"nodes": []}}


def test_member_sees_eligible_live_campaigns_with_published_odds_and_own_spins():
    program = new_program()
    launched(program, support.campaign("open"))
    launched(program, support.campaign("pilot", eligibility=Eligibility(member_ids=("bob",))))
    campaigns.upsert(program, support.campaign("draft"))
    spins.play(member(program), "open", key())
    query = """{ me { id tier } campaigns { nodes { id serverSeedHash serverSeed
                   prizes { id probability limitedStock } odds { totalWeight outOfStockRule } } }
                 mySpins(campaignId: "open", first: 5) { nodes { campaignId } } }"""
    data = execute(member_api.schema, query, member(program))
    assert data["me"] == {"id": "alice", "tier": "STANDARD"}
    [open_campaign] = data["campaigns"]["nodes"]
    assert open_campaign["id"] == "open" and open_campaign["serverSeed"] is None
    assert [p["probability"] for p in open_campaign["prizes"]] == [0.3, 0.7]
    assert open_campaign["odds"]["totalWeight"] == 100
    assert "no-win" in open_campaign["odds"]["outOfStockRule"]
    assert data["mySpins"]["nodes"] == [{"campaignId": "open"}]


def test_my_spins_pages_with_cursors():
    program = new_program()
    launched(program, support.campaign(prizes=support.sure_loss()))
    made = {spins.play(member(program), "wheel", key()).id for _ in range(5)}
    seen, after = [], None
    while True:
        found, page = spins.my_spins(member(program), "wheel", 2, after)
        seen += [s.id for s in found]
        if not page.has_next:
            break
        after = page.end_cursor
    assert len(seen) == 5 and set(seen) == made
    refused(ErrorCode.INVALID_INPUT, lambda: spins.my_spins(member(program), "wheel", 101, None))
    other = new_program()
    launched(other, support.campaign(prizes=support.sure_loss()))
    refused(ErrorCode.INVALID_INPUT,
            lambda: spins.my_spins(member(other), "wheel", 2, after))


def test_ended_campaign_reveals_a_seed_that_reproduces_every_spin():
    program = new_program()
    prizes = (Prize("a", "A", PrizeKind.ITEM, 1, None), Prize("b", "B", PrizeKind.ITEM, 2, 3),
              Prize("n", "None", PrizeKind.NONE, 3, None))
    launched(program, support.campaign(prizes=prizes))
    players = [f"m{i}" for i in range(6)]
    for name in players:
        for _ in range(4):
            spins.play(member(program, name), "wheel", key())
    ended = campaigns.end_campaign(program, "wheel")
    assert ended.server_seed is not None
    assert draw.seed_hash(ended.server_seed) == ended.server_seed_hash
    weights = [p.weight for p in prizes]
    recorded = [s for name in players for s in spin_store.list_all(program, name, "wheel")]
    assert len(recorded) == 24
    for s in recorded:
        n = draw.draw_number(ended.server_seed, "wheel", s["memberId"], s["idempotencyKey"])
        drawn = prizes[draw.pick_index(weights, n)]
        assert s["drawnPrizeId"] == drawn.id
        assert s["won"] == (drawn.kind is PrizeKind.ITEM and s["outcome"] == "WON")
    assert sum(1 for s in recorded if s.get("prizeId") == "b") <= 3

"""Companies climbing one ladder on all their members' activity (level ACCOUNT), run both
on moto (integration) and DynamoDB Local (conformance)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kado.domain import tiers
from kado.domain.activities import Activity, Money
from kado.domain.errors import ErrorCode
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.handlers import admin_api, member_api
from kado.services import members as member_service
from kado.services.activities import recording as activities
from kado.services.campaigns import spins
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import rewards
from kado.services.tiers import company_standing
from kado.services.tiers import lapses as tier_lapses
from kado.services.tiers import member_standing as standing_service
from kado.store import activities as activity_store
from kado.store import ledger as store
from kado.store import tiers as company_tiers
from kado.store.kernel import item_keys as keys
from kado.store.kernel.reads import get_one
from tests.scenarios.points_scenarios import (
    LADDER,
    _tier_campaign,
    clock,
    loyal_program,
    purchase,
    record,
)
from tests.scenarios.voucher_scenarios import refused
from tests.support import admin, execute, key, member

COMPANY_LADDER = replace(LADDER, level=tiers.Level.ACCOUNT)


@pytest.fixture(autouse=True)
def fresh_company_views():
    company_standing._views.clear()  # each test starts as a new Lambda instance would


def company_program(*staff: str, account: str = "acme",
                    ladder: tiers.Ladder = COMPANY_LADDER) -> str:
    program = loyal_program(ladder)
    member_service.upsert_account(program, account, "Acme", member_service.GiftPolicy.ACCEPTS)
    for member_id in staff:
        member_service.upsert_member(program, member_id, account, "blue")
    return program


def changes(program: str, account: str = "acme") -> list[tuple[str, str]]:
    page = company_tiers.changes_page(program, account, 100, None)
    return sorted((c["tier"], c["previous"]) for c in page.items)


def company_tier(program: str, now: datetime, account: str = "acme") -> str:
    return standing_service.company(program, account, now)[0]


def test_a_company_climbs_on_all_its_members_activity_and_they_take_its_tier(monkeypatch):
    program = company_program("alice", "bob")
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    [first] = record(program, purchase("A-1", 300, datetime(2026, 5, 1, tzinfo=UTC)))
    assert first.upgraded_to is None
    [second] = record(program, purchase("B-1", 300, datetime(2026, 5, 2, tzinfo=UTC),
                                        member="bob"))
    assert second.upgraded_to == "silver"  # 600 together; neither alone reached 500
    assert changes(program) == [("silver", "blue")]
    alice = store.get_member(program, "alice") or {}
    assert (alice.get("progress"), alice["tier"]) == (None, "blue")  # nothing of her own
    now = datetime(2026, 6, 1, tzinfo=UTC)
    held = standing_service.standing_of(program, alice, now)
    assert held.tier == "silver" and held.progress is not None
    assert (held.progress.value, held.progress.next_tier, held.progress.needed) == \
        (600, "gold", 1400)
    # Silver's multiplier (125%) now applies to every member's earnings.
    [more] = record(program, purchase("A-2", 100, datetime(2026, 5, 3, tzinfo=UTC)))
    assert more.points == 125


def test_a_member_without_a_company_climbs_alone(monkeypatch):
    program = company_program("alice")
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    [solo] = record(program, purchase("C-1", 600, datetime(2026, 5, 1, tzinfo=UTC),
                                      member="carol"))
    assert solo.upgraded_to == "silver"
    assert (store.get_member(program, "carol") or {})["tier"] == "silver"
    assert company_tier(program, datetime(2026, 6, 1, tzinfo=UTC)) == "blue"


def test_members_play_on_the_company_tier_until_the_exact_moment_it_lapses(monkeypatch):
    program = company_program("alice", "bob")
    now = clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("A-1", 1200, datetime(2026, 2, 1, tzinfo=UTC)),
           purchase("B-1", 1300, datetime(2026, 2, 2, tzinfo=UTC), member="bob"))
    _tier_campaign(program, "gold-wheel", ("gold",))
    assert spins.play(member(program, "alice"), "gold-wheel", key()).outcome == "NO_PRIZE"
    now["at"] = datetime(2027, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 in Vienna
    assert spins.play(member(program, "bob"), "gold-wheel", key()).outcome == "NO_PRIZE"
    now["at"] = datetime(2027, 12, 31, 23, 0, tzinfo=UTC)  # midnight, and no job has run
    refused(ErrorCode.NOT_ELIGIBLE,
            lambda: spins.play(member(program, "alice"), "gold-wheel", key()))
    # A member of no company is judged on their own tier, as before.
    refused(ErrorCode.NOT_ELIGIBLE,
            lambda: spins.play(member(program, "carol"), "gold-wheel", key()))


def test_a_declining_company_still_declines_gifts_whatever_its_tier(monkeypatch):
    program = company_program("alice")
    now = clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("A-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    member_service.upsert_account(program, "acme", "Acme", member_service.GiftPolicy.DECLINES)
    assert company_tier(program, now["at"]) == "gold"  # the policy upsert kept the tier
    _tier_campaign(program, "gold-wheel", ("gold",))
    refused(ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
            lambda: spins.play(member(program, "alice"), "gold-wheel", key()))


def _unsettled(monkeypatch):
    """Activities credit the company but never settle it: as if the instance that made the
    crossing credit stopped right after its commit."""
    monkeypatch.setattr(company_standing, "credited", lambda *_args: None)


def test_a_crossing_nobody_settled_is_found_where_the_tier_is_used(monkeypatch):
    program = company_program("alice", "bob")
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    record(program, purchase("A-1", 1000, datetime(2026, 5, 1, tzinfo=UTC)))
    _unsettled(monkeypatch)
    [crossing] = record(program, purchase("B-1", 1500, datetime(2026, 5, 2, tzinfo=UTC),
                                          member="bob"))
    assert crossing.upgraded_to is None
    assert company_tiers.read(program, "acme").tier == "silver"  # stored: behind
    _tier_campaign(program, "gold-wheel", ("gold",))
    assert spins.play(member(program, "alice"), "gold-wheel", key()).outcome == \
        "NO_PRIZE"
    assert changes(program) == [("gold", "silver"), ("silver", "blue")]
    assert company_tiers.read(program, "acme").tier == "gold"


def test_a_gold_reward_settles_the_company_once_and_pays(monkeypatch):
    program = company_program("alice", "bob")
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    loyalty_definitions.upsert_reward(program, Reward("lounge", "Lounge", 100,
                                                      RewardKind.ITEM, tiers=("gold",)))
    _unsettled(monkeypatch)
    record(program, purchase("A-1", 1000, datetime(2026, 5, 1, tzinfo=UTC)),
           purchase("B-1", 1500, datetime(2026, 5, 2, tzinfo=UTC), member="bob"))
    done = rewards.redeem(member(program, "bob"), "lounge", key())
    assert done.balance_after == 1400
    assert changes(program) == [("gold", "blue")]
    refused(ErrorCode.NOT_ELIGIBLE,
            lambda: rewards.redeem(member(program, "carol"), "lounge", key()))


def test_the_tidy_up_settles_companies_and_a_second_run_changes_nothing(monkeypatch):
    program = company_program("alice", "bob")
    clock(monkeypatch, datetime(2026, 3, 1, tzinfo=UTC))
    record(program, purchase("A-1", 2500, datetime(2026, 2, 1, tzinfo=UTC)))
    _unsettled(monkeypatch)
    for account, name in (("globex", "Globex"), ("initech", "Initech")):
        member_service.upsert_account(program, account, name,
                                      member_service.GiftPolicy.ACCEPTS)
    record(program, purchase("B-1", 900, datetime(2026, 2, 1, tzinfo=UTC), member="bob",
                             account_id="globex"))
    moment = datetime(2026, 3, 2, tzinfo=UTC)
    assert tier_lapses.tidy(program, moment) == 1  # globex's silver; acme already settled
    assert tier_lapses.tidy(program, moment) == 0
    lapse = datetime(2028, 1, 1, tzinfo=UTC)  # both lapse at the end of 2027, in Vienna
    assert tier_lapses.tidy(program, lapse) == 2
    assert tier_lapses.tidy(program, lapse) == 0
    assert changes(program) == [("blue", "gold"), ("gold", "blue")]
    assert changes(program, "globex") == [("blue", "silver"), ("silver", "blue")]
    assert (company_tier(program, lapse), company_tier(program, lapse, "initech")) == \
        ("blue", "blue")


def test_an_activity_for_an_unknown_company_is_refused_and_changes_nothing(monkeypatch):
    program = company_program("alice")
    [unknown] = record(program, purchase("U-1", 900, datetime.now(UTC), account_id="nobody"))
    assert unknown.error.code is ErrorCode.NOT_FOUND
    assert unknown.error.field == "activities[0].accountId"
    assert activity_store.get_activity(program, "U-1") is None
    assert company_tiers.read(program, "nobody").progress == {}


def test_a_return_takes_company_credit_back_from_its_purchase_period(monkeypatch):
    program = company_program("alice")
    now = clock(monkeypatch, datetime(2027, 1, 10, tzinfo=UTC))
    record(program, purchase("P-1", 600, datetime(2026, 12, 20, tzinfo=UTC)))  # late: 2026
    [back] = record(program, Activity("R-1", "alice", "RETURN", now["at"],
                                      amount=Money(20_000, "EUR"), returns="P-1"))
    assert back.points == -200
    held = company_tiers.read(program, "acme")
    assert held.progress == {"2026": 400}
    # The silver reached in 2026 holds: a return never takes a tier back before its lapse.
    assert company_tier(program, now["at"]) == "silver"


def test_the_ladder_level_cannot_change_under_members(monkeypatch):
    program = company_program("alice")
    refused(ErrorCode.LADDER_IN_USE,
            lambda: loyalty_definitions.upsert_ladder(program, LADDER))


def test_the_admin_api_shows_a_company_standing_and_its_changes(monkeypatch):
    program = company_program("alice")
    clock(monkeypatch, datetime.now(UTC))
    record(program, purchase("A-1", 600, datetime.now(UTC)))
    result = execute(admin_api.schema, """{ companyStanding(accountId: "acme") {
        accountId tier tierProgress { value nextTier needed }
        tierChanges { nodes { tier previous reason } } } }""", admin(program))
    standing = result["companyStanding"]
    assert (standing["tier"], standing["tierProgress"]["value"]) == ("silver", 600)
    assert [c["tier"] for c in standing["tierChanges"]["nodes"]] == ["silver"]
    mine = execute(member_api.schema, "{ me { tier companyStanding { tier } } }",
                   member(program, "alice"))["me"]
    assert mine == {"tier": "silver", "companyStanding": {"tier": "silver"}}


def test_activities_spread_a_company_over_its_progress_shards(monkeypatch):
    program = company_program("alice")
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    batch = [purchase(f"S-{i}", 1, datetime(2026, 5, 1, tzinfo=UTC)) for i in range(40)]
    assert all(r.outcome == "RECORDED" for r in activities.record(admin(program), batch))
    touched = [s for s in range(8) if get_one(keys.company_progress(program, "acme", s))]
    assert len(touched) >= 4  # 40 credits on 8 shards: no one item takes them all
    assert company_tiers.read(program, "acme").progress == {"2026": 40}

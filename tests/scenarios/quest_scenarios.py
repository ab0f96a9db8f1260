"""Quests moved by activities: steps, streaks, rewards once, returns and versions, on moto
(integration) and DynamoDB Local (conformance). Times run on a fake clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kado.domain.activities import Activity, Money
from kado.domain.errors import ErrorCode
from kado.domain.quests import (
    Enrollment,
    Period,
    Quest,
    QuestReward,
    QuestStatus,
    Repeat,
    Step,
    Streak,
)
from kado.handlers import member_api
from kado.services.campaigns import definitions as campaigns
from kado.services.ledger import holders
from kado.services.quests import definitions as quests
from kado.services.vouchers import catalogue as voucher_admin
from kado.store import ledger as store
from kado.store import quests as quest_store
from tests import support
from tests.scenarios.points_scenarios import (  # noqa: F401 - autouse: a new instance each
    fresh_instance,
    loyal_program,
    purchase,
    record,
)
from tests.scenarios.voucher_scenarios import refused
from tests.support import member

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday


@pytest.fixture
def now(monkeypatch):
    return support.test_clock(monkeypatch, T0)


def new_range(**more) -> Quest:
    """Order from the new range three times, and complete the product training."""
    terms = {"id": "new-range", "name": "New range", "timezone": "Europe/Vienna",
             "starts_at": datetime(2026, 1, 1, tzinfo=UTC),
             "ends_at": datetime(2028, 1, 1, tzinfo=UTC),
             "steps": (Step("orders", "Order from the new range", "PURCHASE",
                            tags=("new-range",), target_count=3),
                       Step("training", "Product training", "TRAINING_COMPLETED",
                            target_count=1)),
             "reward": QuestReward(points=500, badge="pioneer")}
    return Quest(**{**terms, **more})


def live(program: str, q: Quest) -> Quest:
    quests.upsert(program, q)
    return quests.move(program, q.id, QuestStatus.LIVE)


def order(external_id: str, at: datetime, member_id: str = "alice", euros: int = 10):
    return purchase(external_id, euros, at, member=member_id, tags=("new-range",))


def training(external_id: str, at: datetime, member_id: str = "alice") -> Activity:
    return Activity(external_id, member_id, "TRAINING_COMPLETED", at)


def progress(program: str, quest_id: str = "new-range", cycle: str = "once",
             member_id: str = "alice") -> dict:
    [item] = quest_store.progress_of(program, member_id, [(quest_id, cycle)])
    return item or {}


def balance(program: str, member_id: str = "alice") -> int:
    return store.wallet_of(store.get_member(program, member_id) or {}).balance


def badges(program: str, member_id: str = "alice") -> list[str]:
    return [b["badge"] for b in quest_store.badges_page(program, member_id, 50, None).items]


def test_a_quest_completes_with_its_last_step_and_rewards_once(now):
    program = loyal_program(ladder=None)  # 1 point per euro
    live(program, new_range())
    record(program, order("O-1", T0), order("O-2", T0))
    assert progress(program)["windows"] == {"all": {"orders": 2}}
    [trained] = record(program, training("T-1", T0))
    assert trained.points == 0
    [last] = record(program, order("O-3", T0))
    assert last.points == 10 + 500  # the reward rides on the completing activity
    assert (progress(program)["status"], badges(program)) == ("COMPLETED", ["pioneer"])
    [more] = record(program, order("O-4", T0))
    assert more.points == 10  # done: nothing more this cycle
    assert balance(program) == 540
    entries = store.ledger_page(program, "alice", 10, None).items
    assert entries[1]["reason"].endswith("quest new-range completed")


def test_ordered_steps_count_one_after_another(now):
    program = loyal_program(ladder=None)
    live(program, new_range(ordered=True, steps=(
        Step("training", "Training first", "TRAINING_COMPLETED", target_count=1),
        Step("orders", "Then order", "PURCHASE", tags=("new-range",), target_count=1))))
    record(program, order("O-1", T0))
    assert progress(program) == {}  # the order came before its step
    record(program, training("T-1", T0), order("O-2", T0))
    assert progress(program)["status"] == "COMPLETED"


def test_amount_targets_and_a_voucher_reward(now):
    program = loyal_program(ladder=None)
    voucher_admin.upsert_product(program, support.product("thanks"))
    live(program, new_range(steps=(Step("spend", "Spend 100 EUR", "PURCHASE",
                                        target_amount=10_000),),
                            reward=QuestReward(product_id="thanks")))
    record(program, purchase("P-1", 60, T0))
    [done] = record(program, purchase("P-2", 50, T0))
    assert done.points == 50 and progress(program)["status"] == "COMPLETED"
    owned = support.execute(member_api.schema, "{ myVouchers { nodes { product { name } } } }",
                            member(program))["myVouchers"]["nodes"]
    assert len(owned) == 1


def test_a_return_before_completion_takes_progress_back(now):
    program = loyal_program(ladder=None)
    live(program, new_range(steps=(Step("spend", "Spend 100 EUR", "PURCHASE",
                                        target_amount=10_000),
                                   Step("orders", "Two orders", "PURCHASE", target_count=2))))
    record(program, purchase("P-1", 80, T0))
    back = Activity("R-1", "alice", "RETURN", T0, amount=Money(2_000, "EUR"), returns="P-1")
    record(program, back)
    assert progress(program)["windows"] == {"all": {"spend": 6_000, "orders": 1}}
    rest = Activity("R-2", "alice", "RETURN", T0, amount=Money(6_000, "EUR"), returns="P-1")
    record(program, rest)  # returned in full: the order no longer counts
    assert progress(program)["windows"] == {"all": {"spend": 0, "orders": 0}}


def test_after_completion_a_return_leaves_the_reward(now):
    program = loyal_program(ladder=None)
    live(program, new_range(steps=(Step("spend", "Spend 50", "PURCHASE", target_amount=5_000),),
                            reward=QuestReward(points=100)))
    record(program, purchase("P-1", 50, T0))
    record(program, Activity("R-1", "alice", "RETURN", T0, amount=Money(5_000, "EUR"),
                             returns="P-1"))
    assert progress(program)["status"] == "COMPLETED" and balance(program) == 100


def test_opt_in_quests_count_only_for_members_who_joined(now):
    program = loyal_program(ladder=None)
    live(program, new_range(enrollment=Enrollment.OPT_IN))
    record(program, order("O-1", T0))
    assert progress(program) == {}
    quests.join(member(program), "new-range", "join-key-0001")
    quests.join(member(program), "new-range", "join-key-0002")  # joined already
    record(program, order("O-2", T0))
    assert progress(program)["windows"] == {"all": {"orders": 1}}


def test_editing_a_live_quest_changes_nobodys_progress(now):
    program = loyal_program(ladder=None)
    q = live(program, new_range())
    record(program, order("O-1", T0))
    harder = quests.upsert(program, replace(q, steps=(replace(q.steps[0], target_count=5),
                                                      q.steps[1])))
    assert harder.version == 2
    assert progress(program)["version"] == 1
    record(program, order("O-2", T0), order("O-3", T0), training("T-1", T0))
    assert progress(program)["status"] == "COMPLETED"  # alice finished on version 1
    record(program, order("B-1", T0, "bob"), order("B-2", T0, "bob"), order("B-3", T0, "bob"),
           training("BT-1", T0, "bob"))
    bob = progress(program, member_id="bob")
    assert (bob["version"], bob["status"]) == (2, "ACTIVE")  # bob started on version 2


def _weekly(program: str) -> Quest:
    return live(program, new_range(steps=(Step("order", "An order", "PURCHASE",
                                               target_count=1),),
                                   streak=Streak(Period.WEEK, 3),
                                   reward=QuestReward(points=300)))


def test_a_weekly_streak_across_the_year_boundary_completes(now):
    program = loyal_program(ladder=None)
    _weekly(program)
    vienna_weeks = [datetime(2026, 12, 27, 22, 30, tzinfo=UTC),  # Sun 23:30: 2026-W52
                    datetime(2026, 12, 31, 9, tzinfo=UTC),  # 2026-W53
                    datetime(2027, 1, 4, 9, tzinfo=UTC)]  # 2027-W01
    now["at"] = vienna_weeks[-1]
    results = record(program, *[purchase(f"W-{i}", 1, at) for i, at in enumerate(vienna_weeks)])
    assert [r.points for r in results] == [1, 1, 301]


def test_a_missed_week_breaks_the_streak_and_late_activity_mends_it(now):
    program = loyal_program(ladder=None)
    _weekly(program)
    weeks = [T0, T0 + timedelta(days=14), T0 + timedelta(days=21)]  # W10, W12, W13
    now["at"] = weeks[-1]
    record(program, *[purchase(f"W-{i}", 1, at) for i, at in enumerate(weeks)])
    assert progress(program)["status"] == "ACTIVE"  # W11 missed: a run of 2
    [late] = record(program, purchase("W-late", 1, T0 + timedelta(days=9)))  # in W11
    assert late.points == 301 and progress(program)["status"] == "COMPLETED"


def test_daily_streaks_count_local_days_across_the_dst_change(now):
    program = loyal_program(ladder=None)
    live(program, new_range(steps=(Step("visit", "A visit", "SURVEY_COMPLETED",
                                        target_count=1),),
                            streak=Streak(Period.DAY, 3), reward=QuestReward(points=30)))
    # Vienna moves to summer time on 2026-03-29: 00:30 local on three days in a row.
    days = [datetime(2026, 3, 27, 23, 30, tzinfo=UTC), datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 22, 30, tzinfo=UTC)]
    now["at"] = days[-1]
    results = record(program, *[Activity(f"D-{i}", "alice", "SURVEY_COMPLETED", at)
                                for i, at in enumerate(days)])
    assert [r.points for r in results] == [50, 50, 80]  # the rule's 50, then the reward


def test_a_per_period_quest_rewards_once_each_month(now):
    program = loyal_program(ladder=None)
    live(program, new_range(steps=(Step("order", "An order", "PURCHASE", target_count=1),),
                            repeat=Repeat.PER_PERIOD, period=Period.MONTH,
                            reward=QuestReward(points=20)))
    now["at"] = T0 + timedelta(days=31)
    results = record(program, purchase("M-1", 1, T0), purchase("M-2", 1, T0),
                     purchase("M-3", 1, T0 + timedelta(days=31)))
    assert [r.points for r in results] == [21, 1, 21]


def test_one_activity_completes_every_live_quest_a_program_may_run(now):
    from kado.domain.quests import MAX_LIVE_QUESTS
    from kado.services import members as member_service
    from kado.store.campaigns import spin_credits

    program = loyal_program(ladder=None)
    support.accounts(program, "acme")
    member_service.upsert_member(program, "alice", "acme", "STANDARD")
    voucher_admin.upsert_product(program, support.product("thanks"))
    campaigns.upsert(program, support.campaign("wheel"))
    # The worst case for the transaction: each quest completes with every kind of reward.
    full = QuestReward(points=5, product_id="thanks", badge="pioneer",
                       spin_campaign_id="wheel", spin_credits=1)
    first_order = (Step("orders", "Order once", "PURCHASE", tags=("new-range",),
                        target_count=1),)
    for i in range(MAX_LIVE_QUESTS):
        live(program, new_range(id=f"q-{i}", steps=first_order, reward=full))
    quests.upsert(program, new_range(id="one-more"))
    refused(ErrorCode.QUEST_LIMIT_REACHED,
            lambda: quests.move(program, "one-more", QuestStatus.LIVE))
    [many] = record(program, order("O-1", T0))  # one activity completes them all at once
    assert (many.outcome, many.points) == ("RECORDED", 10 + 5 * MAX_LIVE_QUESTS)
    assert all(progress(program, f"q-{i}")["status"] == "COMPLETED"
               for i in range(MAX_LIVE_QUESTS))
    assert len(badges(program)) == MAX_LIVE_QUESTS
    [credits] = spin_credits.of_member(program, "alice").items
    assert credits[spin_credits.LEFT] == MAX_LIVE_QUESTS  # one grant for the campaign


def test_members_see_quests_progress_badges_and_the_board(now):
    from kado.handlers import admin_api

    program = loyal_program(ladder=None)
    live(program, new_range())
    record(program, order("O-1", T0), order("O-2", T0), order("O-3", T0), training("T-1", T0))
    record(program, order("B-1", T0, "bob"))
    mine = support.execute(member_api.schema, """{ quests { id progressStatus
        steps { id value targetCount } reward { points badge } returnsAfterCompletion }
        badges { nodes { badge questId } } leaderboard(questId: "new-range") {
        rank memberId score } }""", member(program))
    assert mine["quests"] == [{"id": "new-range", "progressStatus": "COMPLETED",
                               "steps": [{"id": "orders", "value": 3, "targetCount": 3},
                                         {"id": "training", "value": 1, "targetCount": 1}],
                               "reward": {"points": 500, "badge": "pioneer"},
                               "returnsAfterCompletion": "REWARD_STANDS"}]
    assert mine["badges"]["nodes"] == [{"badge": "pioneer", "questId": "new-range"}]
    assert mine["leaderboard"] == [{"rank": 1, "memberId": "alice", "score": 1000},
                                   {"rank": 2, "memberId": "bob", "score": 166}]
    listed = support.execute(admin_api.schema, "{ quests { nodes { id version status } } }",
                             support.admin(program))["quests"]["nodes"]
    assert listed == [{"id": "new-range", "version": 1, "status": "LIVE"}]


def test_eligibility_is_judged_on_the_member_on_file_even_for_an_activity_worth_nothing(now):
    from kado.domain.quests import QuestEligibility
    from kado.services import members as member_service

    program = loyal_program(ladder=None)  # no rule for trainings: they earn nothing
    support.accounts(program, "acme")
    member_service.upsert_member(program, "alice", "acme", "STANDARD")
    live(program, new_range(steps=(Step("training", "Training", "TRAINING_COMPLETED",
                                        target_count=2),),
                            eligibility=QuestEligibility(account_ids=("acme",))))
    holders.clear()  # an instance that never saw alice
    [first] = record(program, training("T-1", T0))
    assert first.points == 0
    assert progress(program)["windows"] == {"all": {"training": 1}}
    record(program, training("B-1", T0, "bob"))  # bob has no company: not his quest
    assert progress(program, member_id="bob") == {}

"""Leaderboards of a quest and of the tier ladder, of members and of companies, on moto
(integration) and DynamoDB Local (conformance)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from kado.domain.activities import Activity, Money
from kado.domain.errors import ErrorCode
from kado.domain.quests import Step
from kado.handlers import admin_api, member_api
from kado.services import members as member_service
from kado.services.tiers import lapses as tier_lapses
from kado.store import leaderboards as boards
from kado.store.kernel import item_keys as keys
from tests import support
from tests.scenarios import quest_scenarios
from tests.scenarios.company_tier_scenarios import (  # noqa: F401 - autouse fixture
    company_program,
    fresh_company_views,
)
from tests.scenarios.points_scenarios import clock, loyal_program, purchase, record
from tests.scenarios.quest_scenarios import T0, live, new_range, order

now = quest_scenarios.now  # the quests' fake clock fixture

BOARD = """query($q: String, $ladder: Boolean!, $of: BoardOf!, $period: String,
               $first: Int!) {
  leaderboard(questId: $q, ladder: $ladder, of: $of, period: $period, first: $first) {
    rank memberId accountId score } }"""


def board(program: str, *, quest: str | None = None, of: str = "MEMBERS",
          period: str | None = None, first: int = 10,
          schema=member_api.schema) -> list[tuple]:
    principal = support.member(program) if schema is member_api.schema else \
        support.admin(program)
    rows = support.execute(schema, BOARD, principal, {
        "q": quest, "ladder": quest is None, "of": of, "period": period,
        "first": first})["leaderboard"]
    return [(r["rank"], r["memberId"] or r["accountId"], r["score"]) for r in rows]


def staffed(program: str, **companies: tuple[str, ...]) -> None:
    support.accounts(program, *companies)
    for account, staff in companies.items():
        for member_id in staff:
            member_service.upsert_member(program, member_id, account, "STANDARD")


def test_a_quest_ranks_its_members_and_their_companies(now):
    program = loyal_program(ladder=None)
    staffed(program, acme=("alice", "carol"), globex=("bob",))
    live(program, new_range(steps=(Step("orders", "Order twice", "PURCHASE",
                                        tags=("new-range",), target_count=2),)))
    for minute, member_id in enumerate(("bob", "carol", "alice")):  # globex first
        now["at"] = T0 + timedelta(minutes=minute)
        record(program, order(f"{member_id}-1", T0, member_id),
               order(f"{member_id}-2", T0, member_id))
    record(program, order("D-1", T0, "dave"))  # no company: on the members' board only
    companies = board(program, quest="new-range", of="COMPANIES")
    assert companies == [(1, "acme", 2), (2, "globex", 1)], companies
    members = board(program, quest="new-range")
    assert [m[2] for m in members] == [1000, 1000, 1000, 500]
    assert [m[1] for m in members] == ["bob", "carol", "alice", "dave"]  # first there first
    # The admin reads the same board.
    assert board(program, quest="new-range", of="COMPANIES", schema=admin_api.schema) == [
        (1, "acme", 2), (2, "globex", 1)]


def test_the_ladder_ranks_members_by_their_metric_in_the_period(monkeypatch):
    program = loyal_program()  # points earned in the calendar year
    clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    may = datetime(2026, 5, 1, tzinfo=UTC)
    record(program, purchase("A-1", 300, may), purchase("B-1", 500, may, member="bob"),
           purchase("C-1", 100, may, member="carol"), purchase("A-2", 250, may))
    assert board(program) == [(1, "alice", 550), (2, "bob", 500), (3, "carol", 100)]
    record(program, Activity("R-1", "alice", "RETURN", may, amount=Money(10_000, "EUR"),
                             returns="A-2"))
    assert board(program) == [(1, "bob", 500), (2, "alice", 450), (3, "carol", 100)]
    assert board(program, period="2025") == []  # another period's board


def test_the_ladder_ranks_companies_after_a_settle_or_the_tidy_up(monkeypatch):
    program = company_program("alice", "bob")
    staffed(program, globex=("gina",))
    moment = clock(monkeypatch, datetime(2026, 6, 1, tzinfo=UTC))
    may = datetime(2026, 5, 1, tzinfo=UTC)
    record(program, purchase("A-1", 300, may), purchase("B-1", 300, may, member="bob"))
    # 600 crossed Silver: the settle that wrote it posted the company.
    assert board(program, of="COMPANIES") == [(1, "acme", 600)]
    record(program, purchase("G-1", 100, may, member="gina"),
           purchase("B-2", 50, may, member="bob"))  # no crossing: not posted yet
    assert board(program, of="COMPANIES") == [(1, "acme", 600)]
    tier_lapses.tidy(program, moment["at"])  # the hourly tidy-up posts every company
    ranked = board(program, of="COMPANIES")
    # bob's 50 euros earned 62 points at Silver's 125 %: the ladder counts points earned.
    assert ranked == [(1, "acme", 662), (2, "globex", 100)], ranked


def test_a_board_of_many_is_exact_from_its_shards():
    program = support.new_program()
    name = boards.ladder_members(program, "2026")
    scores = {f"m-{i:03d}": random.randrange(0, 50) for i in range(240)}
    for i, (member_id, score) in enumerate(scores.items()):
        boards.place(keys.ladder_member_entry(program, member_id, "2026"), name, member_id,
                     score, 1_000_000 + i)
    expected = sorted(scores.items(), key=lambda kv: (-kv[1], list(scores).index(kv[0])))
    assert [(e.entrant, e.score) for e in boards.top(name, 25)] == expected[:25]


def test_a_board_names_a_quest_or_the_ladder_and_a_real_period(now):
    program = loyal_program(ladder=None)
    alice = support.member(program)
    wrong = support.refusal(member_api.schema, "{ leaderboard { rank } }", alice)
    assert wrong["code"] == ErrorCode.INVALID_INPUT.value
    no_ladder = support.refusal(member_api.schema, "{ leaderboard(ladder: true) { rank } }",
                                alice)
    assert no_ladder["code"] == ErrorCode.NOT_FOUND.value
    live(program, new_range())
    odd = support.refusal(member_api.schema,
                          '{ leaderboard(questId: "new-range", period: "X#1") { rank } }',
                          alice)
    assert (odd["code"], odd["field"]) == (ErrorCode.INVALID_INPUT.value, "period")
    for period in ("2026-03-02", "2026-W09", "2026-Q1", "2026"):  # every cycle key's shape
        assert board(program, quest="new-range", period=period) == []

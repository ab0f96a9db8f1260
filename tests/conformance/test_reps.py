"""Sales reps on DynamoDB Local, with real parallel awards."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.errors import DomainError, ErrorCode
from kado.domain.reps import Rep, RepLimits
from kado.services import budgets, members, reps
from kado.services.members import GiftPolicy
from tests.scenarios.rep_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.rep_scenarios import POINT_VALUE, lan, points, rep_program
from tests.support import admin, key, like_a_client, refused


def _award_all(program: str, people: list[str], each: int) -> list[str]:
    def award(who: str) -> str:
        k = key()
        try:
            like_a_client(lambda: reps.award(lan(program), who, each, "DISPLAY", None, k))
            return "ok"
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(award, people))


def _people(program: str, count: int) -> list[str]:
    people = [f"r{n:02d}" for n in range(count)]
    for n, who in enumerate(people):
        members.upsert_member(program, who, ("acme", "globex")[n % 2], "STANDARD")
    return people


def test_40_parallel_awards_never_overrun_the_rep_budget():
    program = rep_program(budget_amount=25 * 10 * POINT_VALUE, per_rep=100_000)
    people = _people(program, 40)
    outcomes = _award_all(program, people, 10)
    assert outcomes.count("ok") == 25 and outcomes.count("BUDGET_EXHAUSTED") == 15
    assert sum(points(program, who) for who in people) == 250
    state = budgets.state(program, budgets.get(program, "lan-budget"))
    assert (state.spent, state.left) == (250 * POINT_VALUE, 0)


def test_40_parallel_awards_never_pass_the_rep_limit():
    program = rep_program(budget_amount=10**9, per_award=50, per_member=50, per_rep=300)
    people = _people(program, 40)
    outcomes = _award_all(program, people, 50)
    assert outcomes.count("ok") == 6 and outcomes.count("REP_LIMIT_REACHED") == 34
    assert sum(points(program, who) for who in people) == 300


def test_a_distributors_rep_reaches_its_retailers_until_one_moves_away():
    program = rep_program()
    for account, parent in (("north", None), ("south", None), ("shop-n", "north"),
                            ("shop-s", "south")):
        members.upsert_account(program, account, account, GiftPolicy.ACCEPTS, parent)
    members.upsert_member(program, "dan", "shop-n", "STANDARD")
    members.upsert_member(program, "eve", "shop-s", "STANDARD")
    reps.upsert(admin(program), Rep("lan", "Lan", ("north",), "lan-budget", ("DISPLAY",),
                                    RepLimits(200, 500, 2_000)))
    reps.award(lan(program), "dan", 30, "DISPLAY", None, key())  # shop-n is under north
    refused(ErrorCode.FORBIDDEN, lambda: reps.award(lan(program), "eve", 30, "DISPLAY", None,
                                                    key()))
    members.upsert_account(program, "shop-n", "shop-n", GiftPolicy.ACCEPTS, "south")
    refused(ErrorCode.FORBIDDEN, lambda: reps.award(lan(program), "dan", 30, "DISPLAY", None,
                                                    key()))
    assert (points(program, "dan"), points(program, "eve")) == (30, 0)

"""Sales reps, on moto (integration) and DynamoDB Local (conformance): awards within scope,
reasons and limits, paid from the rep's budget; the record decides the scope."""

from __future__ import annotations

from kado.domain.budgets import Budget, Period
from kado.domain.errors import ErrorCode
from kado.domain.principal import Principal, Role
from kado.domain.reps import Rep, RepLimits
from kado.services import budgets, members, reps
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments
from kado.store import ledger
from tests.support import accounts, admin, key, new_program, refused

POINT_VALUE = 1_000  # 1.000 ₫ a point


def rep_program(budget_amount: int = 1_000_000, per_award: int = 200,
                per_member: int = 500, per_rep: int = 2_000) -> str:
    """Rep Lan covers acme and globex (not initech), from a monthly budget."""
    program = new_program()
    accounts(program, "acme", "globex", "initech")
    for who, company in (("ann", "acme"), ("ben", "globex"), ("cat", "initech")):
        members.upsert_member(program, who, company, "STANDARD")
    adjustments.save_settings(program, loyalty_definitions.Settings(
        point_value=POINT_VALUE, point_currency="VND"))
    budgets.create(program, Budget(id="lan-budget", name="Lan", currency="VND",
                                   amount=budget_amount, period=Period.MONTH,
                                   timezone="Asia/Ho_Chi_Minh", shards=4), "m", "reps")
    reps.upsert(admin(program), Rep("lan", "Lan", ("acme", "globex"), "lan-budget",
                                    ("DISPLAY", "NEW_SKU"), RepLimits(per_award, per_member,
                                                                      per_rep)))
    return program


def lan(program: str) -> Principal:
    return Principal(Role.REP, program, "lan")


def points(program: str, who: str) -> int:
    return (ledger.get_member(program, who) or {}).get("points", 0)


def test_a_rep_awards_in_scope_for_a_listed_reason_once_per_request():
    program = rep_program()
    k = key()
    done = reps.award(lan(program), "ann", 150, "DISPLAY", "shelf at the front", k)
    assert (done.points, done.balance_after) == (150, 150)
    assert reps.award(lan(program), "ann", 150, "DISPLAY", "shelf at the front", k) == done
    refused(ErrorCode.IDEMPOTENCY_KEY_REUSED, lambda: reps.award(
        lan(program), "ann", 10, "DISPLAY", None, k))
    refused(ErrorCode.FORBIDDEN, lambda: reps.award(lan(program), "cat", 10, "DISPLAY", None,
                                                    key()))  # initech is not Lan's
    assert refused(ErrorCode.INVALID_INPUT, lambda: reps.award(
        lan(program), "ben", 10, "BIRTHDAY", None, key())).field == "reason"
    assert refused(ErrorCode.INVALID_INPUT, lambda: reps.award(
        lan(program), "ben", 201, "DISPLAY", None, key())).field == "points"  # per award
    assert (points(program, "ann"), points(program, "cat")) == (150, 0)
    [line] = [e for e in ledger.ledger_page(program, "ann", 10, None).items
              if e["source"] == "REP_AWARD"]
    assert (line["actor"], line["reason"]) == ("lan", "DISPLAY: shelf at the front")
    [award] = reps.awards(program, "lan", 10, None).items
    assert (award["memberId"], award["accountId"], award["points"]) == ("ann", "acme", 150)
    standing = reps.standing(program, "lan")
    assert (standing.given, standing.budget_left) == (150, 1_000_000 - 150 * POINT_VALUE)


def test_limits_per_member_and_per_rep_are_named_when_reached():
    program = rep_program(per_award=200, per_member=300, per_rep=450)
    reps.award(lan(program), "ann", 200, "DISPLAY", None, key())
    over = refused(ErrorCode.REP_LIMIT_REACHED, lambda: reps.award(
        lan(program), "ann", 150, "DISPLAY", None, key()))
    assert "perMemberPerPeriod" in over.message and "leaves 100" in over.message
    reps.award(lan(program), "ann", 100, "DISPLAY", None, key())
    reps.award(lan(program), "ben", 150, "NEW_SKU", None, key())
    over = refused(ErrorCode.REP_LIMIT_REACHED, lambda: reps.award(
        lan(program), "ben", 10, "NEW_SKU", None, key()))
    assert "perRepPerPeriod" in over.message
    assert points(program, "ann") + points(program, "ben") == 450


def test_the_record_decides_the_scope_a_company_move_and_a_deactivation_bind_at_once():
    program = rep_program()
    reps.award(lan(program), "ben", 10, "DISPLAY", None, key())
    members.upsert_member(program, "ben", "initech", "STANDARD")  # ben moved company
    refused(ErrorCode.FORBIDDEN, lambda: reps.award(lan(program), "ben", 10, "DISPLAY", None,
                                                    key()))
    reps.upsert(admin(program), Rep("lan", "Lan", ("acme",), "lan-budget", ("DISPLAY",),
                                    RepLimits(200, 500, 2_000), active=False))
    refused(ErrorCode.FORBIDDEN, lambda: reps.award(lan(program), "ann", 10, "DISPLAY", None,
                                                    key()))
    assert points(program, "ben") == 10 and points(program, "ann") == 0


def test_the_rep_budget_is_never_overrun():
    program = rep_program(budget_amount=250 * POINT_VALUE)
    reps.award(lan(program), "ann", 200, "DISPLAY", None, key())
    spent = refused(ErrorCode.BUDGET_EXHAUSTED, lambda: reps.award(
        lan(program), "ben", 100, "DISPLAY", None, key()))
    assert "lan-budget" in spent.message
    assert points(program, "ben") == 0
    reps.award(lan(program), "ben", 50, "DISPLAY", None, key())
    assert reps.standing(program, "lan").budget_left == 0


def test_an_admin_reverses_an_award_once_and_its_points_cost_and_counts_go_back():
    program = rep_program(per_member=300)
    done = reps.award(lan(program), "ann", 200, "DISPLAY", None, key())
    k = key()
    back = reps.reverse(admin(program), done.id, "wrong store", k)
    assert (back.points, back.balance_after) == (-200, 0)
    assert reps.reverse(admin(program), done.id, "wrong store", k).points == -200  # retried
    refused(ErrorCode.ALREADY_REVERSED, lambda: reps.reverse(admin(program), done.id,
                                                             "again", key()))
    assert points(program, "ann") == 0
    standing = reps.standing(program, "lan")
    assert (standing.given, standing.budget_left) == (0, 1_000_000)
    reps.award(lan(program), "ann", 200, "DISPLAY", None, key())  # the member's limit is free
    [line] = [e for e in ledger.ledger_page(program, "ann", 10, None).items
              if e["source"] == "REP_AWARD_REVERSED"]
    assert (line["delta"], line["actor"]) == (-200, "marketing")


def test_an_award_already_spent_is_not_reversed_below_zero():
    program = rep_program()
    done = reps.award(lan(program), "ann", 100, "DISPLAY", None, key())
    adjustments.adjust(admin(program), "ann", -60, "spent at the counter", key())
    refused(ErrorCode.INSUFFICIENT_POINTS, lambda: reps.reverse(admin(program), done.id,
                                                                "wrong store", key()))
    assert points(program, "ann") == 40

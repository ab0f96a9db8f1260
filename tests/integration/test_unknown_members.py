"""One rule, per program, for a member not on file: REFUSE (the default) answers NOT_FOUND
at the line and writes nothing; ENROL records the activity and puts the member on the
roster in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from kado.domain.errors import DomainError, ErrorCode
from kado.services import members
from kado.services.kernel import loyalty_definitions
from kado.services.ledger import holders
from kado.services.loyalty import adjustments
from kado.store import activities as activity_store
from kado.store import ledger as store
from tests.scenarios.points_scenarios import purchase, record
from tests.support import admin, new_program


def earning_program(unknown: loyalty_definitions.UnknownMembers) -> str:
    program = new_program()
    loyalty_definitions.upsert_rule(program, loyalty_definitions.earning.EarningRule(
        "per-euro", "Per euro", "PURCHASE", points_per_unit=1))
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        unknown_members=unknown))
    return program


def roster(program: str) -> list[str]:
    return [m.id for m in members.members_page(program, 100, None)[0]]


def test_by_default_a_typo_earns_nothing_and_says_so():
    program = earning_program(loyalty_definitions.UnknownMembers.REFUSE)
    members.upsert_member(program, "alice", None, "STANDARD")
    holders.clear()  # a fresh instance: it knows neither member
    [typo, real] = record(program, purchase("T-1", 40, datetime.now(UTC), member="nobody-here"),
                          purchase("T-2", 40, datetime.now(UTC), member="alice"))
    assert (typo.error.code, typo.error.field) == (ErrorCode.NOT_FOUND, "activities[0].memberId")
    assert real.outcome == "RECORDED" and real.points == 40
    assert store.get_member(program, "nobody-here") is None
    assert activity_store.get_activity(program, "T-1") is None
    try:
        adjustments.adjust(admin(program), "nobody-here", 10, "welcome", "adj-typo-0001")
        raise AssertionError("an adjustment for nobody was applied")
    except DomainError as refused:
        assert (refused.code, refused.field) == (ErrorCode.NOT_FOUND, "memberId")
    assert store.get_member(program, "nobody-here") is None
    assert roster(program) == ["alice"]


def test_with_enrol_the_first_activity_puts_the_member_on_the_roster():
    program = earning_program(loyalty_definitions.UnknownMembers.ENROL)
    holders.clear()
    [first] = record(program, purchase("E-1", 25, datetime.now(UTC), member="newcomer"))
    assert first.outcome == "RECORDED" and first.points == 25
    assert roster(program) == ["newcomer"]
    holders.clear()  # another instance, not knowing the member: enrols nothing twice
    [second] = record(program, purchase("E-2", 5, datetime.now(UTC), member="newcomer"))
    assert second.outcome == "RECORDED" and roster(program) == ["newcomer"]
    assert store.wallet_of(store.get_member(program, "newcomer") or {}).balance == 30

"""DynamoDB fails right after a mutation's transaction commits (a botocore hook, as a
failing proxy would): every effect is in that transaction or owed by it, and the retry
with the same key completes it once; nothing is missing, nothing is doubled."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from kado.domain.loyalty.earning import EarningRule
from kado.domain.referrals import ReferralStatus
from kado.services import referrals
from kado.services.events import check_in
from kado.services.kernel import loyalty_definitions
from kado.store import referrals as referral_store
from kado.store.kernel.client import dynamodb
from tests.scenarios.event_scenarios import STARTS, _ticket, published
from tests.scenarios.event_scenarios import now as event_clock  # noqa: F401 - fixture
from tests.scenarios.event_scenarios import register as register_for_event
from tests.scenarios.points_scenarios import fresh_instance, ledger, loyal_program  # noqa: F401
from tests.scenarios.referral_scenarios import (  # noqa: F401 - fixture
    NOW,
    balance,
    buy,
    clock,
    record,
    referral_program,
)
from tests.scenarios.referral_scenarios import register as register_referral
from tests.support import key, till


@contextmanager
def outage_after_next_commit(calls: int = 50):
    """Every DynamoDB call fails from the moment the next transaction commits, `calls`
    times: the answer to the caller is lost, what committed stands."""
    state: dict[str, Any] = {"armed": False, "left": calls}

    def committed(parsed: dict[str, Any], **_: Any) -> None:
        if "Error" not in parsed:
            state["armed"] = True

    def fail(**_: Any) -> None:
        if state["armed"] and state["left"] > 0:
            state["left"] -= 1
            raise EndpointConnectionError(endpoint_url="https://dynamodb.invalid")

    events = dynamodb().meta.events
    events.register("after-call.dynamodb.TransactWriteItems", committed, unique_id="commit")
    events.register_first("before-call.dynamodb", fail, unique_id="outage")
    try:
        yield state
    finally:
        events.unregister("after-call.dynamodb.TransactWriteItems", unique_id="commit")
        events.unregister("before-call.dynamodb", unique_id="outage")


def test_a_check_in_cut_short_after_its_commit_has_earned_its_attendance_once(
        event_clock):  # noqa: F811 - the fixture
    program = loyal_program(ladder=None)
    loyalty_definitions.upsert_rule(program, EarningRule("attend", "Attend", "EVENT_ATTENDED",
                                                         fixed_points=250))
    published(program)
    register_for_event(program, "ann")
    event_clock["at"] = STARTS - timedelta(minutes=30)
    door, ticket, scan_key = till(program), _ticket(program, "ann"), key()
    with outage_after_next_commit() as state, pytest.raises(EndpointConnectionError):
        check_in.check_in(door, "dealer-night", ticket, scan_key)
    assert state["armed"]
    assert [e["delta"] for e in ledger(program, "ann")] == [250]  # in the same transaction
    done = check_in.check_in(door, "dealer-night", ticket, scan_key)  # the retry
    assert done.member_id == "ann" and done.checked_in_at == event_clock["at"]
    assert [e["delta"] for e in ledger(program, "ann")] == [250]


def test_a_purchase_cut_short_after_its_commit_still_qualifies_and_pays_once(
        clock):  # noqa: F811 - the fixture
    program, code = referral_program()
    register_referral(program, code)
    clock["at"] = NOW + timedelta(hours=2)
    purchase = buy("GX-1", 600, NOW + timedelta(hours=1))
    with outage_after_next_commit() as state, pytest.raises(EndpointConnectionError):
        record(program, purchase)
    assert state["armed"]
    qualified = referral_store.get(program, "globex") or {}
    assert qualified["status"] == ReferralStatus.QUALIFIED  # in the purchase's transaction
    assert balance(program, "gina") == 600  # the referred member's 100 is still owed
    [again] = record(program, purchase)  # the partner resends it, as the contract says
    assert again.outcome == "DUPLICATE"
    assert balance(program, "gina") == 700
    record(program, purchase)
    assert balance(program, "gina") == 700
    # The hold passes: the advocate is paid by the timers, the referred not again.
    clock["at"] = NOW + timedelta(days=15)
    assert referrals.settle(program, clock["at"]) == 1
    assert (balance(program, "gina"), balance(program, "alice")) == (700, 400)

"""The member's profile item stays the same size however many campaigns and days they play.

Every spin writes the profile, at 2 WCU per KB; an attribute per campaign-day would
make each spin dearer and end at DynamoDB's 400 KB item limit.
"""

from __future__ import annotations

from datetime import date, timedelta

from kado.domain.eligibility import DEFAULT_TIER
from kado.store.campaigns import spins as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import TTL_ATTRIBUTE
from tests.support import key, new_program

RULES = store.MemberRules(account_id=None, tiers=(), default_tier=DEFAULT_TIER, per_day=3,
                          per_total=1000)


def _spin(program: str, campaign_id: str, day: str) -> store.SpinRecord:
    k = key()
    return store.SpinRecord(program=program, spin_id=k, campaign_id=campaign_id,
                            member_id="alice", idempotency_key=k,
                            created_at=f"{day}T10:00:00+00:00", day=day, drawn_prize_id="none",
                            won_prize_id=None, outcome="NO_PRIZE", stock_shard=None, stat_shard=0)


def _size(item: dict) -> int:
    return sum(len(name) + len(str(value)) for name, value in item.items())


def test_60_campaign_days_leave_the_profile_as_it_was_after_the_first():
    """Six campaigns over ten days prove it as well as 500 would: the profile does not
    change at all after the first spin, so it cannot grow with more."""
    program = new_program()
    first_day = date(2026, 1, 1)
    store.record(_spin(program, "c0", first_day.isoformat()), RULES)
    profile_after_one = get_one(keys.member(program, "alice"))
    for i in range(1, 60):  # 6 campaigns, 10 days each
        day = (first_day + timedelta(days=i % 10)).isoformat()
        store.record(_spin(program, f"c{i // 10}", day), RULES)
    profile = get_one(keys.member(program, "alice"))
    assert profile == profile_after_one and _size(profile) < 200
    # The counters that enforce the limits are on their own items; day counters expire.
    assert get_one(keys.spins_played(program, "alice", "c5"))[store.PLAYED] == 10
    day_counter = get_one(keys.spins_played_on(program, "alice", "c5", "2026-01-10"))
    assert day_counter[store.PLAYED] == 1
    assert day_counter[TTL_ATTRIBUTE] == 1768003200 + 400 * 86400  # 2026-01-10 + 400 days

"""A campaign's holdout: the same member always in the same group, groups balanced as a fair
coin makes them, and no member able to pick theirs (the groups follow a secret seed)."""

from __future__ import annotations

import secrets

from kado.domain.campaigns.holdout import held_out

MEMBERS = [f"member-{n}" for n in range(100_000)]


def test_a_tenth_held_out_of_100000_members_is_a_tenth_within_a_percent():
    seed = secrets.token_hex(32)
    out = [m for m in MEMBERS if held_out(seed, "spring", m, 10)]
    # Within 0.3 points of 10 % (three standard deviations of a fair draw): far inside the
    # 1 % the reports need.
    assert abs(len(out) / len(MEMBERS) - 0.10) < 0.003
    assert out == [m for m in MEMBERS if held_out(seed, "spring", m, 10)]  # always the same


def test_the_groups_follow_the_secret_seed_and_the_campaign_not_the_member():
    first, second = secrets.token_hex(32), secrets.token_hex(32)
    sample = MEMBERS[:20_000]
    in_first = {m for m in sample if held_out(first, "spring", m, 50)}
    in_second = {m for m in sample if held_out(second, "spring", m, 50)}
    in_autumn = {m for m in sample if held_out(first, "autumn", m, 50)}
    # Independent draws: about half of one group is in the other, whichever changed.
    for other in (in_second, in_autumn):
        assert 0.45 < len(in_first & other) / len(in_first) < 0.55
    assert not any(held_out(first, "spring", m, 0) for m in sample)

"""A campaign's holdout: a share of its eligible members who are not offered it, so its
effect can be measured against them (the reports' ROI).

A member is held out by a keyed hash of the campaign's server seed, the campaign and the
member: the same member is always in the same group, the groups are as balanced as a fair
coin makes them, and nobody can pick their group, since the seed is secret until the
campaign ends (then it is revealed, and anyone can check the groups as they can the draw).
"""

from __future__ import annotations

import hashlib
import hmac

MAX_PERCENT = 50
SCALE = 10_000  # basis points: a holdout of 12.5 % is expressible later without a change


def held_out(server_seed: str, campaign_id: str, member_id: str, percent: int) -> bool:
    if percent <= 0:
        return False
    digest = hmac.new(server_seed.encode("ascii"),
                      f"holdout:{campaign_id}:{member_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") * SCALE >> 64 < percent * SCALE // 100

"""Splitting hot counters so a flash campaign never overloads one DynamoDB item.

One item absorbs at most 1,000 WCU/s, i.e. 500 transactional writes/s. We
plan for half of that, because shards are picked at random and a random pick
is uneven: at 10,000 spins/s a prize won with probability p is written

    10,000 * p / shards  times per second per shard,

so shards = ceil(10,000 * p / 250), never more than the stock itself (every
shard holds at least one unit).
"""

from __future__ import annotations

import hashlib
import math
import secrets

FLASH_SPINS_PER_S = 10_000
ITEM_TRANSACT_WRITES_PER_S = 500
# Half the item limit: headroom for the unevenness of random shard choice.
TARGET_WRITES_PER_S = ITEM_TRANSACT_WRITES_PER_S // 2
MAX_SHARDS = math.ceil(FLASH_SPINS_PER_S / TARGET_WRITES_PER_S)
# Campaign statistics are touched by every spin, won or lost.
STAT_SHARDS = MAX_SHARDS
# A company's gift policy is checked by every spin of its members, and a
# ConditionCheck is billed and throttled like a write: one big company's staff
# spinning at once would make a single policy item the hottest key.
ACCOUNT_POLICY_SHARDS = MAX_SHARDS
# A company wallet takes every earning of its staff: 8 shards carry about 2,000
# movements a second at the target rate, far past one company's ERP feed.
COMPANY_WALLET_SHARDS = 8
# A company's tier progress takes the same feed as its wallet, so the same split.
COMPANY_PROGRESS_SHARDS = COMPANY_WALLET_SHARDS
# Every activity checks one copy of its program's live-quest gate: as hot as the stats.
QUEST_GATE_COPIES = MAX_SHARDS


def stock_shard_count(win_probability: float, stock: int) -> int:
    wanted = math.ceil(FLASH_SPINS_PER_S * win_probability / TARGET_WRITES_PER_S)
    return max(1, min(wanted, stock, MAX_SHARDS))


def split_stock(stock: int, shards: int) -> list[int]:
    """Spread stock as evenly as possible; earlier shards take the remainder."""
    base, extra = divmod(stock, shards)
    return [base + (1 if i < extra else 0) for i in range(shards)]


def pick_shard(shards: int) -> int:
    return secrets.randbelow(shards)


# A shard that a name always lands on, so the item can be found again by the name alone
# (a member's registration, a leaderboard entrant's score, a campaign's player mark). Two
# formulas, because items already stored are keyed by each: moving a kind of item to the
# other formula would lose what it holds (a registration, a score, a player counted once).
# A new kind of item takes `stable_shard`.
def stable_shard(name: str, shards: int) -> int:
    """The whole SHA-256 of the name, modulo the shard count (registrations, lapses)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest(), "big") % shards


def stable_shard_by_first_byte(name: str, shards: int) -> int:
    """The first byte of the name's SHA-256, modulo the shard count (leaderboard entrants
    and campaign players, stored so since they were built; `shards` divides 256)."""
    return hashlib.sha256(name.encode()).digest()[0] % shards

import math

import pytest

from kado.domain import shards


@pytest.mark.parametrize("probability", [1.0, 0.5, 0.3, 0.1, 0.01, 0.001])
def test_shard_count_keeps_each_shard_under_target_at_flash_rate(probability):
    count = shards.stock_shard_count(probability, stock=1_000_000)
    per_shard = shards.FLASH_SPINS_PER_S * probability / count
    assert per_shard <= shards.TARGET_WRITES_PER_S
    assert count == max(1, math.ceil(shards.FLASH_SPINS_PER_S * probability
                                     / shards.TARGET_WRITES_PER_S))


def test_target_leaves_headroom_under_the_item_limit():
    assert shards.TARGET_WRITES_PER_S * 2 == shards.ITEM_TRANSACT_WRITES_PER_S
    assert shards.STAT_SHARDS * shards.TARGET_WRITES_PER_S >= shards.FLASH_SPINS_PER_S


def test_never_more_shards_than_units():
    assert shards.stock_shard_count(1.0, stock=3) == 3
    assert shards.stock_shard_count(1.0, stock=0) == 1


@pytest.mark.parametrize(("stock", "count"), [(20, 20), (101, 10), (7, 3), (0, 1)])
def test_split_stock_is_even_and_complete(stock, count):
    parts = shards.split_stock(stock, count)
    assert sum(parts) == stock and len(parts) == count
    assert max(parts) - min(parts) <= 1


def test_pick_shard_covers_every_shard():
    assert {shards.pick_shard(4) for _ in range(400)} == {0, 1, 2, 3}


def test_a_stable_shard_never_moves_since_stored_items_are_keyed_by_it():
    # Registrations and lapse listings (whole digest), leaderboard entrants and campaign
    # players (first byte): a change of either formula would lose what is stored.
    from kado.domain.shards import stable_shard, stable_shard_by_first_byte

    assert [stable_shard(m, 16) for m in ("alice", "bob", "carl")] == [0, 9, 2]
    assert [stable_shard_by_first_byte(m, 4) for m in ("alice", "bob", "carl")] == [3, 1, 1]
    assert [stable_shard_by_first_byte(m, 16) for m in ("alice", "bob", "carl")] == [11, 1, 9]

import hashlib
import hmac

import pytest
from scipy.stats import chisquare

from kado.domain.campaigns import draw


def test_draw_number_follows_the_published_formula():
    seed = "ab" * 32
    expected = int.from_bytes(
        hmac.new(seed.encode(), b"camp:alice:key-1", hashlib.sha256).digest()[:8], "big")
    assert draw.draw_number(seed, "camp", "alice", "key-1") == expected


def test_seed_is_fresh_hex_and_hash_is_sha256_of_the_hex_string():
    seeds = {draw.new_server_seed() for _ in range(50)}
    assert len(seeds) == 50
    seed = seeds.pop()
    assert len(seed) == 64 and int(seed, 16) >= 0
    assert draw.seed_hash(seed) == hashlib.sha256(seed.encode()).hexdigest()


@pytest.mark.parametrize(("n", "index"), [
    (0, 0),
    (2**62 - 1, 0),      # u just below 1/4: still the first prize (weight 1 of 4)
    (2**62, 1),          # u == 1/4 exactly: the first share no longer exceeds u
    (2**63 - 1, 1),
    (2**63, 2),
    (2**64 - 1, 2),
])
def test_pick_walks_cumulative_shares_in_order(n, index):
    assert draw.pick_index([1, 1, 2], n) == index


def test_pick_rejects_empty_weights():
    with pytest.raises(ValueError):
        draw.pick_index([], 0)


def test_draws_fit_the_weights():
    weights = [5, 15, 30, 50]
    seed = draw.new_server_seed()
    counts = [0] * len(weights)
    spins = 4000
    for i in range(spins):
        counts[draw.pick_index(weights, draw.draw_number(seed, "c", f"m{i % 97}", f"k{i}"))] += 1
    expected = [spins * w / sum(weights) for w in weights]
    assert chisquare(counts, expected).pvalue > 0.001

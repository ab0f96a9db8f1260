"""The provably fair draw.

Anyone holding the revealed server seed can recompute every spin:

    digest = HMAC-SHA256(key=serverSeed, msg=f"{campaignId}:{memberId}:{idempotencyKey}")
    u = int.from_bytes(digest[:8], "big") / 2**64

then walk the prizes in their defined order and take the first whose cumulative
weight share exceeds u. The key is the hex string of the seed (its ASCII bytes),
the same string whose SHA-256 is published at launch.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

SEED_BYTES = 32
U_BITS = 64


def new_server_seed() -> str:
    # Called at launch, never at import time: each campaign gets its own seed.
    return secrets.token_hex(SEED_BYTES)


def seed_hash(server_seed: str) -> str:
    return hashlib.sha256(server_seed.encode("ascii")).hexdigest()


def draw_number(server_seed: str, campaign_id: str, member_id: str, idempotency_key: str) -> int:
    """The draw as a 64-bit integer n; u = n / 2**64."""
    message = f"{campaign_id}:{member_id}:{idempotency_key}".encode()
    digest = hmac.new(server_seed.encode("ascii"), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def pick_index(weights: Sequence[int], n: int) -> int:
    """Index of the first prize whose cumulative share exceeds u = n / 2**64.

    Compared in integers (n * total < cumulative * 2**64) so no float rounding
    can move a draw across a boundary.
    """
    total = sum(weights)
    if total <= 0:
        raise ValueError("weights must sum to a positive number")
    scaled = n * total
    cumulative = 0
    for index, weight in enumerate(weights):
        cumulative += weight
        if scaled < cumulative << U_BITS:
            return index
    return len(weights) - 1  # unreachable while n < 2**64

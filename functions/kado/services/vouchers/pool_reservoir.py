"""Candidate pool codes, kept per Lambda instance so a pool win stays one round trip.

Claiming a partner code must happen inside the win's transaction, so the spin
has to name an unissued code before it writes. Reading one per win would double
the round trips; instead each instance reads a handful from a random shard and
point of the pool's index and hands them out one by one. A candidate another
instance took first fails its condition and is dropped: the database decides,
this list only guesses.
"""

from __future__ import annotations

import secrets
import threading
from collections import deque

from kado.store.vouchers import issued as store

REFILL = 25

_lock = threading.Lock()
_candidates: dict[tuple[str, str], deque[tuple[str, str]]] = {}


def take(program: str, product_id: str) -> tuple[str, str] | None:
    """(lookup, voucher id) of a code that was unissued when read, or None if none is left."""
    with _lock:
        queue = _candidates.setdefault((program, product_id), deque())
        if queue:
            return queue.popleft()
    found = _read(program, product_id)
    if not found:
        return None
    with _lock:
        queue.extend(found[1:])
    return found[0]


def _read(program: str, product_id: str) -> list[tuple[str, str]]:
    first = secrets.randbelow(store.POOL_SHARDS)
    for step in range(store.POOL_SHARDS):
        shard = (first + step) % store.POOL_SHARDS
        found = store.pool_candidates(program, product_id, shard, REFILL)
        if found:
            return found
    return []


def clear() -> None:
    with _lock:
        _candidates.clear()

"""The seq-moved items (member items, company wallet shards) this instance last saw.

A plan starts from the copy remembered here, so a member this instance has seen costs one
round trip. A copy may have moved on under another instance: every write that depends on
it holds the `seq` it planned from in its condition (optimistic.commit), and a refusal
brings the current item back (ALL_OLD), which is then remembered in its place.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from kado.store import ledger as store

REMEMBERED = 10_000

_known: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def known(program: str, holder: str) -> dict[str, Any]:
    with _lock:
        return dict(_known.get((program, holder)) or {})


def remember(program: str, holder: str, item: dict[str, Any]) -> None:
    with _lock:
        _known[(program, holder)] = item
        _known.move_to_end((program, holder))
        while len(_known) > REMEMBERED:
            _known.popitem(last=False)


def on_file(program: str, member_id: str) -> dict[str, Any]:
    """The member item as this instance knows it, else as read now (and then known, so a
    plan starts from it and nothing reads it twice). What it says may have moved on since:
    a write that depends on it holds it in its condition."""
    found = known(program, member_id)
    # Never read here (only planned from nothing and moved on): read it now.
    return found if "type" in found else record(program, member_id)


def record(program: str, member_id: str) -> dict[str, Any]:
    """The member item as stored now (a consistent read), then known to this instance: for
    a decision that another instance may have moved under this one's copy."""
    found = store.get_member(program, member_id) or {}
    remember(program, member_id, found)
    return found


def shard_holder(account_id: str, shard: int) -> str:
    """The name a company wallet shard is remembered by (member ids never hold a '#')."""
    return f"A#{account_id}#{shard}"


def clear() -> None:
    with _lock:
        _known.clear()

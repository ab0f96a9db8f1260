"""Earning caps: points earned under a rule in a window, kept within its limit by a condition."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.tables import TTL_ATTRIBUTE


def cap_part(program: str, member_id: str, rule_id: str, window: str, period: str,
             points: int, limit: int, expires: int) -> dict[str, Any]:
    """`points` more earned under a cap, if that keeps within `limit`."""
    return transact.update(
        keys.earning_cap(program, member_id, rule_id, window, period),
        "ADD #p :points SET #ttl = :ttl", "attribute_not_exists(#p) OR #p <= :room",
        names={"#p": "points", "#ttl": TTL_ATTRIBUTE},
        values=codec.dump({":points": points, ":room": limit - points, ":ttl": expires}))

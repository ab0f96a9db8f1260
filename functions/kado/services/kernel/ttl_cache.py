"""Definitions cached in the Lambda's memory for a short time.

The hot paths must not read mutable state before their one transaction. The
cached things (campaigns, voucher products) change rarely, and every invariant
that matters (stock, limits, balances) is enforced by the transaction itself,
not by this copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, ClassVar, Generic, TypeVar

from kado.config import settings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    # Every cache of the process, so a SnapStart restore can drop them all at once.
    _every: ClassVar[list[TtlCache[Any, Any]]] = []

    def __init__(self, load: Callable[[K], V | None]) -> None:
        self._load = load
        self._entries: dict[K, tuple[float, V | None]] = {}
        TtlCache._every.append(self)

    @classmethod
    def clear_every(cls) -> None:
        for cache in cls._every:
            cache.clear()

    def get(self, key: K) -> V | None:
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit and hit[0] > now:
            return hit[1]
        value = self._load(key)
        self._entries[key] = (now + settings().definition_cache_seconds, value)
        return value

    def peek(self, key: K) -> V | None:
        """The held value if it has not expired; never loads."""
        hit = self._entries.get(key)
        return hit[1] if hit and hit[0] > time.monotonic() else None

    def put(self, key: K, value: V) -> None:
        """What this instance learnt by writing: held as if just loaded."""
        self._entries[key] = (time.monotonic() + settings().definition_cache_seconds, value)

    def forget(self, key: K) -> None:
        """Called after an admin change so this instance sees it at once."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()

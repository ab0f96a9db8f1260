"""The process's voucher-code keys, built on first use (only voucher paths need them)."""

from __future__ import annotations

from functools import lru_cache

from kado.domain.vouchers.code_sealing import CodeKeys
from kado.store.kernel.code_secret import master_key


@lru_cache(maxsize=1)
def keys() -> CodeKeys:
    return CodeKeys(master_key())


def reset() -> None:
    """Forget the keys (tests and the dev server switch configuration)."""
    keys.cache_clear()

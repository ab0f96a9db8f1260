"""What an instance restored from a SnapStart snapshot must not share with its siblings.

With SnapStart (template parameter `SnapStart=On`) Lambda initialises one instance,
snapshots its memory and starts every later instance from that copy. Three things in
memory would then be the same everywhere, or stale:

- `random`'s state: the retry backoff's jitter (store/kernel/transact, ledger/optimistic)
  would be identical in every instance, so their retries would collide again. Reseeded
  from the OS. (`secrets`, used for codes, seeds, tickets and shard picks, reads the OS
  each call and needs nothing.)
- What was cached at snapshot time (definitions, the code keys, remembered members, pool
  codes, persisted queries): a restore may come much later; dropped, so the instance reads
  the record as a cold one does.
- The DynamoDB client's pooled connections, opened before the snapshot: dropped, so the
  first call opens its own.

Registered with the runtime's hook where the runtime offers one (`snapshot_restore_py`);
anywhere else it is never called.
"""

from __future__ import annotations

import random


def after_restore() -> None:
    from kado.api.kernel import persisted_queries
    from kado.services.kernel import code_key_ring, connections, definition_cache
    from kado.services.kernel.ttl_cache import TtlCache
    from kado.services.ledger import holders
    from kado.services.vouchers import pool_reservoir

    random.seed()  # from os.urandom: each restored instance draws its own jitter
    TtlCache.clear_every()
    definition_cache.clear()
    holders.clear()
    pool_reservoir.clear()
    persisted_queries.forget_all()
    code_key_ring.reset()
    connections.drop()


def register() -> bool:
    """Hook `after_restore` into the Lambda runtime, if this runtime restores snapshots."""
    try:
        from snapshot_restore_py import register_after_restore
    except ImportError:
        return False
    register_after_restore(after_restore)
    return True

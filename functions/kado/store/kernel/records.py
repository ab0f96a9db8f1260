"""PynamoDB models for the records a background function alone reads and writes.

ADR 0001 says where PynamoDB is used and why the request paths keep the botocore client:
a PynamoDB connection makes its own botocore session and client (measured 56-172 ms on a
cold start, on top of its 10-23 ms import), which the APIs' cold starts cannot carry, and
the transactions of the hot paths name their parts and read ALL_OLD copies through
`transact`. A model here is bound to the table on first use, from the same settings and
with the same timeouts and retries as the one client (`client.py`), and bound again when
the settings change (tests and the dev server point it at another endpoint).
"""

from __future__ import annotations

from typing import Any

from kado.config import settings
from kado.store.kernel.client import (
    CONNECT_TIMEOUT_S,
    EMULATOR_READ_TIMEOUT_S,
    MAX_ATTEMPTS,
    READ_TIMEOUT_S,
)

_bound: dict[type, tuple[str, str, str | None]] = {}


def bound(model: Any) -> Any:
    """The model class, its Meta pointing at this process's table and endpoint."""
    cfg = settings()
    where = (cfg.table_name, cfg.region, cfg.dynamodb_endpoint)
    if _bound.get(model) != where:
        meta = model.Meta
        meta.table_name, meta.region, meta.host = where
        meta.connect_timeout_seconds = CONNECT_TIMEOUT_S
        meta.read_timeout_seconds = \
            EMULATOR_READ_TIMEOUT_S if cfg.dynamodb_endpoint else READ_TIMEOUT_S
        meta.retry_configuration = {"mode": "standard", "max_attempts": MAX_ATTEMPTS}
        model._connection = None  # the next call connects with these settings
        _bound[model] = where
    return model

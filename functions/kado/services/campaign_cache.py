"""Campaign definitions cached in the Lambda's memory for a short time.

The spin path must not read mutable state before its one transaction; the
definition changes rarely (pause, end, restock) and every invariant that
matters (stock, limits) is enforced by the transaction itself, not by this copy.
"""

from __future__ import annotations

import time

from kado.config import settings
from kado.domain.campaign import Campaign
from kado.store import campaigns as store

_cache: dict[tuple[str, str], tuple[float, Campaign | None]] = {}


def get(program: str, campaign_id: str) -> Campaign | None:
    now = time.monotonic()
    hit = _cache.get((program, campaign_id))
    if hit and hit[0] > now:
        return hit[1]
    campaign = store.get(program, campaign_id)
    _cache[(program, campaign_id)] = (now + settings().campaign_cache_seconds, campaign)
    return campaign


def forget(program: str, campaign_id: str) -> None:
    """Called after an admin change so this instance sees it at once."""
    _cache.pop((program, campaign_id), None)


def clear() -> None:
    _cache.clear()

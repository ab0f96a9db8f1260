"""One rule for every mutation that takes an idempotency key, as Stripe's API has it: the
first request under a key fixes what the key means. A retry of that same request answers
its first outcome; the key with a different request is refused, never answered with
another request's outcome."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from kado.domain.errors import DomainError, ErrorCode


def fingerprint(operation: str, *inputs: Any) -> str:
    """What the request asked for, as stored beside its outcome."""
    canonical = json.dumps([operation, *inputs], sort_keys=True, default=str,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def require_same(stored: str | None, asked: str) -> None:
    """Records made before fingerprints were kept carry none: they answer as before."""
    if stored is not None and stored != asked:
        raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "this idempotency key was used "
                          "for a different request; use a new key for a new request",
                          "idempotencyKey")

"""A database outage, told apart from a refusal: the one answer a client can act on is to
retry later with the same idempotency key (which converges: nothing was half-applied,
since every use case is one transaction or records what it still owes)."""

from __future__ import annotations

from kado.domain.errors import DomainError, ErrorCode
from kado.store.kernel.client import is_outage


def as_refusal(error: BaseException) -> DomainError | None:
    """The outage as a typed, retryable error; None for anything else (a bug: masked)."""
    if isinstance(error, DomainError) or not is_outage(error):
        return None
    return DomainError(ErrorCode.UNAVAILABLE, "the service is unavailable for a moment; "
                       "retry with the same idempotency key", None)

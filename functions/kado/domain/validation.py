"""Shapes of identifiers that reach the database, checked before any I/O."""

from __future__ import annotations

import re

from kado.domain.errors import DomainError, ErrorCode

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# Idempotency keys are chosen by clients: UUIDs, ULIDs or their own request ids.
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")


def require_id(value: str, field: str) -> str:
    if not _ID.match(value):
        raise DomainError(ErrorCode.INVALID_INPUT,
                          "must be 1-64 letters, digits, '-' or '_'", field)
    return value


def require_idempotency_key(value: str, field: str = "idempotencyKey") -> str:
    if not _IDEMPOTENCY_KEY.match(value):
        raise DomainError(ErrorCode.INVALID_INPUT,
                          "must be 8-128 characters of letters, digits, '-', '_', '.', ':'",
                          field)
    return value


# Free text people type: names, and the reason an audit trail records.
MAX_NAME_TEXT = 120
MAX_REASON = 500


def require_text(value: str, field: str, longest: int) -> str:
    """Non-blank text of at most `longest` characters."""
    if not value.strip() or len(value) > longest:
        raise DomainError(ErrorCode.INVALID_INPUT, f"must be 1-{longest} characters", field)
    return value

"""Shapes of identifiers that reach the database, checked before any I/O."""

from __future__ import annotations

import re

from kado.domain.errors import DomainError, ErrorCode

# Always matched whole (fullmatch): `$` would also accept a trailing newline, and
# "alice\n" would be a second caller beside "alice".
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# Idempotency keys are chosen by clients: UUIDs, ULIDs or their own request ids.
_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,128}")


def is_id(value: object) -> bool:
    """The one shape of every identifier: programs, members, campaigns, prizes, products."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


ID_RULE = "must be 1-64 letters, digits, '-' or '_'"


def named_problems(item_id: str, name: str, longest: int) -> list[tuple[str, str]]:
    """The checks every named definition starts with: its id and its display name."""
    problems = []
    if not is_id(item_id):
        problems.append(("id", ID_RULE))
    if not name.strip() or len(name) > longest:
        problems.append(("name", f"must be 1-{longest} characters"))
    return problems


def require_id(value: str, field: str) -> str:
    if not is_id(value):
        raise DomainError(ErrorCode.INVALID_INPUT, ID_RULE, field)
    return value


def require_idempotency_key(value: str, field: str = "idempotencyKey") -> str:
    if not _IDEMPOTENCY_KEY.fullmatch(value):
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

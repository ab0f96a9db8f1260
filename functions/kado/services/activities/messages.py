"""One activity from a partner message (a queue message, a line of a file)."""

from __future__ import annotations

import json

from kado.domain import activities as domain
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal, Role
from kado.domain.validation import is_id
from kado.services.activities import recording as activities
from kado.services.kernel.loyalty_definitions import cached


class NotRecorded(Exception):
    """The message was not recorded; its text says why (it goes back to the sender)."""


def record_message(body: str, sender: str) -> str:
    """The outcome (RECORDED or DUPLICATE) of `{"program": ..., "activity": {...}}`."""
    try:
        message = json.loads(body)
    except ValueError as exc:
        raise NotRecorded("not JSON") from exc
    program = message.get("program") if isinstance(message, dict) else None
    if not is_id(program):
        raise NotRecorded("the message names no valid program")
    assert isinstance(program, str)
    try:
        activity = domain.from_json(message.get("activity"))
        result = activities.record_one(Principal(Role.ADMIN, program, sender), activity,
                                       cached(program), activities.utcnow())
    except DomainError as refusal:
        raise NotRecorded(f"{refusal.code.value}: {refusal.message} ({refusal.field})") \
            from refusal
    if result.outcome is activities.CONFLICT:
        raise NotRecorded(f"{ErrorCode.INVALID_INPUT.value}: externalId "
                          f"{activity.external_id} was recorded with other content")
    return str(result.outcome)

"""Links to a statement that open without signing in: the statement they name, when they
stop working and the holder's link version, sealed with a keyed MAC.

Unguessable: the MAC is 160 bits of HMAC-SHA256 under a key derived from the program's
master key, so no link can be made or altered without it. Expiring: the moment is inside
what the MAC covers. Revocable: the holder's version is too, and revoking raises the
version on record, so every link made before stops at once (the link is checked against
the record on every open, in every instance).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kado.domain.validation import is_id

MAC_BYTES = 20
VALID_DAYS = 90  # a quarter: long enough for the next statement to replace it


class HolderKind(StrEnum):
    MEMBER = "MEMBER"
    COMPANY = "COMPANY"


@dataclass(frozen=True)
class Link:
    program: str
    kind: HolderKind
    holder: str
    period: str
    version: int
    expires: int  # epoch seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(key: bytes, link: Link) -> str:
    body = _b64(json.dumps([link.program, link.kind.value, link.holder, link.period,
                            link.version, link.expires], separators=(",", ":")).encode())
    return f"{body}.{_b64(_mac(key, body))}"


def opened(key_of: Callable[[str], bytes], token: str, now: int) -> Link | None:
    """The link `token` names if it is whole, made with its program's key (`key_of`) and not
    yet expired; None for anything else (a client is told no more than that)."""
    body, _, mac = token.partition(".")
    try:
        program, kind, holder, period, version, expires = json.loads(_unb64(body))
        if not is_id(program) or not hmac.compare_digest(_unb64(mac),
                                                         _mac(key_of(program), body)):
            return None
        link = Link(program, HolderKind(kind), holder, period, int(version), int(expires))
    except (ValueError, TypeError):
        return None
    if link.expires <= now or not is_id(link.holder):
        return None
    return link


def _mac(key: bytes, body: str) -> bytes:
    return hmac.new(key, body.encode(), hashlib.sha256).digest()[:MAC_BYTES]

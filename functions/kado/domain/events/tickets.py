"""The check-in QR of an event registration: what it says, and a MAC nobody can forge.

    KADO-EVENT:<eventId>:<memberId>:<ticket>:<mac>

`ticket` is 128 random bits drawn when the member registered (a new registration draws a
new one, so an old printout stops working); `mac` is 128 bits of HMAC-SHA256 under a key
derived for the program from the code master secret.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass

from kado.domain.validation import is_id

PREFIX = "KADO-EVENT"
MAX_QR = 300


@dataclass(frozen=True)
class Ticket:
    event_id: str
    member_id: str
    ticket: str

    def message(self) -> str:
        return f"{self.event_id}\x00{self.member_id}\x00{self.ticket}"


def payload(t: Ticket, mac: Callable[[str], str]) -> str:
    return f"{PREFIX}:{t.event_id}:{t.member_id}:{t.ticket}:{mac(t.message())}"


def read(qr: str, mac: Callable[[str], str]) -> Ticket | None:
    """The ticket a scanned payload carries, or None if it is not one of ours, or forged."""
    if not isinstance(qr, str) or len(qr) > MAX_QR:
        return None
    fields = qr.strip().split(":")
    if len(fields) != 5 or fields[0] != PREFIX or not is_id(fields[1]) or not is_id(fields[2]):
        return None
    t = Ticket(fields[1], fields[2], fields[3])
    return t if hmac.compare_digest(mac(t.message()), fields[4]) else None

"""Who is calling, as established by a verified token."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    MERCHANT = "merchant"
    ADMIN = "admin"
    # A door scanner: checks tickets in at its venue's events, on the merchant API.
    STAFF = "staff"


@dataclass(frozen=True)
class Principal:
    role: Role
    program: str
    subject: str  # member id, merchant id or admin user
    account: str | None = None  # the member's company, when the token names one
    venue: str | None = None  # a staff member's venue

"""Who is calling, as established by a verified token."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    MERCHANT = "merchant"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    role: Role
    program: str
    subject: str  # member id, merchant id or admin user
    account: str | None = None  # the member's company, when the token names one

"""Who is calling, as established by a verified token.

A token proves identity only: who (`subject`), in which program, in which role. Nothing a
member may spend, see or join follows from it: a member's company, tier and scope are read
from the record on file (an `account` claim in a member token is ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    MERCHANT = "merchant"
    ADMIN = "admin"
    # A door scanner: checks tickets in at its venue's events, on the merchant API.
    STAFF = "staff"
    # A sales rep: awards points to members of the companies their record scopes them to,
    # on the merchant API (the field's API: tills, doors, reps).
    REP = "rep"
    # A distributor's staff member: reads (never changes) the companies under their
    # distributor, on the merchant API, as the record says which distributor.
    DISTRIBUTOR = "distributor"


@dataclass(frozen=True)
class Principal:
    role: Role
    program: str
    subject: str  # member id, merchant id or admin user
    venue: str | None = None  # a staff member's venue

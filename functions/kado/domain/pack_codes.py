"""Codes printed on product packs: a member scans one to earn its batch's points, once,
program-wide. They use the voucher codes' alphabet and check symbol (16 random symbols,
80 bits: guessing one is hopeless) and are kept only as a keyed hash, as voucher codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kado.domain.errors import ValidationFailed
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, is_id

MAX_BATCH = 10_000  # codes made in one request; a print run is several batches
MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class PackBatch:
    id: str
    name: str
    points: int  # what each code earns
    count: int
    expires_at: datetime
    region: str | None = None  # where the packs go, for the batch's stats


def validate(b: PackBatch, now: datetime) -> None:
    problems: list[tuple[str, str]] = []
    if not is_id(b.id):
        problems.append(("id", ID_RULE))
    if not b.name.strip() or len(b.name) > MAX_NAME_TEXT:
        problems.append(("name", f"must be 1-{MAX_NAME_TEXT} characters"))
    if not 1 <= b.points <= MAX_POINTS:
        problems.append(("points", f"1 to {MAX_POINTS}"))
    if not 1 <= b.count <= MAX_BATCH:
        problems.append(("count", f"1 to {MAX_BATCH} codes a batch"))
    if b.expires_at.tzinfo is None or b.expires_at <= now:
        problems.append(("expiresAt", "a moment to come, with its UTC offset"))
    if b.region is not None and not is_id(b.region):
        problems.append(("region", ID_RULE))
    if problems:
        raise ValidationFailed(problems)

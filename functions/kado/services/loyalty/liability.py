"""A program's liability and breakage at a moment (domain/loyalty/liability.py), with its
points valued at the program's point value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kado.domain.calendar import utcnow
from kado.domain.loyalty.liability import Liability, report
from kado.services.kernel.loyalty_definitions import load
from kado.store.loyalty import liability as store


@dataclass(frozen=True)
class Valued:
    liability: Liability
    point_value: int | None  # minor units per point
    point_currency: str | None

    def money(self, points: int) -> int | None:
        return None if self.point_value is None else points * self.point_value


def liability(program: str, at: datetime | None = None) -> Valued:
    d = load(program)  # read now: a report states what is on file
    found = report(list(store.items(program)), d.expiry(), at or utcnow())
    return Valued(found, d.settings.point_value, d.settings.point_currency)

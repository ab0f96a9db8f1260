"""Day by day, in the program's time zone (the ladder's, else UTC): points earned and
spent (every movement down: spends, returns, corrections), and redemptions by merchant."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kado.domain.calendar import local_day, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.services.kernel.loyalty_definitions import cached
from kado.store.loyalty import trends as store

MAX_DAYS = 90


@dataclass
class Day:
    day: str
    points_earned: int = 0
    points_spent: int = 0
    redemptions: Counter[str] = field(default_factory=Counter)  # merchant -> count


def by_day(program: str, days: int, now: datetime | None = None) -> tuple[str, list[Day]]:
    """The zone the days are counted in, and the last `days` days, oldest first (each day
    listed, quiet ones at zero)."""
    if not 1 <= days <= MAX_DAYS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"1-{MAX_DAYS} days", "days")
    ladder = cached(program).ladder
    zone = ladder.timezone if ladder else "UTC"
    now = now or utcnow()
    wanted = [local_day(now - timedelta(days=n), zone) for n in range(days - 1, -1, -1)]
    found: dict[str, Day] = defaultdict(lambda: Day(""))
    for item in store.since(program, (now - timedelta(days=days + 1)).isoformat()):
        if item.get("type") == "POINTS_ENTRY":
            day = found[local_day(parse_iso(item["at"]), zone)]
            delta = int(item.get("delta", 0))
            if delta > 0:
                day.points_earned += delta
            else:
                day.points_spent += -delta
        elif not item.get("reversedAt"):
            day = found[local_day(parse_iso(item["redeemedAt"]), zone)]
            merchant = str(item.get("merchantId", "?"))
            day.redemptions[merchant] += 1
    return zone, [Day(d, found[d].points_earned, found[d].points_spent, found[d].redemptions)
                  if d in found else Day(d) for d in wanted]

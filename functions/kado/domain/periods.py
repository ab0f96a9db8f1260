"""Named reporting periods ("2026", "2026-Q4", "2026-11") in a timezone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kado.domain.errors import DomainError, ErrorCode

_PERIOD = re.compile(r"(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?")
# A program's statements: nothing before the first year anyone could have earned in, and
# no year whose end cannot be written as a datetime (9999-12 ends in year 10000).
FIRST_YEAR, LAST_YEAR = 2000, 2999


@dataclass(frozen=True)
class Span:
    name: str
    starts_at: datetime
    ends_at: datetime


def parse(name: str, timezone: str) -> Span:
    """A year, quarter or month, from local midnight to local midnight."""
    found = _PERIOD.fullmatch(name) if isinstance(name, str) else None
    if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise DomainError(ErrorCode.INVALID_INPUT, "a year (2026), quarter (2026-Q4) or "
                          f"month (2026-11), from {FIRST_YEAR} to {LAST_YEAR}", "period")
    year, quarter, month = int(found[1]), found[2], found[3]
    if quarter:
        first, months = (int(quarter) - 1) * 3 + 1, 3
    elif month:
        first, months = int(month), 1
    else:
        first, months = 1, 12
    zone = ZoneInfo(timezone)
    start = datetime(year, first, 1, tzinfo=zone)
    last = first + months
    end = datetime(year + (last > 12), (last - 1) % 12 + 1, 1, tzinfo=zone)
    return Span(name, start.astimezone(UTC), end.astimezone(UTC))


# The keys counters are kept under: a day ("2026-11-24", local to whoever counts) and its
# month ("2026-11"). A key says its window; code never guesses a window from a key's length.
DAY, MONTH = "D", "M"


def month_key(moment: datetime, timezone: str = "UTC") -> str:
    """The month (YYYY-MM) of an aware moment in an IANA timezone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m")


def month_of_day(day: str) -> str:
    """The month key of a day key."""
    return day[:7]


def starts(window: str, key: str) -> datetime:
    """The UTC midnight a day or month key starts at (a counter's age, not a local span)."""
    first = key if window == DAY else f"{key}-01"
    return datetime.fromisoformat(first).replace(tzinfo=UTC)

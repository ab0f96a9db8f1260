"""Days as the campaign's audience lives them: limits reset at local midnight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def is_timezone(name: str) -> bool:
    # A folder of the zone database ("Europe") raises IsADirectoryError: an OSError.
    if not isinstance(name, str) or not 1 <= len(name) <= 64:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def local_day(moment: datetime, timezone: str) -> str:
    """The calendar date (YYYY-MM-DD) of an aware moment in an IANA timezone."""
    return moment.astimezone(ZoneInfo(timezone)).date().isoformat()


# The one clock. Only `kado dev --test-clock` replaces it (kado/local/test_clock.py); the
# deployed bundle has no code that can, and settings refuse a test clock outside dev.
_source: Callable[[], datetime] | None = None


def utcnow() -> datetime:
    return _source() if _source is not None else datetime.now(UTC)


def use_clock(source: Callable[[], datetime] | None) -> None:
    global _source  # noqa: PLW0603 - the process's one clock, by design
    _source = source


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time must carry its UTC offset")
    return moment.astimezone(UTC)

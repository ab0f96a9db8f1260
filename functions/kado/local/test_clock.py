"""A test clock for `kado dev`, as Stripe's test clocks are for billing: the dev server's
time starts at a chosen instant, frozen or running, and `kado clock set|advance` moves it
for every worker at once (the clock is a small file in the dev data dir that each worker
reads, cached by its modification time). Marketing walks a tier ladder, a quest streak or
an event's offer window through their dates before launch.

Never deployed: kado/local is not in the bundle, and settings refuse KADO_TEST_CLOCK
unless KADO_ENV is dev.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kado.domain import calendar

ENV = "KADO_TEST_CLOCK"
FILE = "test-clock.json"
_DURATION = re.compile(r"(\d+)([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def path_in(data_dir: Path) -> Path:
    return data_dir / FILE


def set_to(path: Path, moment: datetime, frozen: bool) -> datetime:
    """Test time is `moment` now, and runs on from it unless frozen."""
    state = {"at": calendar.iso(moment), "wall": time.time(), "frozen": frozen}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state))
    os.replace(temporary, path)  # every worker sees the old state or the new, whole
    return moment.astimezone(UTC)


def advance(path: Path, by: timedelta) -> datetime:
    state = _read(path)
    return set_to(path, now_from(state) + by, bool(state["frozen"]))


def parse_duration(text: str) -> timedelta:
    """`3d`, `90m`, `1w2d`: what `kado clock advance` takes."""
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"{text!r} is not a duration such as 3d, 12h, 90m or 1w2d")
    return sum((timedelta(**{_UNITS[u]: int(n)}) for n, u in parts), timedelta())


def now_from(state: dict[str, Any]) -> datetime:
    at = calendar.parse_iso(state["at"])
    return at if state["frozen"] else at + timedelta(seconds=time.time() - state["wall"])


def _read(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(path.read_text())
    return found


class _FileClock:
    """The clock the dev server's services read: the file's state, re-read when it changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: tuple[float, dict[str, Any]] | None = None

    def __call__(self) -> datetime:
        modified = self.path.stat().st_mtime
        if self.seen is None or self.seen[0] != modified:
            self.seen = (modified, _read(self.path))
        return now_from(self.seen[1])


def install_from_environment() -> bool:
    """Use the test clock the environment names, if any (each dev worker calls this)."""
    named = os.environ.get(ENV)
    if not named:
        return False
    from kado.config import settings

    settings()  # refuses a test clock outside dev (config.py)
    calendar.use_clock(_FileClock(Path(named)))
    return True

"""A page of a list, as every layer passes it: its items, a cursor after each, and whether
more follow (the store fills it; the API turns it into a Relay connection)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    cursors: list[str]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None

"""Points that are earned but not spendable yet, until the day any return window has passed.

Kept by the UTC day they become spendable, so a holder has at most as many entries as the
longest pending period has days; a return takes back the newest pending points first.
"""

from __future__ import annotations

Pending = dict[str, int]  # "YYYY-MM-DD" they become spendable -> points
# Points earned while the program's points budget could not pay for them: pending with no
# day (the key sorts after every date, so no day releases them) until an admin releases
# them, paying from the budget then.
HELD = "HELD"


def released(pending: Pending, today: str) -> Pending:
    """What is still pending on `today` (points due today or before are spendable)."""
    return {day: p for day, p in pending.items() if day > today and p > 0}


def added(pending: Pending, more: Pending) -> Pending:
    merged = dict(pending)
    for day, p in more.items():
        merged[day] = merged.get(day, 0) + p
    return merged


def taken_back(pending: Pending, amount: int) -> Pending:
    """`amount` less pending, newest first (a return undoes the latest earnings)."""
    left = dict(pending)
    for day in sorted(left, reverse=True):
        taken = min(amount, left[day])
        left[day] -= taken
        amount -= taken
    return {day: p for day, p in left.items() if p > 0}


def without_held(pending: Pending) -> Pending:
    return {day: p for day, p in pending.items() if day != HELD}


def total(pending: Pending) -> int:
    return sum(pending.values())

"""Scalars checked where they enter: one parser per kind, for every schema.

A DateTime must carry its UTC offset (a naive time cannot be compared with the program's
moments), is answered in UTC with milliseconds everywhere (a replay of a mutation is byte
for byte its first answer, and reads say the same as writes), and anything else is
INVALID_INPUT before a resolver runs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NewType

import strawberry

from kado.domain.budgets import MAX_AMOUNT
from kado.domain.calendar import iso, parse_iso
from kado.domain.errors import DomainError, ErrorCode

LONGEST_MOMENT = 40  # 2026-12-05T09:00:00.123456+07:00 with room to spare


def _moment(value: Any) -> datetime:
    if not isinstance(value, str) or len(value) > LONGEST_MOMENT:
        raise _not_a_moment()
    try:
        return parse_iso(value)
    except ValueError:
        raise _not_a_moment() from None


def _not_a_moment() -> DomainError:
    return DomainError(ErrorCode.INVALID_INPUT, "must be an ISO 8601 date and time with its "
                       "UTC offset, such as 2026-12-05T09:00:00Z or 2026-12-05T16:00:00+07:00")


DateTime = strawberry.scalar(
    name="DateTime", serialize=iso, parse_value=_moment,
    description="An ISO 8601 moment with its UTC offset; answered in UTC with milliseconds.")

OVERRIDES: dict[object, Any] = {datetime: DateTime}


def _day(value: Any) -> date:
    refusal = DomainError(ErrorCode.INVALID_INPUT, "must be an ISO 8601 date, such as "
                          "2026-12-05")
    if not isinstance(value, str) or len(value) != len("2026-12-05"):
        raise refusal
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise refusal from None


OVERRIDES[date] = strawberry.scalar(
    name="Date", serialize=date.isoformat, parse_value=_day,
    description="An ISO 8601 calendar date (an invoice's day), with no time or zone.")


def _amount(value: Any) -> int:
    # JSON numbers only: a bool is an int in Python, and 1.5 đồng is not an amount.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"must be a whole number of minor units, "
                          f"0 to {MAX_AMOUNT}")
    return value


# GraphQL's Int stops at 2^31 - 1: two billion đồng, less than one programme's budget.
Amount = NewType("Amount", int)
OVERRIDES[Amount] = strawberry.scalar(
    name="Amount", serialize=int, parse_value=_amount,
    description="Money in its currency's minor units (ISO 4217: VND has none, so 50000 is "
                "50.000 ₫; THB and EUR have two, so 5000 is ฿50.00): a whole JSON number "
                "from 0 to 2^53 - 1.")

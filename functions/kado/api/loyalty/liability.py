"""The liability report in the admin API: what the program owes now, and its breakage."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.scalars import Amount
from kado.services.loyalty import liability as service


@strawberry.type
class MonthAmount:
    month: str = strawberry.field(description="YYYY-MM, or NEVER for points no lot covers.")
    amount: Amount


@strawberry.type
class VoucherLiability:
    unit: str = strawberry.field(description="The currency of money vouchers; USES for item "
                                             "and percent vouchers (amounts are uses).")
    issued: int
    redeemed: int = strawberry.field(description="Vouchers with a redemption that stands.")
    redemption_rate: float | None
    outstanding_count: int
    outstanding: Amount
    outstanding_by_expiry: list[MonthAmount]
    breakage_by_month: list[MonthAmount] = strawberry.field(
        description="Balances left on vouchers that expired, by the month they expired.")


@strawberry.type
class LiabilityReport:
    as_of: str
    points_outstanding: int
    points_value: Amount | None = strawberry.field(
        description="Points outstanding at the program's point value (null: none set).")
    point_currency: str | None
    points_by_expiry: list[MonthAmount]
    points_pending: int
    points_owed_by_holders: int = strawberry.field(
        description="Balances below zero: points returned after they were spent.")
    points_breakage_by_month: list[MonthAmount] = strawberry.field(
        description="Points that lapsed unused, by the month the lapse was written (lots "
                    "lapsed since a holder last moved count in the report's month).")
    vouchers: list[VoucherLiability]
    average_days_to_redeem: float | None


def _months(counts: Counter[str]) -> list[MonthAmount]:
    return [MonthAmount(month=m, amount=Amount(n)) for m, n in sorted(counts.items()) if n]


@strawberry.type
class LiabilityQuery:
    @strawberry.field(description="What the program owes in points and vouchers, and what "
                                  "lapsed unused. Reads every holder and voucher of the "
                                  "program: for the console and reports, not for apps.")
    def liability(self, info: Info[Context, None], as_of: datetime | None = None
                  ) -> LiabilityReport:
        valued = service.liability(info.context.principal.program, as_of)
        found = valued.liability
        value = valued.money(found.points_outstanding)
        return LiabilityReport(
            as_of=found.as_of, points_outstanding=found.points_outstanding,
            points_value=None if value is None else Amount(value),
            point_currency=valued.point_currency,
            points_by_expiry=_months(found.points_by_expiry),
            points_pending=found.points_pending,
            points_owed_by_holders=found.points_owed_by_holders,
            points_breakage_by_month=_months(found.points_breakage_by_month),
            vouchers=[VoucherLiability(
                unit=unit, issued=v.issued, redeemed=v.redeemed,
                redemption_rate=found.redemption_rate(unit),
                outstanding_count=v.outstanding_count, outstanding=Amount(v.outstanding),
                outstanding_by_expiry=_months(v.outstanding_by_expiry),
                breakage_by_month=_months(v.breakage_by_month))
                for unit, v in sorted(found.vouchers.items())],
            average_days_to_redeem=found.average_days_to_redeem)

"""The console's day-by-day trends: points earned and spent, redemptions by merchant."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.services.loyalty import trends as service


@strawberry.type
class MerchantCount:
    merchant_id: str
    count: int


@strawberry.type
class TrendDay:
    day: str = strawberry.field(description="YYYY-MM-DD in the program's time zone.")
    points_earned: int
    points_spent: int = strawberry.field(description="Every movement down: spends, returns, "
                                                     "corrections (expiries apart).")
    redemptions: list[MerchantCount]


@strawberry.type
class Trends:
    timezone: str
    days: list[TrendDay]


@strawberry.type
class TrendsQuery:
    @strawberry.field(description="The last `days` days (1-90), oldest first, quiet ones at "
                                  "zero. Reads the program's ledger lines: for the console.")
    def trends(self, info: Info[Context, None], days: int = 30) -> Trends:
        zone, found = service.by_day(info.context.principal.program, days)
        return Trends(timezone=zone, days=[TrendDay(
            day=d.day, points_earned=d.points_earned, points_spent=d.points_spent,
            redemptions=[MerchantCount(merchant_id=m, count=n)
                         for m, n in sorted(d.redemptions.items())]) for d in found])

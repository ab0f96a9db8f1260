"""The items the console's day-by-day trends add up: points lines and redemptions of one
program since a day. A filtered scan, as the liability report's (store/loyalty/liability):
for the console, not for apps; the reports lake takes it over at scale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kado.store.kernel import codec
from kado.store.kernel.client import table
from kado.store.kernel.reads import scanned


def since(program: str, starts: str) -> Iterator[dict[str, Any]]:
    """Points lines (`at`) and redemptions (`redeemedAt`) at or after `starts` (ISO)."""
    request: dict[str, Any] = {
        "TableName": table(),
        "FilterExpression": "begins_with(pk, :p) AND ((#t = :e AND #at >= :s) OR "
                            "(#t = :r AND #rat >= :s))",
        "ExpressionAttributeNames": {"#t": "type", "#at": "at", "#rat": "redeemedAt"},
        "ExpressionAttributeValues": codec.dump({":p": f"P#{program}#", ":e": "POINTS_ENTRY",
                                                 ":r": "REDEMPTION", ":s": starts}),
        "ProjectionExpression": "#t, #at, #rat, delta, merchantId, reversedAt",
    }
    yield from scanned(request)

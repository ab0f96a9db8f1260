"""The items a liability report adds up: holders, points lines that wrote expiries,
vouchers and redemptions of one program.

A report is asked for now and then, not on a hot path, so it may Scan (filtered to the
program's keys and these types) rather than keep a program-wide index on every write.
The reports lake (Parquet facts queried by Athena or DuckDB) is where this goes at scale.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kado.store.kernel import codec
from kado.store.kernel.client import table
from kado.store.kernel.reads import scanned

TYPES = ("MEMBER", "COMPANY_WALLET", "POINTS_ENTRY", "VOUCHER", "REDEMPTION")


def items(program: str) -> Iterator[dict[str, Any]]:
    values = {":p": f"P#{program}#", **{f":t{i}": t for i, t in enumerate(TYPES)}}
    request: dict[str, Any] = {
        "TableName": table(),
        "FilterExpression": "begins_with(pk, :p) AND #t IN (" +
                            ", ".join(f":t{i}" for i in range(len(TYPES))) + ")",
        "ExpressionAttributeNames": {"#t": "type"},
        "ExpressionAttributeValues": codec.dump(values),
        "ConsistentRead": True,
    }
    yield from scanned(request)

"""Reads: by key (GetItem; BatchGetItem, 100 keys a call), a Query page by page, and the
same read on every shard of a split item at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from kado.store.kernel import codec
from kado.store.kernel.client import dynamodb, table

BATCH = 100
# Reads sent at once by every_shard: enough for a round trip of latency on every split
# item we have (40 stat shards take three), few enough for a Lambda's connection pool.
PARALLEL_READS = 16
T = TypeVar("T")


def every_shard(shards: int, read: Callable[[int], T]) -> list[T]:
    """`read(shard)` for every shard, sent at once, results in shard order."""
    with ThreadPoolExecutor(min(shards, PARALLEL_READS)) as pool:
        return list(pool.map(read, range(shards)))


def get_one(key: dict[str, Any], consistent: bool = True) -> dict[str, Any] | None:
    """The item, or None. Consistent unless the caller can live with a stale copy."""
    response = dynamodb().get_item(TableName=table(), Key=key, ConsistentRead=consistent)
    return codec.load(response.get("Item"))


def query_pages(request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every page a Query answers, following LastEvaluatedKey, read only as far as used."""
    request = dict(request)
    while True:
        response = dynamodb().query(**request)
        yield response
        if not response.get("LastEvaluatedKey"):
            return
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def scanned(request: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item a (filtered) Scan finds, page by page: for reports and jobs only, never a
    request path (the exports, the liability report, the trends)."""
    request = dict(request)
    while True:
        page = dynamodb().scan(**request)
        for raw in page.get("Items", []):
            yield codec.load(raw) or {}
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def partition_items(pk: str, sk_prefix: str = "", consistent: bool = True
                    ) -> list[dict[str, Any]]:
    """Every item of one table partition (whose sort key starts with `sk_prefix`), in sort
    key order, page after page."""
    request: dict[str, Any] = {
        "TableName": table(), "ConsistentRead": consistent,
        "KeyConditionExpression": "#pk = :pk" + (" AND begins_with(#sk, :s)" if sk_prefix
                                                   else ""),
        "ExpressionAttributeNames": {"#pk": "pk", **({"#sk": "sk"} if sk_prefix else {})},
        "ExpressionAttributeValues": {":pk": {"S": pk},
                                      **({":s": {"S": sk_prefix}} if sk_prefix else {})}}
    return [codec.load(raw) or {} for page in query_pages(request)
            for raw in page.get("Items", [])]


def get_many(wanted: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """The items in the order asked, None where there is none."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    # Each key asked once: BatchGetItem refuses a list naming an item twice (two links to
    # one budget, say), and the answer still follows `wanted`, repeats included.
    unique = list({(k["pk"]["S"], k["sk"]["S"]): k for k in wanted}.values())
    for start in range(0, len(unique), BATCH):
        request: dict[str, Any] = {table(): {"Keys": unique[start:start + BATCH],
                                             "ConsistentRead": True}}
        while request:
            response = dynamodb().batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(table(), []):
                found[(raw["pk"]["S"], raw["sk"]["S"])] = codec.load(raw) or {}
            request = response.get("UnprocessedKeys") or {}
    return [found.get((k["pk"]["S"], k["sk"]["S"])) for k in wanted]

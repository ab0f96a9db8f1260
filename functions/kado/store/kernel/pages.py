"""Relay-style pages over DynamoDB queries, with opaque cursors bound to one partition."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from typing import Any

from kado.domain.errors import DomainError, ErrorCode
from kado.domain.pages import Page
from kado.store.kernel import codec
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.tables import GSI1, GSI1_PK, GSI1_SK, GSI2, GSI2_PK, GSI2_SK, PK, SK

MAX_PAGE = 100
INDEX_KEYS = {GSI1: (GSI1_PK, GSI1_SK), GSI2: (GSI2_PK, GSI2_SK)}


def _encode(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode()


MAX_CURSOR = 2_048


def _decode(cursor: str, names: tuple[str, ...], partition_attr: str,
            partition: str) -> dict[str, Any]:
    bad = DomainError(ErrorCode.INVALID_INPUT, "after is not a cursor from this list", "after")
    if len(cursor) > MAX_CURSOR:
        raise bad
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error) as exc:
        raise bad from exc
    # A cursor is only honoured for the partition it came from (no tenant hopping), and
    # only with exactly the key it was made of, each a plain string or number.
    if not isinstance(key, dict) or key.get(partition_attr) != {"S": partition} or \
            set(key) != set(names) or not all(_key_value(v) for v in key.values()):
        raise bad
    return key


def _key_value(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and (
        isinstance(value.get("S"), str) or
        (isinstance(value.get("N"), str) and value["N"].lstrip("-").isdigit()))


def query_index(partition: str, first: int, after: str | None,
                keep: Callable[[dict[str, Any]], bool] = lambda _: True,
                newest_first: bool = True, index: str = GSI1) -> Page:
    """A page of items from partition `partition` of `index`, filtered by `keep`."""
    pk_attr, sk_attr = INDEX_KEYS[index]
    if not 1 <= first <= MAX_PAGE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"first must be 1-{MAX_PAGE}", "first")
    request: dict[str, Any] = {
        "TableName": table(),
        "IndexName": index,
        "KeyConditionExpression": "#p = :p",
        "ExpressionAttributeNames": {"#p": pk_attr},
        "ExpressionAttributeValues": {":p": {"S": partition}},
        "ScanIndexForward": not newest_first,
        "Limit": first + 1,
    }
    if after:
        request["ExclusiveStartKey"] = _decode(after, tuple({PK, SK, pk_attr, sk_attr}),
                                               pk_attr, partition)
    kept: list[dict[str, Any]] = []
    cursors: list[str] = []
    while True:
        response = dynamodb().query(**request)
        for raw in response.get("Items", []):
            if len(kept) == first:
                return Page(kept, cursors, True)
            item = codec.load(raw)
            if item is not None and keep(item):
                kept.append(item)
                cursors.append(_encode({k: raw[k] for k in (PK, SK, pk_attr, sk_attr)}))
        more = response.get("LastEvaluatedKey")
        if not more:
            return Page(kept, cursors, False)
        request["ExclusiveStartKey"] = more


def every_item(partition: str, keep: Callable[[dict[str, Any]], bool] = lambda _: True,
               newest_first: bool = True) -> Iterator[dict[str, Any]]:
    """All kept items of a GSI1 partition, page by page, read only as far as consumed."""
    after = None
    while True:
        page = query_index(partition, MAX_PAGE, after, keep, newest_first)
        yield from page.items
        if not page.has_next:
            return
        after = page.end_cursor


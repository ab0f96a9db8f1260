"""Marks of stream records the outbox publisher has sent, so a retried batch skips them.

A mark is written after the record's facts were accepted by EventBridge, and expires a
few days later (a stream keeps records 24 hours)."""

from __future__ import annotations

import time

from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.tables import TTL_ATTRIBUTE

KEPT_S = 3 * 24 * 3600


def _key(record_id: str) -> dict[str, dict[str, str]]:
    return keys.key(f"OUTBOX#{record_id}", "SENT")


def sent(record_id: str) -> bool:
    found = dynamodb().get_item(TableName=table(), Key=_key(record_id), ConsistentRead=True)
    return "Item" in found


def mark_sent(record_id: str) -> None:
    dynamodb().put_item(TableName=table(), Item={
        **_key(record_id), "type": {"S": "OUTBOX_SENT"},
        TTL_ATTRIBUTE: {"N": str(int(time.time()) + KEPT_S)}})

"""Marks of stream records the outbox publisher has sent, so a retried batch skips them.

A mark is written after the record's facts were accepted by EventBridge, and expires a
few days later (a stream keeps records 24 hours). Only the outbox publisher reads and
writes marks, so they are a PynamoDB model (records.py says why only here and where else).
"""

from __future__ import annotations

from datetime import timedelta

from pynamodb.attributes import TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from kado.store.kernel.records import bound
from kado.store.kernel.tables import PK, SK, TTL_ATTRIBUTE

KEPT = timedelta(days=3)


class OutboxMark(Model):
    class Meta:
        table_name = ""  # bound on first use (records.bound)

    pk = UnicodeAttribute(hash_key=True, attr_name=PK)
    sk = UnicodeAttribute(range_key=True, attr_name=SK)
    type = UnicodeAttribute(default="OUTBOX_SENT")
    expires = TTLAttribute(attr_name=TTL_ATTRIBUTE)

    @classmethod
    def of(cls, record_id: str) -> OutboxMark:
        return cls(f"OUTBOX#{record_id}", "SENT", expires=KEPT)


def sent(record_id: str) -> bool:
    mark = bound(OutboxMark).of(record_id)
    try:
        mark.refresh(consistent_read=True)
    except OutboxMark.DoesNotExist:
        return False
    return True


def mark_sent(record_id: str) -> None:
    bound(OutboxMark).of(record_id).save()

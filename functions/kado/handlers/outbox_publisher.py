"""Lambda entry point of the outbox publisher: the table's change stream in, domain facts
out to the program's EventBridge bus (services/outbox.py says which changes are facts).

Records are handled strictly in stream order. At the first record that cannot be sent,
the batch stops and reports that record as its failure (ReportBatchItemFailures), so
Lambda retries from it: nothing after it was sent, nothing is skipped, and the order of
each item's changes, hence of each member's registrations and vouchers, is kept. A
record whose facts were sent is marked, so a retry that covers it again does not send
them twice; only a crash between EventBridge's answer and the mark can repeat a fact,
and that fact carries the same `id`. A record that never goes out reaches the mapping's
on-failure queue: it is never dropped in silence.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger

from kado.config import settings
from kado.services.outbox import Fact, facts_of
from kado.store import outbox as marks

logger = Logger(service="kado-outbox")
_events: Any = None


def _client() -> Any:
    global _events  # noqa: PLW0603 - one connection pool per process
    if _events is None:
        from botocore.session import get_session

        _events = get_session().create_client("events", region_name=settings().region)
    return _events


def send(facts: list[Fact], bus: str) -> None:
    """PutEvents, all or nothing for one record (at most a handful of facts)."""
    if not facts:
        return
    answer = _client().put_events(Entries=[f.entry(bus) for f in facts])
    if answer.get("FailedEntryCount"):
        failed = [e.get("ErrorCode") for e in answer["Entries"] if e.get("ErrorCode")]
        raise RuntimeError(f"EventBridge refused {failed}")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    bus = os.environ["KADO_EVENT_BUS"]
    for record in event.get("Records", []):
        record_id = str(record.get("eventID", ""))
        try:
            facts = facts_of(record)
            if facts and not marks.sent(record_id):
                send(facts, bus)
                marks.mark_sent(record_id)
        except Exception:  # any failure: stop here, and Lambda retries from this record
            logger.exception("outbox record not sent; the batch stops here")
            sequence = record.get("dynamodb", {}).get("SequenceNumber", "")
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}

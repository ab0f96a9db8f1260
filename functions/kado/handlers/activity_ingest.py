"""Lambda entry point of the activity queue: partner ERPs push, one activity a message.

A message is `{"program": "...", "activity": {...ActivityInput fields...}}`. Messages
are recorded by the same service as recordActivities. One that cannot be recorded
(malformed, a CONFLICT, a refusal) or could not be yet (BUSY) is reported as a partial
batch failure, so SQS retries it alone and, after the queue's maxReceiveCount, moves it
to the dead-letter queue; the rest of its batch is recorded.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from kado.services.activities.messages import record_message

SERVICE = "kado-activity-ingest"
logger = Logger(service=SERVICE)
metrics = Metrics(namespace="Kado", service=SERVICE)
processor = BatchProcessor(event_type=EventType.SQS)


@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True, raise_on_empty_metrics=False)
def handler(event: dict[str, Any], context: Any) -> Any:
    return process_partial_response(event=event, record_handler=_record,
                                    processor=processor, context=context)


def _record(record: Any) -> str:
    return record_message(record.body, f"queue:{record.message_id}")

"""Lambda entry point of the outbox publisher: the table's change stream in, domain facts
out to the program's EventBridge bus (services/kernel/outbox.py says which changes are facts).

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

from kado.services import budgets
from kado.services.kernel import outbox

logger = Logger(service="kado-outbox")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    return outbox.publish(event.get("Records", []), os.environ["KADO_EVENT_BUS"],
                          watchers=(budgets.ThresholdWatch(),))

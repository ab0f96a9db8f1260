"""Lambda entry point of the statement-export queue: one job a message (services/loyalty)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger

from kado.services.loyalty.exports import run

logger = Logger(service="kado-statement-export")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> None:
    for record in event.get("Records", []):
        message = json.loads(record["body"])
        run(message["program"], message["job"])

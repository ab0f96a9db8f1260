"""Lambda entry point of the statement-export queue: a step of a statements job
(services/loyalty/exports.py) or a campaign's return measured (services/campaigns/returns.py),
one a message."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger

from kado.services.campaigns import returns
from kado.services.loyalty import exports

logger = Logger(service="kado-statement-export")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> None:
    for record in event.get("Records", []):
        message = json.loads(record["body"])
        job = returns if message.get("kind") == returns.REPORT else exports
        job.run(message["program"], message["job"])

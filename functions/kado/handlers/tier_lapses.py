"""Lambda entry point of the hourly tier tidy-up (an EventBridge schedule): writes lapsed
tiers back for every program in the registry. Nothing depends on it having run."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from kado.domain.calendar import utcnow
from kado.services.kernel import programs as registry
from kado.services.tiers.lapses import tidy

logger = Logger(service="kado-tier-lapses")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    programs = registry.every()  # from the data: a new program needs no redeploy
    return {program: tidy(program, utcnow()) for program in programs}

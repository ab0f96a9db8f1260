"""Lambda entry point of the hourly tier tidy-up (an EventBridge schedule): writes lapsed
tiers back for the programs the schedule names. Nothing depends on it having run."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from kado.domain.calendar import utcnow
from kado.domain.validation import is_id
from kado.services.tier_lapses import tidy

logger = Logger(service="kado-tier-lapses")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    programs = [p.strip() for p in str(event.get("programs", "")).split(",")
                if is_id(p.strip())]
    return {program: tidy(program, utcnow()) for program in programs}

"""Lambda entry point of the program timers (an EventBridge schedule, every 5 minutes):
pass lapsed seat offers on, mark the 24-hour event reminders, and pay referral advocates
whose hold has passed, for every program in the registry.

Nothing rests on its timing: an offer past its moment is refused when a member tries to
take it, whether or not this has run; this only moves the seat on to the next in line.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from kado.domain.calendar import utcnow
from kado.services import referrals
from kado.services.events.registrations import remind, sweep_offers
from kado.services.kernel import programs as registry

logger = Logger(service="kado-event-timers")


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, dict[str, int]]:
    programs = registry.every()  # from the data: a new program needs no redeploy
    now = utcnow()
    return {program: {"offersPassedOn": sweep_offers(program, now),
                      "reminded": remind(program, now),
                      "referralsSettled": referrals.settle(program, now)}
            for program in programs}

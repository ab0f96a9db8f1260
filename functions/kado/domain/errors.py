"""Expected failures of a use case, each with a stable code clients can branch on."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_INPUT = "INVALID_INPUT"
    FORBIDDEN = "FORBIDDEN"
    CAMPAIGN_NOT_LIVE = "CAMPAIGN_NOT_LIVE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    ODDS_FROZEN = "ODDS_FROZEN"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    DAILY_LIMIT_REACHED = "DAILY_LIMIT_REACHED"
    TOTAL_LIMIT_REACHED = "TOTAL_LIMIT_REACHED"
    GIFTS_DECLINED_BY_ACCOUNT = "GIFTS_DECLINED_BY_ACCOUNT"
    EXPORT_RUNNING = "EXPORT_RUNNING"  # one statement export runs per program at a time
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"  # the key was used for another request
    BUSY = "BUSY"  # lost to contention: retry with the same idempotency key
    MAX_COST_EXCEEDED = "MAX_COST_EXCEEDED"  # the request asks for too much at once
    UNAVAILABLE = "UNAVAILABLE"  # the database is out of reach: retry with the same key
    INVALID_CODE = "INVALID_CODE"
    NOT_VALID_AT_MERCHANT = "NOT_VALID_AT_MERCHANT"
    EXPIRED = "EXPIRED"
    ALREADY_REDEEMED = "ALREADY_REDEEMED"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    VOUCHER_REVOKED = "VOUCHER_REVOKED"
    REVERSAL_WINDOW_CLOSED = "REVERSAL_WINDOW_CLOSED"
    ALREADY_REVERSED = "ALREADY_REVERSED"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    POOL_EXHAUSTED = "POOL_EXHAUSTED"
    LADDER_IN_USE = "LADDER_IN_USE"
    LATE_ACTIVITY = "LATE_ACTIVITY"
    RETURN_EXCEEDS_PURCHASE = "RETURN_EXCEEDS_PURCHASE"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"
    POINTS_LIMIT_REACHED = "POINTS_LIMIT_REACHED"  # past the largest balance (domain/bounds)
    OUT_OF_STOCK = "OUT_OF_STOCK"
    BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED"  # the award would take a budget below zero
    REGISTRATION_CLOSED = "REGISTRATION_CLOSED"
    ACCOUNT_LIMIT_REACHED = "ACCOUNT_LIMIT_REACHED"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"
    EVENT_FULL = "EVENT_FULL"  # full, and the event keeps no waitlist
    NO_OFFER = "NO_OFFER"  # nothing is offered to this member (or the offer has lapsed)
    NOT_REGISTERED = "NOT_REGISTERED"
    ALREADY_CHECKED_IN = "ALREADY_CHECKED_IN"
    WRONG_EVENT = "WRONG_EVENT"
    CHECK_IN_CLOSED = "CHECK_IN_CLOSED"  # too early (before the door opens) or after the end
    QUEST_LIMIT_REACHED = "QUEST_LIMIT_REACHED"
    SURVEY_CLOSED = "SURVEY_CLOSED"
    ALREADY_SUBMITTED = "ALREADY_SUBMITTED"
    NO_SPIN_CREDITS = "NO_SPIN_CREDITS"
    SELF_REFERRAL = "SELF_REFERRAL"
    NOT_NEW = "NOT_NEW"  # the referred company is already a customer
    ALREADY_REFERRED = "ALREADY_REFERRED"
    REFERRAL_CAP_REACHED = "REFERRAL_CAP_REACHED"
    NOT_CONFIRMED = "NOT_CONFIRMED"  # a waitlisted, offered or cancelled registration at the door
    ALREADY_CLAIMED = "ALREADY_CLAIMED"  # this invoice was claimed in the program before
    REP_LIMIT_REACHED = "REP_LIMIT_REACHED"  # a rep's per-member or per-rep limit this period


class DomainError(Exception):
    """A refusal the caller can act on; the API turns it into a UserError."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """One or more input fields are wrong; every problem is reported with its path."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        first_field, first_message = problems[0]
        super().__init__(ErrorCode.INVALID_INPUT, first_message, first_field)
        self.problems = problems


# Nothing was refused: the same request, with the same idempotency key, may succeed later.
RETRYABLE = frozenset({ErrorCode.BUSY, ErrorCode.UNAVAILABLE})

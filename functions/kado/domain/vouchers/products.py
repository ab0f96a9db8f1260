"""Voucher products, the vouchers issued from them, and what a voucher's state means.

A voucher copies its product's terms when it is issued (value, merchants,
expiry, reversal window). Editing a product later never changes a voucher a
member already holds, and the database can check a redemption against the
voucher item alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kado.domain.bounds import MAX_INT
from kado.domain.campaigns.rules import MAX_NAME
from kado.domain.errors import ValidationFailed
from kado.domain.validation import is_id, named_problems

MAX_MERCHANTS = 100
MAX_VALID_DAYS = 3660
MAX_REVERSAL_MINUTES = 7 * 24 * 60
CURRENCY_LENGTH = 3
MAX_AMOUNT = MAX_INT  # a value or balance the API answers as a 32-bit Int (domain/bounds)
DEFAULT_LOW_STOCK = 100


class VoucherKind(StrEnum):
    AMOUNT = "AMOUNT"  # value in minor units of `currency`
    PERCENT = "PERCENT"  # value in percent off
    ITEM = "ITEM"  # value is a count of the item (usually 1)


class CodeSource(StrEnum):
    GENERATED = "GENERATED"
    POOL = "POOL"


class VoucherStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PARTIALLY_REDEEMED = "PARTIALLY_REDEEMED"
    REDEEMED = "REDEEMED"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


@dataclass(frozen=True)
class VoucherProduct:
    id: str
    name: str
    kind: VoucherKind
    value: int
    currency: str | None
    merchant_ids: tuple[str, ...] = ()  # empty: every merchant of the program
    expires_at: datetime | None = None
    valid_for_days: int | None = None
    code_source: CodeSource = CodeSource.GENERATED
    partial_redemption: bool = False
    reversal_window_minutes: int = 0
    low_stock_threshold: int = DEFAULT_LOW_STOCK

    def face_balance(self) -> int:
        """What one redemption can take: money for AMOUNT, one use otherwise."""
        return self.value if self.kind is VoucherKind.AMOUNT else 1

    def expiry_for(self, issued_at: datetime) -> datetime:
        if self.valid_for_days is not None:
            return issued_at + timedelta(days=self.valid_for_days)
        assert self.expires_at is not None
        return self.expires_at


def validate(product: VoucherProduct) -> None:
    problems = named_problems(product.id, product.name, MAX_NAME)
    problems += _value_problems(product)
    if (product.expires_at is None) == (product.valid_for_days is None):
        problems.append(("expiresAt", "give exactly one of expiresAt and validForDays"))
    if product.valid_for_days is not None and not 1 <= product.valid_for_days <= MAX_VALID_DAYS:
        problems.append(("validForDays", f"must be 1-{MAX_VALID_DAYS}"))
    if product.expires_at is not None and product.expires_at.tzinfo is None:
        problems.append(("expiresAt", "must carry a UTC offset"))
    if len(product.merchant_ids) > MAX_MERCHANTS:
        problems.append(("merchantIds", f"at most {MAX_MERCHANTS} merchants"))
    if any(not is_id(m) for m in product.merchant_ids):
        problems.append(("merchantIds", "entries must be merchant ids"))
    if not 0 <= product.reversal_window_minutes <= MAX_REVERSAL_MINUTES:
        problems.append(("reversalWindowMinutes", f"must be 0-{MAX_REVERSAL_MINUTES}"))
    if product.low_stock_threshold < 0:
        problems.append(("lowStockThreshold", "must be >= 0"))
    if problems:
        raise ValidationFailed(problems)


def _value_problems(product: VoucherProduct) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if product.kind is VoucherKind.PERCENT and not 1 <= product.value <= 100:
        problems.append(("value", "a percentage must be 1-100"))
    elif not 1 <= product.value <= MAX_AMOUNT:
        problems.append(("value", f"must be 1-{MAX_AMOUNT}"))
    if product.kind is VoucherKind.AMOUNT:
        currency = product.currency or ""
        if len(currency) != CURRENCY_LENGTH or not currency.isalpha() or not currency.isupper():
            problems.append(("currency", "an AMOUNT voucher needs an ISO 4217 code like EUR"))
    if product.partial_redemption and product.kind is not VoucherKind.AMOUNT:
        problems.append(("partialRedemption", "only AMOUNT vouchers can be partly redeemed"))
    return problems


def status_of(balance: int, face: int, expires_at: str, revoked: bool, now_iso: str) -> \
        VoucherStatus:
    """A voucher's status, derived when read: expiry needs no scheduler."""
    if revoked:
        return VoucherStatus.REVOKED
    if balance <= 0:
        return VoucherStatus.REDEEMED
    if expires_at <= now_iso:
        return VoucherStatus.EXPIRED
    return VoucherStatus.PARTIALLY_REDEEMED if balance < face else VoucherStatus.ACTIVE

"""At the till: check a code, redeem it exactly once, reverse a mistake.

Every rule that two tills could race on (balance, single use, expiry, merchant
scope, the failed-guess throttle) is a condition of the one transaction; the
Python checks here only explain a refusal the database already made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from kado.config import settings
from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ids import derived_id
from kado.domain.principal import Principal
from kado.domain.validation import (
    MAX_REASON,
    require_id,
    require_idempotency_key,
    require_text,
)
from kado.domain.vouchers.products import MAX_AMOUNT
from kado.services.vouchers import issuing as vouchers
from kado.store.kernel import item_keys
from kado.store.kernel.pages import Page
from kado.store.kernel.reads import get_many
from kado.store.kernel.throttle import minute_of
from kado.store.kernel.transact import Cancelled
from kado.store.vouchers import issued as voucher_store
from kado.store.vouchers import redemptions as store

MAX_REFERENCE = 200
# Retries follow only a lost race on the same voucher or merchant item.
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Redemption:
    program: str
    id: str
    merchant_id: str
    lookup: str
    amount: int | None  # None: the whole face value (read from the voucher when asked)
    reference: str | None
    redeemed_at: str
    reversed_at: str | None = None

    @cached_property
    def voucher(self) -> vouchers.VoucherView:
        """Read once, when first asked for: the redemption itself never needs it."""
        item = voucher_store.get(self.program, self.lookup)
        assert item is not None, "a redeemed voucher is always on file"
        return vouchers.view(item, iso(utcnow()))


@dataclass(frozen=True)
class Check:
    voucher: vouchers.VoucherView
    problem: DomainError | None  # why it cannot be redeemed here and now


def check(principal: Principal, typed: str) -> Check:
    """Validity, product and balance in one consistent read; it changes nothing."""
    lookup = vouchers.lookup_of_code(principal.program, typed)
    now = utcnow()
    merchant, item = get_many([item_keys.merchant(principal.program, principal.subject),
                               item_keys.voucher(principal.program, lookup)])
    _require_merchant(merchant, now)
    _require_issued(principal, item, now)
    assert item is not None
    return Check(vouchers.view(item, iso(now)), _state_problem(principal, item, iso(now)))


def _require_merchant(item: dict[str, Any] | None, now: datetime) -> None:
    if item is None:
        raise DomainError(ErrorCode.FORBIDDEN, "this merchant is not registered in the program")
    if item.get(store.FAIL_MINUTE) == minute_of(now) and \
            item.get(store.FAIL_COUNT, 0) >= settings().failed_lookups_per_minute:
        raise _too_many_attempts()


def _too_many_attempts() -> DomainError:
    return DomainError(ErrorCode.TOO_MANY_ATTEMPTS,
                       "too many unknown codes from this till; wait for the next minute", "code")


def _require_issued(principal: Principal, item: dict[str, Any] | None, now: datetime) -> None:
    """An unknown code is answered only while the till is under its failed-look-up limit."""
    if item is None or "memberId" not in item:
        if not store.count_failed_lookup(principal.program, principal.subject, minute_of(now),
                                         settings().failed_lookups_per_minute):
            raise _too_many_attempts()
        raise DomainError(ErrorCode.INVALID_CODE, "no voucher has this code", "code")


def _state_problem(principal: Principal, item: dict[str, Any], now: str) -> DomainError | None:
    merchant_id = principal.subject
    if "revokedAt" in item:
        return DomainError(ErrorCode.VOUCHER_REVOKED, "this voucher was revoked", "code")
    if item["balance"] <= 0:
        return DomainError(ErrorCode.ALREADY_REDEEMED,
                           _redeemed_when_and_where(principal.program, item), "code")
    if item["expiresAt"] <= now:
        return DomainError(ErrorCode.EXPIRED, f"this voucher expired at {item['expiresAt']}",
                           "code")
    if item.get("merchants") and merchant_id not in item["merchants"]:
        return DomainError(ErrorCode.NOT_VALID_AT_MERCHANT,
                           "this voucher cannot be redeemed at this merchant", "code")
    return None


def _redeemed_when_and_where(program: str, item: dict[str, Any]) -> str:
    """The cashier's answer to "but the customer says it's new": when and where it went
    (one ledger read, on this refusal only)."""
    redeemed = [e for e in voucher_store.ledger(program, item_keys.lookup_in_pk(item["pk"]))
                if e.get("event") == "REDEEMED"]
    if not redeemed:
        return "this voucher was already redeemed"
    last = max(redeemed, key=lambda e: e["at"])
    return f"this voucher was already redeemed at {last['at'][:16].replace('T', ' ')} UTC " \
           f"by merchant {last['actor']}"


def _amount_problem(item: dict[str, Any], amount: int | None) -> DomainError | None:
    balance, face = item["balance"], item["face"]
    if amount is None and balance != face:
        return DomainError(ErrorCode.INSUFFICIENT_BALANCE,
                           f"partly redeemed: {balance} left; give an amount", "amount")
    if amount is not None and item.get("partial") and balance < amount:
        return DomainError(ErrorCode.INSUFFICIENT_BALANCE, f"only {balance} left", "amount")
    if amount is not None and not item.get("partial") and amount != face:
        return DomainError(ErrorCode.INVALID_INPUT,
                           f"this voucher is redeemed whole: omit amount or give {face}",
                           "amount")
    return None


def redeem(principal: Principal, typed: str, amount: int | None, idempotency_key: str,
           reference: str | None) -> Redemption:
    require_idempotency_key(idempotency_key)
    if amount is not None and not 1 <= amount <= MAX_AMOUNT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"must be 1-{MAX_AMOUNT}", "amount")
    if reference is not None and len(reference) > MAX_REFERENCE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"at most {MAX_REFERENCE} characters",
                          "reference")
    lookup = vouchers.lookup_of_code(principal.program, typed)
    program, merchant_id = principal.program, principal.subject
    asked = fingerprint("redeemVoucher", lookup, amount, reference)
    for _ in range(MAX_ATTEMPTS):
        now = utcnow()
        attempt = store.Redeem(
            program=program, merchant_id=merchant_id,
            redemption_id=derived_id(program, merchant_id, idempotency_key), lookup=lookup,
            amount=amount, reference=reference, idempotency_key=idempotency_key, at=iso(now),
            minute=minute_of(now), failed_lookup_limit=settings().failed_lookups_per_minute,
            fingerprint=asked)
        try:
            store.redeem(attempt)
            return Redemption(program, attempt.redemption_id, merchant_id, lookup, amount,
                              reference, attempt.at)
        except Cancelled as cancelled:
            earlier = _explain(principal, cancelled, lookup, amount, now, asked)
            if earlier is not None:
                return earlier
    raise DomainError(ErrorCode.BUSY, "this voucher is busy; retry", "code")


def _explain(principal: Principal, cancelled: Cancelled, lookup: str, amount: int | None,
             now: datetime, asked: str) -> Redemption | None:
    earlier = cancelled.failed("redemption")
    if earlier is not None and earlier.item:
        stored = earlier.item.get("fingerprint")
        if stored is None and earlier.item["voucherLookup"] != lookup:  # made before prints
            stored = "another voucher"
        require_same(stored, asked)
        return _from_item(principal.program, earlier.item)
    merchant = cancelled.failed("merchant")
    if merchant is not None:
        _require_merchant(merchant.item, now)
    voucher = cancelled.failed("voucher")
    if voucher is not None:
        _require_issued(principal, voucher.item, now)
        assert voucher.item is not None
        problem = _state_problem(principal, voucher.item, iso(now)) or \
            _amount_problem(voucher.item, amount)
        if problem:
            raise problem
    return None  # a parallel change won the race; the next attempt sees its result


def _from_item(program: str, item: dict[str, Any]) -> Redemption:
    return Redemption(program, item["id"], item["merchantId"], item["voucherLookup"],
                      None if item.get("full") else item["amount"], item.get("reference"),
                      item["redeemedAt"], item.get("reversedAt"))


def reverse(principal: Principal, redemption_id: str, idempotency_key: str,
            reason: str) -> Redemption:
    """Undo this merchant's own redemption, inside the product's reversal window."""
    require_idempotency_key(idempotency_key)
    require_id(redemption_id, "redemptionId")
    require_text(reason, "reason", MAX_REASON)
    program, merchant_id = principal.program, principal.subject
    record = store.get(program, merchant_id, redemption_id)
    if record is None:  # another merchant's redemption is not even addressable
        raise DomainError(ErrorCode.NOT_FOUND, "no such redemption at this merchant",
                          "redemptionId")
    done = _already_reversed(program, record, idempotency_key)
    if done is not None:
        return done
    voucher = voucher_store.get(program, record["voucherLookup"]) or {}
    now = utcnow()
    cutoff = iso(now - timedelta(minutes=voucher.get("reversalWindowMinutes", 0)))
    if record["redeemedAt"] < cutoff:
        raise DomainError(ErrorCode.REVERSAL_WINDOW_CLOSED,
                          "the reversal window for this redemption has closed", "redemptionId")
    amount = voucher["face"] if record.get("full") else record["amount"]
    try:
        store.reverse(program, merchant_id, record, amount, cutoff, idempotency_key, reason,
                      iso(now))
    except Cancelled:
        fresh = store.get(program, merchant_id, redemption_id) or record
        done = _already_reversed(program, fresh, idempotency_key)
        if done is not None:
            return done
        raise DomainError(ErrorCode.REVERSAL_WINDOW_CLOSED,
                          "the reversal window for this redemption has closed",
                          "redemptionId") from None
    return _from_item(program, {**record, "reversedAt": iso(now)})


def _already_reversed(program: str, record: dict[str, Any],
                      idempotency_key: str) -> Redemption | None:
    if "reversedAt" not in record:
        return None
    if record.get("reversalKey") == idempotency_key:
        return _from_item(program, record)
    raise DomainError(ErrorCode.ALREADY_REVERSED, "this redemption was already reversed",
                      "redemptionId")


def list_mine(principal: Principal, first: int,
              after: str | None) -> tuple[list[Redemption], Page]:
    page = store.list_page(principal.program, principal.subject, first, after)
    return [_from_item(principal.program, i) for i in page.items], page


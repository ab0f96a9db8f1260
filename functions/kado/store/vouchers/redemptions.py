"""Redemptions at the till, their reversal, and the merchant's failed-lookup counter.

A redemption is one TransactWriteItems:
  merchant    ConditionCheck: a registered merchant that is not throttled
  redemption  the record, keyed by merchant + redemption id (attribute_not_exists)
  voucher     the balance taken, if issued, not revoked, not expired, valid at
              this merchant and with enough left; all checked by DynamoDB
  ledger      the voucher's ledger line
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kado.store.kernel import codec, throttle, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK
from kado.store.kernel.throttle import FAIL_COUNT, FAIL_MINUTE
from kado.store.vouchers.issued import VoucherEntry, ledger_part


@dataclass(frozen=True)
class Redeem:
    program: str
    merchant_id: str
    redemption_id: str
    lookup: str
    amount: int | None  # None: the voucher's whole face value, untouched
    reference: str | None
    idempotency_key: str
    at: str
    minute: str
    failed_lookup_limit: int
    fingerprint: str = ""  # what the request asked (domain/idempotency.py)


# The merchant whose redemption (or reversal) last moved the voucher's balance: the fact the
# change publishes names it (redemptions by merchant in the reports).
LAST_MERCHANT = "lastMerchantId"


def merchant_check_part(program: str, merchant_id: str, minute: str,
                        limit: int) -> dict[str, Any]:
    return transact.check(
        keys.merchant(program, merchant_id),
        "attribute_exists(pk) AND (attribute_not_exists(#fm) OR #fm <> :minute OR #fc < :limit)",
        names={"#fm": FAIL_MINUTE, "#fc": FAIL_COUNT},
        values=codec.dump({":minute": minute, ":limit": limit}))


def redeem(r: Redeem) -> None:
    """Raises transact.Cancelled naming the parts whose conditions failed."""
    record = {"type": "REDEMPTION", "id": r.redemption_id, "merchantId": r.merchant_id,
              "voucherLookup": r.lookup, "amount": r.amount, "full": r.amount is None,
              "reference": r.reference, "idempotencyKey": r.idempotency_key, "redeemedAt": r.at,
              "fingerprint": r.fingerprint or None,
              GSI1_PK: keys.merchant_redemptions_index(r.program, r.merchant_id),
              GSI1_SK: f"{r.at}#{r.redemption_id}"}
    transact.write({
        "merchant": merchant_check_part(r.program, r.merchant_id, r.minute,
                                        r.failed_lookup_limit),
        "redemption": transact.put({**keys.redemption(r.program, r.merchant_id,
                                                      r.redemption_id), **codec.dump(record)},
                                   "attribute_not_exists(pk)"),
        "voucher": _take_part(r),
        "ledger": ledger_part(r.program, r.lookup, VoucherEntry(
            "REDEEMED", r.merchant_id, "merchant", r.reference or "redeemed at the till", r.at,
            r.amount, r.redemption_id)),
    })


def _take_part(r: Redeem) -> dict[str, Any]:
    names = {"#m": "memberId", "#rv": "revokedAt", "#e": "expiresAt", "#ms": "merchants",
             "#b": "balance", "#f": "face", "#lm": LAST_MERCHANT}
    values: dict[str, Any] = {":now": r.at, ":merchant": r.merchant_id}
    condition = ("attribute_exists(#m) AND attribute_not_exists(#rv) AND #e > :now"
                 " AND (attribute_not_exists(#ms) OR contains(#ms, :merchant))")
    if r.amount is None:
        condition += " AND #b = #f"
        expression = "SET #b = :zero, #lm = :merchant"
        values[":zero"] = 0
    else:
        names["#p"] = "partial"
        # Partial vouchers give up any amount they still hold; the others go whole.
        condition += " AND ((#p = :yes AND #b >= :amount) OR (#b = #f AND #f = :amount))"
        expression = "SET #b = #b - :amount, #lm = :merchant"
        values.update({":amount": r.amount, ":yes": True})
    return transact.update(keys.voucher(r.program, r.lookup), expression, condition,
                           names=names, values=codec.dump(values))


def get(program: str, merchant_id: str, redemption_id: str) -> dict[str, Any] | None:
    return get_one(keys.redemption(program, merchant_id, redemption_id))


def list_page(program: str, merchant_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.merchant_redemptions_index(program, merchant_id), first, after)


def reverse(program: str, merchant_id: str, record: dict[str, Any], amount: int,
            cutoff: str, idempotency_key: str, reason: str, at: str) -> None:
    """Restore the balance and mark the redemption reversed, if still inside the window."""
    lookup = record["voucherLookup"]
    transact.write({
        "redemption": transact.update(
            keys.redemption(program, merchant_id, record["id"]),
            "SET #r = :at, #k = :key, #why = :why",
            "attribute_exists(pk) AND attribute_not_exists(#r) AND #at >= :cutoff",
            names={"#r": "reversedAt", "#k": "reversalKey", "#why": "reversalReason",
                   "#at": "redeemedAt"},
            values=codec.dump({":at": at, ":key": idempotency_key, ":why": reason,
                               ":cutoff": cutoff})),
        "voucher": transact.update(keys.voucher(program, lookup),
                                   "SET #b = #b + :amount, #lm = :merchant",
                                   "attribute_exists(pk)",
                                   names={"#b": "balance", "#lm": LAST_MERCHANT},
                                   values=codec.dump({":amount": amount,
                                                      ":merchant": merchant_id})),
        "ledger": ledger_part(program, lookup, VoucherEntry(
            "REVERSED", merchant_id, "merchant", reason, at, amount, record["id"])),
    })


def count_failed_lookup(program: str, merchant_id: str, minute: str, limit: int) -> bool:
    """Count one more failed code look-up by this merchant in this minute, if it is still
    under `limit`; False if the limit was reached first (store/kernel/throttle)."""
    return throttle.count_failure(keys.merchant(program, merchant_id), minute, limit)

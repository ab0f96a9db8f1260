"""Marketing's voucher use cases: products, merchants, pool imports and direct issues."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.validation import (
    MAX_NAME_TEXT,
    MAX_REASON,
    require_id,
    require_idempotency_key,
    require_text,
)
from kado.domain.vouchers import codes
from kado.domain.vouchers.products import CodeSource, VoucherProduct, validate
from kado.services.kernel import definition_cache, references
from kado.services.kernel.code_key_ring import keys
from kado.services.vouchers import issuing
from kado.store.kernel import item_keys, transact
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_many
from kado.store.members import gift_check_part
from kado.store.vouchers import issued as voucher_store
from kado.store.vouchers import products as store

MAX_IMPORT = 1000
MAX_ISSUE = 100
TRANSACTION_ITEMS = 100
ISSUE_WORKERS = 8
ALREADY_ON_FILE = "this code is already in the program"


def upsert_product(program: str, product: VoucherProduct) -> VoucherProduct:
    validate(product)
    references.require_merchants(program, product.merchant_ids, "merchantIds")
    store.put_product(program, product, iso(utcnow()))
    definition_cache.forget_product(program, product.id)
    return product


def get_product(program: str, product_id: str) -> VoucherProduct | None:
    return store.get_product(program, require_id(product_id, "id"))


def list_products(program: str, first: int,
                  after: str | None) -> tuple[list[VoucherProduct], Page]:
    page = store.list_products(program, first, after)
    return [store.product_from_item(i) for i in page.items], page


@dataclass(frozen=True)
class PoolStats:
    left: int
    low: bool


def pool_stats(program: str, product: VoucherProduct) -> PoolStats | None:
    if product.code_source is not CodeSource.POOL:
        return None
    left = voucher_store.pool_left(program, product.id)
    return PoolStats(left, left < product.low_stock_threshold)


@dataclass(frozen=True)
class Merchant:
    id: str
    name: str


def upsert_merchant(program: str, merchant_id: str, name: str) -> Merchant:
    require_id(merchant_id, "id")
    require_text(name, "name", MAX_NAME_TEXT)
    store.put_merchant(program, merchant_id, name, iso(utcnow()))
    return Merchant(merchant_id, name)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    rejected: list[tuple[int, str, ErrorCode, str]]  # index, code as given, code, why


def import_codes(program: str, product_id: str, given: list[str]) -> ImportResult:
    """Add partner codes to a POOL product; each bad or duplicate code is reported alone."""
    product = _pool_product(program, product_id)
    if not 1 <= len(given) <= MAX_IMPORT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"send 1-{MAX_IMPORT} codes per call",
                          "codes")
    rejected: list[tuple[int, str, ErrorCode, str]] = []
    fresh: dict[str, tuple[int, str]] = {}
    for index, raw in enumerate(given):
        code = codes.normalise(raw) if len(raw) <= codes.MAX_INPUT else raw
        problem = codes.pool_code_problem(code)
        if problem:
            rejected.append((index, raw, ErrorCode.INVALID_CODE, problem))
        elif code in fresh:
            rejected.append((index, raw, ErrorCode.DUPLICATE_CODE, "appears twice in this call"))
        else:
            fresh[code] = (index, raw.strip())
    now = iso(utcnow())
    pending = list(fresh.items())
    on_file: list[tuple[int, str, ErrorCode, str]] = []
    for start in range(0, len(pending), TRANSACTION_ITEMS):
        on_file += _import_chunk(program, product.id, pending[start:start + TRANSACTION_ITEMS],
                                 now)
    return ImportResult(len(fresh) - len(on_file), sorted(rejected + on_file))


def _pool_product(program: str, product_id: str) -> VoucherProduct:
    product = get_product(program, product_id)
    if product is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no voucher product {product_id!r}", "productId")
    if product.code_source is not CodeSource.POOL:
        raise DomainError(ErrorCode.INVALID_INPUT, "this product generates its own codes",
                          "productId")
    return product


def _import_chunk(program: str, product_id: str, chunk: list[tuple[str, tuple[int, str]]],
                  now: str) -> list[tuple[int, str, ErrorCode, str]]:
    """One transaction per chunk; codes already on file are reported and the rest retried."""
    rejected: list[tuple[int, str, ErrorCode, str]] = []
    while chunk:
        parts = {}
        for code, (_, supplied) in chunk:
            voucher_id = issuing.new_voucher_id()
            # Looked up by its normalised form; sealed as supplied, which is what the member
            # is shown (the partner's own system knows only that form).
            parts[code] = voucher_store.pool_part(
                program, product_id, keys().lookup(program, code), voucher_id,
                keys().seal(program, voucher_id, supplied), now)
        try:
            transact.write(parts)
            return rejected
        except transact.Cancelled as cancelled:
            taken = set(cancelled.failures) & {code for code, _ in chunk}
            if not taken:
                raise  # not a duplicate: nothing to report per code, so do not loop
            rejected += [(i, raw, ErrorCode.DUPLICATE_CODE, ALREADY_ON_FILE)
                         for code, (i, raw) in chunk if code in taken]
            chunk = [entry for entry in chunk if entry[0] not in taken]
    return rejected


@dataclass(frozen=True)
class IssueOutcome:
    member_id: str
    voucher: issuing.VoucherView | None
    error: DomainError | None
    already_issued: bool = False  # a retry: the first issue's voucher, nothing new


def issue(admin: Principal, product_id: str, member_ids: list[str], idempotency_key: str,
          reason: str) -> list[IssueOutcome]:
    """Issue one voucher to each member; a retry with the same key issues nothing new."""
    require_idempotency_key(idempotency_key)
    if not 1 <= len(member_ids) <= MAX_ISSUE:
        raise DomainError(ErrorCode.INVALID_INPUT, f"send 1-{MAX_ISSUE} members per call",
                          "memberIds")
    if len(set(member_ids)) != len(member_ids):
        raise DomainError(ErrorCode.INVALID_INPUT, "a member is listed twice", "memberIds")
    for member_id in member_ids:
        require_id(member_id, "memberIds")
    require_text(reason, "reason", MAX_REASON)
    program = admin.program
    product = issuing.product(program, require_id(product_id, "productId"))
    profiles = get_many([item_keys.member(program, m) for m in member_ids])
    with ThreadPoolExecutor(ISSUE_WORKERS) as pool:
        return list(pool.map(lambda pair: _issue_one(admin, product, pair[0], pair[1],
                                                     idempotency_key, reason),
                             zip(member_ids, profiles, strict=True)))


def _issue_one(admin: Principal, product: VoucherProduct, member_id: str,
               profile: dict[str, Any] | None, idempotency_key: str,
               reason: str) -> IssueOutcome:
    try:
        if profile is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"no member {member_id!r}", "memberIds")
        voucher, again = _write_issue(admin, product, member_id, profile.get("accountId"),
                                      idempotency_key, reason)
        return IssueOutcome(member_id, voucher, None, again)
    except DomainError as error:
        return IssueOutcome(member_id, None, error)


def _write_issue(admin: Principal, product: VoucherProduct, member_id: str,
                 account_id: str | None, idempotency_key: str,
                 reason: str) -> tuple[issuing.VoucherView, bool]:
    """The voucher, and whether an earlier call with this key had issued it."""
    program = admin.program
    for _ in range(issuing.MAX_POOL_CLAIMS):
        now = utcnow()
        prepared = issuing.prepare(program, product, member_id, now)
        if prepared is None:
            raise DomainError(ErrorCode.POOL_EXHAUSTED, "the product's code pool is empty",
                              "productId")
        parts = {"issuance": voucher_store.issuance_part(program, member_id, idempotency_key,
                                                         prepared, reason),
                 **issuing.parts(prepared, admin.subject, "admin", reason)}
        if account_id:
            parts["account"] = gift_check_part(program, account_id)
        try:
            transact.write(parts)
            return issuing.view_of(prepared), False
        except transact.Cancelled as cancelled:
            if cancelled.failed("issuance") is not None:
                # Read it back rather than trust the echo: emulators differ in what
                # ALL_OLD returns, and this path is rare.
                earlier = voucher_store.get_issuance(program, member_id, idempotency_key)
                if earlier is not None:
                    return _issued(program, earlier["lookup"], iso(now)), True
                continue
            if cancelled.failed("account"):
                raise DomainError(ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
                                  "this member's company does not accept personal gifts",
                                  "memberIds") from cancelled
    raise DomainError(ErrorCode.BUSY, "too much contention on this pool; retry", "productId")


def _issued(program: str, lookup: str, now: str) -> issuing.VoucherView:
    item = voucher_store.get(program, lookup)
    assert item is not None, "an issued voucher is always on file"
    return issuing.view(item, now)



def revoke(admin: Principal, member_id: str, voucher_id: str, reason: str) -> issuing.VoucherView:
    """Withdraw a member's voucher; a till refuses it from then on (VOUCHER_REVOKED)."""
    require_id(member_id, "memberId")
    require_id(voucher_id, "voucherId")
    require_text(reason, "reason", MAX_REASON)
    item = voucher_store.find_for_member(admin.program, member_id, voucher_id)
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND, "this member holds no such voucher", "voucherId")
    now = iso(utcnow())
    # Cancelled means it was revoked meanwhile: the outcome asked for holds either way.
    if "revokedAt" not in item:
        with contextlib.suppress(transact.Cancelled):
            voucher_store.revoke(admin.program, item, voucher_store.VoucherEntry(
                "REVOKED", admin.subject, "admin", reason, now))
    return issuing.view({**item, "revokedAt": item.get("revokedAt", now)}, now)


def merchants_page(program: str, first: int, after: str | None) -> tuple[list[Merchant], Page]:
    page = query_index(item_keys.merchants_index(program), first, after, newest_first=False,
                       keep=lambda item: item.get("type") == "MERCHANT")
    return [Merchant(i["id"], i["name"]) for i in page.items], page


@dataclass(frozen=True)
class VoucherRecord:
    """A voucher as the console shows it: its terms, state and every ledger line."""

    view: issuing.VoucherView
    ledger: list[dict[str, Any]]


def find_voucher(program: str, code: str | None, voucher_id: str | None) -> VoucherRecord | None:
    """By the code a member shows, or by the id an app or a ledger names."""
    if (code is None) == (voucher_id is None):
        raise DomainError(ErrorCode.INVALID_INPUT, "give a code or an id", "code")
    if code is not None:
        lookup: str | None = issuing.lookup_of_code(program, code)
    else:
        lookup = voucher_store.lookup_of_id(program, require_id(voucher_id or "", "id"))
    item = voucher_store.get(program, lookup) if lookup else None
    if item is None or "memberId" not in item:  # unknown, or a pool code not yet issued
        return None
    ledger = sorted(voucher_store.ledger(program, lookup or ""), key=lambda e: e["at"])
    return VoucherRecord(issuing.view(item, iso(utcnow())), ledger)

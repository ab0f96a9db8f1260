"""Issuing vouchers: the one place that turns a product into a member's voucher.

Spins and direct issues both come here for the parts of their transaction, so
a voucher is always written the same way: a code generated or claimed from the
pool, the member's copy of the product's terms, and a ledger line.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.vouchers import codes
from kado.domain.vouchers.products import CodeSource, VoucherProduct, VoucherStatus, status_of
from kado.services.kernel import definition_cache
from kado.services.kernel.code_key_ring import keys
from kado.services.vouchers import pool_reservoir
from kado.store.kernel.pages import Page
from kado.store.vouchers import issued as store
from kado.store.vouchers.issued import Issue, VoucherEntry

# A failed pool claim means another issue took that code first (or the index
# was a moment behind); each one is progress, so this bound is generous.
MAX_POOL_CLAIMS = 200


def new_voucher_id() -> str:
    return "v" + secrets.token_hex(10)


def lookup_of_code(program: str, typed: str) -> str:
    """Where a code as typed or scanned is looked up (INVALID_CODE, with no I/O, for a typo)."""
    return keys().lookup(program, codes.read(typed))


def product(program: str, product_id: str, field: str = "productId") -> VoucherProduct:
    found = definition_cache.product(program, product_id)
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no voucher product {product_id!r}", field)
    return found


def prepare(program: str, p: VoucherProduct, member_id: str, now: datetime) -> Issue | None:
    """A voucher ready to write: a fresh code, or an unissued pool code (None: pool empty)."""
    if p.code_source is CodeSource.POOL:
        candidate = pool_reservoir.take(program, p.id)
        if candidate is None:
            return None
        lookup, voucher_id = candidate
        sealed = None
    else:
        code, voucher_id = codes.generate(), new_voucher_id()
        lookup = keys().lookup(program, code)
        sealed = keys().seal(program, voucher_id, code)
    return Issue(program=program, lookup=lookup, voucher_id=voucher_id, product=p,
                 member_id=member_id, issued_at=iso(now), expires_at=iso(p.expiry_for(now)),
                 sealed_code=sealed)


def parts(issue: Issue, actor: str, actor_role: str, reason: str) -> dict[str, dict[str, Any]]:
    return {"voucher": store.issue_part(issue), "voucherId": store.id_part(issue),
            "ledger": store.ledger_part(issue.program, issue.lookup, VoucherEntry(
                "ISSUED", actor, actor_role, reason, issue.issued_at))}


@dataclass(frozen=True)
class VoucherView:
    id: str
    member_id: str
    product_id: str
    name: str
    kind: str
    value: int
    currency: str | None
    status: VoucherStatus
    balance: int
    face: int
    expires_at: str
    issued_at: str
    merchants: tuple[str, ...]
    partial: bool
    code: str | None = None  # normalised; only ever filled for the owner

    @property
    def formatted_code(self) -> str | None:
        return codes.formatted(self.code) if self.code else None

    @property
    def qr_payload(self) -> str | None:
        return codes.qr_payload(self.code) if self.code else None


def item_status(item: dict[str, Any], now: str) -> VoucherStatus:
    return status_of(item["balance"], item["face"], item["expiresAt"], "revokedAt" in item, now)


def view(item: dict[str, Any], now: str, program: str | None = None) -> VoucherView:
    """A voucher as read; with `program`, the sealed code is opened for its owner."""
    product_terms = item["product"]
    code = keys().open(program, item["id"], item["sealedCode"]) if program else None
    return VoucherView(
        id=item["id"], member_id=item["memberId"], product_id=item["productId"],
        name=product_terms["name"], kind=product_terms["kind"], value=product_terms["value"],
        currency=product_terms.get("currency"),
        status=item_status(item, now),
        balance=item["balance"], face=item["face"], expires_at=item["expiresAt"],
        issued_at=item["issuedAt"], merchants=tuple(sorted(item.get("merchants", ()))),
        partial=item.get("partial", False), code=code)


def view_of(issue: Issue) -> VoucherView:
    """The voucher just written, without reading it back."""
    p = issue.product
    face = p.face_balance()
    return VoucherView(
        id=issue.voucher_id, member_id=issue.member_id, product_id=p.id, name=p.name,
        kind=p.kind.value, value=p.value, currency=p.currency,
        status=status_of(face, face, issue.expires_at, False, issue.issued_at),
        balance=face, face=face, expires_at=issue.expires_at, issued_at=issue.issued_at,
        merchants=tuple(sorted(p.merchant_ids)), partial=p.partial_redemption)


def member_vouchers(program: str, member_id: str, first: int,
                    after: str | None) -> tuple[list[VoucherView], Page]:
    """A member's vouchers for the admin, newest first (codes stay sealed)."""
    now = iso(utcnow())
    page = store.list_for_member(program, member_id, first, after, lambda _: True)
    return [view(item, now) for item in page.items], page


def my_vouchers(principal: Principal, status: VoucherStatus | None, first: int,
                after: str | None) -> tuple[list[VoucherView], Page]:
    """The member's vouchers, newest first, with their codes opened for them alone."""
    now = iso(utcnow())

    def keep(item: dict[str, Any]) -> bool:
        return status is None or item_status(item, now) is status

    page = store.list_for_member(principal.program, principal.subject, first, after, keep)
    return [view(item, now, principal.program) for item in page.items], page

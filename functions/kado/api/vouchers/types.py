"""GraphQL types for vouchers, shared by the member, merchant and admin schemas.

Only the member schema has a type with the code in it: the others cannot
select a field their schema does not have.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from kado.domain.calendar import parse_iso
from kado.domain.vouchers import products as domain
from kado.services.vouchers import redemptions as redemption_service
from kado.services.vouchers.issuing import VoucherView

VoucherKind = strawberry.enum(domain.VoucherKind, name="VoucherKind")
VoucherStatus = strawberry.enum(domain.VoucherStatus, name="VoucherStatus")
CodeSource = strawberry.enum(domain.CodeSource, name="CodeSource")


@strawberry.type
class VoucherTerms:
    name: str
    kind: VoucherKind  # type: ignore[valid-type]
    value: int = strawberry.field(description="Minor units for AMOUNT, percent for PERCENT, "
                                              "a count for ITEM.")
    currency: str | None


@strawberry.type(name="Voucher")
class VoucherSummary:
    id: str
    product: VoucherTerms
    status: VoucherStatus  # type: ignore[valid-type]
    balance: int = strawberry.field(description="What is left: minor units for AMOUNT "
                                                "vouchers, uses (1 or 0) otherwise.")
    expires_at: datetime
    merchants: list[str] = strawberry.field(
        description="Merchant ids where it can be redeemed; empty = every merchant.")

    @staticmethod
    def fields_of(v: VoucherView) -> dict[str, object]:
        return dict(id=v.id, product=VoucherTerms(name=v.name, kind=domain.VoucherKind(v.kind),
                                                  value=v.value, currency=v.currency),
                    status=v.status, balance=v.balance, expires_at=parse_iso(v.expires_at),
                    merchants=list(v.merchants))

    @classmethod
    def of(cls, v: VoucherView) -> VoucherSummary:
        return cls(**cls.fields_of(v))  # type: ignore[arg-type]


@strawberry.type(name="Voucher")
class OwnedVoucher(VoucherSummary):
    code: str = strawberry.field(description="Formatted in groups of four; only its owner "
                                             "ever sees it.")
    qr_payload: str = strawberry.field(description="Render as a QR code; tills accept it "
                                                   "wherever a code is asked for.")

    @classmethod
    def of_owned(cls, v: VoucherView) -> OwnedVoucher:
        assert v.formatted_code is not None and v.qr_payload is not None
        return cls(**cls.fields_of(v), code=v.formatted_code,  # type: ignore[arg-type]
                   qr_payload=v.qr_payload)


@strawberry.type
class Redemption:
    id: str
    redeemed_at: datetime
    reference: str | None
    reversed_at: datetime | None
    source: strawberry.Private[redemption_service.Redemption]

    @strawberry.field(description="Read from the voucher when selected.")
    def voucher(self) -> VoucherSummary:
        return VoucherSummary.of(self.source.voucher)

    @strawberry.field(description="What this redemption took.")
    def amount(self) -> int:
        if self.source.amount is not None:
            return self.source.amount
        return self.source.voucher.face

    @strawberry.field(description="The voucher's balance now; read when selected.")
    def remaining_balance(self) -> int:
        return self.source.voucher.balance

    @classmethod
    def of(cls, r: redemption_service.Redemption) -> Redemption:
        return cls(id=r.id, redeemed_at=parse_iso(r.redeemed_at), reference=r.reference,
                   reversed_at=parse_iso(r.reversed_at) if r.reversed_at else None, source=r)

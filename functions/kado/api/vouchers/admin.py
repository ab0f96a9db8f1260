"""Admin fields for vouchers: products, merchants, pool imports and direct issues."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import ErrorCode, UserError, answered, attempt, user_errors
from kado.api.vouchers.types import CodeSource, VoucherKind, VoucherSummary
from kado.domain.vouchers import products as domain
from kado.services.vouchers import catalogue as service

AdminInfo = Info[Context, None]


@strawberry.type
class PoolStats:
    left: int
    low_stock: bool = strawberry.field(description="Fewer codes left than lowStockThreshold.")


@strawberry.type
class VoucherProduct:
    id: str
    name: str
    kind: VoucherKind  # type: ignore[valid-type]
    value: int
    currency: str | None
    merchant_ids: list[str]
    expires_at: datetime | None
    valid_for_days: int | None
    code_source: CodeSource  # type: ignore[valid-type]
    partial_redemption: bool
    reversal_window_minutes: int
    low_stock_threshold: int
    program: strawberry.Private[str]
    source: strawberry.Private[domain.VoucherProduct]

    @strawberry.field(description="POOL products: codes not yet issued.")
    def pool(self) -> PoolStats | None:
        stats = service.pool_stats(self.program, self.source)
        return PoolStats(left=stats.left, low_stock=stats.low) if stats else None

    @classmethod
    def of(cls, program: str, p: domain.VoucherProduct) -> VoucherProduct:
        return cls(id=p.id, name=p.name, kind=p.kind, value=p.value, currency=p.currency,
                   merchant_ids=list(p.merchant_ids), expires_at=p.expires_at,
                   valid_for_days=p.valid_for_days, code_source=p.code_source,
                   partial_redemption=p.partial_redemption,
                   reversal_window_minutes=p.reversal_window_minutes,
                   low_stock_threshold=p.low_stock_threshold, program=program, source=p)


@strawberry.input
class VoucherProductInput:
    id: str
    name: str
    kind: VoucherKind  # type: ignore[valid-type]
    value: int
    currency: str | None = None
    merchant_ids: list[str] = strawberry.field(default_factory=list,
                                               description="Empty = every merchant.")
    expires_at: datetime | None = None
    valid_for_days: int | None = None
    code_source: CodeSource = domain.CodeSource.GENERATED  # type: ignore[valid-type]
    partial_redemption: bool = False
    reversal_window_minutes: int = 0
    low_stock_threshold: int = domain.DEFAULT_LOW_STOCK

    def to_domain(self) -> domain.VoucherProduct:
        return domain.VoucherProduct(
            id=self.id, name=self.name, kind=domain.VoucherKind(self.kind), value=self.value,
            currency=self.currency, merchant_ids=tuple(self.merchant_ids),
            expires_at=self.expires_at, valid_for_days=self.valid_for_days,
            code_source=domain.CodeSource(self.code_source),
            partial_redemption=self.partial_redemption,
            reversal_window_minutes=self.reversal_window_minutes,
            low_stock_threshold=self.low_stock_threshold)


@strawberry.type
class VoucherProductPayload:
    product: VoucherProduct | None
    errors: list[UserError]


@strawberry.type
class Merchant:
    id: str
    name: str


@strawberry.input
class MerchantInput:
    id: str
    name: str


@strawberry.type
class MerchantPayload:
    merchant: Merchant | None
    errors: list[UserError]


@strawberry.input
class ImportCodesInput:
    product_id: str
    codes: list[str] = strawberry.field(description="Up to 1,000 partner codes.")


@strawberry.type
class RejectedCode:
    index: int
    code: str
    error: UserError


@strawberry.type
class ImportCodesPayload:
    imported: int
    rejected: list[RejectedCode]
    errors: list[UserError]


@strawberry.input
class IssueVouchersInput:
    product_id: str
    member_ids: list[str] = strawberry.field(description="Up to 100 members.")
    idempotency_key: str
    reason: str


@strawberry.type
class IssueResult:
    member_id: str
    voucher: VoucherSummary | None
    errors: list[UserError]
    already_issued: bool = strawberry.field(
        default=False, description="This key had already issued it: the voucher of that "
                                   "first issue, nothing new.")


@strawberry.type
class IssueVouchersPayload:
    results: list[IssueResult]
    errors: list[UserError]


@strawberry.input
class RevokeVoucherInput:
    member_id: str
    voucher_id: str
    reason: str


@strawberry.type
class VoucherPayload:
    voucher: VoucherSummary | None
    errors: list[UserError]


@strawberry.type
class VoucherQuery:
    @strawberry.field
    def voucher_product(self, info: AdminInfo, id: strawberry.ID) -> VoucherProduct | None:
        program = info.context.principal.program
        found, _ = attempt(lambda: service.get_product(program, id))
        return VoucherProduct.of(program, found) if found else None

    @strawberry.field
    def voucher_products(self, info: AdminInfo, first: int = 20,
                         after: str | None = None) -> Connection[VoucherProduct]:
        program = info.context.principal.program
        found, page = service.list_products(program, first, after)
        return Connection.of([VoucherProduct.of(program, p) for p in found], page)


@strawberry.type
class VoucherMutation:
    @strawberry.mutation
    def upsert_voucher_product(self, info: AdminInfo,
                               input: VoucherProductInput) -> VoucherProductPayload:
        program = info.context.principal.program
        return answered(VoucherProductPayload, "product", lambda r: VoucherProduct.of(program, r),
                        lambda: service.upsert_product(program, input.to_domain()))

    @strawberry.mutation
    def upsert_merchant(self, info: AdminInfo, input: MerchantInput) -> MerchantPayload:
        result, errors = attempt(lambda: service.upsert_merchant(
            info.context.principal.program, input.id, input.name))
        return MerchantPayload(merchant=Merchant(id=result.id, name=result.name)
                               if result else None, errors=errors)

    @strawberry.mutation
    def import_voucher_codes(self, info: AdminInfo, input: ImportCodesInput) -> \
            ImportCodesPayload:
        result, errors = attempt(lambda: service.import_codes(
            info.context.principal.program, input.product_id, input.codes))
        if result is None:
            return ImportCodesPayload(imported=0, rejected=[], errors=errors)
        rejected = [RejectedCode(index=i, code=raw, error=UserError(
            code=ErrorCode(code), message=why, field=f"codes[{i}]"))
            for i, raw, code, why in result.rejected]
        return ImportCodesPayload(imported=result.imported, rejected=rejected, errors=[])

    @strawberry.mutation
    def issue_vouchers(self, info: AdminInfo, input: IssueVouchersInput) -> \
            IssueVouchersPayload:
        result, errors = attempt(lambda: service.issue(
            info.context.principal, input.product_id, input.member_ids, input.idempotency_key,
            input.reason))
        results = [IssueResult(member_id=r.member_id,
                               voucher=VoucherSummary.of(r.voucher) if r.voucher else None,
                               errors=user_errors(r.error) if r.error else [],
                               already_issued=r.already_issued)
                   for r in result or []]
        return IssueVouchersPayload(results=results, errors=errors)

    @strawberry.mutation(description="Withdraw a member's voucher; tills refuse it from then "
                                     "on. Revoking twice is harmless.")
    def revoke_voucher(self, info: AdminInfo, input: RevokeVoucherInput) -> VoucherPayload:
        return answered(VoucherPayload, "voucher", VoucherSummary.of, lambda: service.revoke(
            info.context.principal, input.member_id, input.voucher_id, input.reason))

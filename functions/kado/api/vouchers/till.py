"""The till (cashiers and POS): check and redeem codes, reverse mistakes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered, attempt, user_errors
from kado.api.vouchers.types import Redemption, VoucherSummary
from kado.services.vouchers import redemptions as service

MerchantInfo = Info[Context, None]


@strawberry.type
class Merchant:
    id: str
    program: str


@strawberry.type
class VoucherCheck:
    voucher: VoucherSummary | None
    redeemable: bool
    errors: list[UserError] = strawberry.field(
        description="Why it cannot be redeemed here and now (or why the code was refused).")


@strawberry.input
class RedeemInput:
    code: str = strawberry.field(description="As typed or scanned (QR payload accepted).")
    idempotency_key: str
    amount: int | None = strawberry.field(
        default=None, description="Partial vouchers: what to take. Omit to redeem the whole "
                                  "(untouched) voucher.")
    reference: str | None = strawberry.field(default=None, description="The till's receipt id.")


@strawberry.type
class RedemptionPayload:
    redemption: Redemption | None
    errors: list[UserError]


@strawberry.input
class ReverseInput:
    redemption_id: str
    idempotency_key: str
    reason: str


@strawberry.type
class TillQuery:
    """The merchant signed in, a code's validity, and their redemptions."""

    @strawberry.field
    def me(self, info: MerchantInfo) -> Merchant:
        principal = info.context.merchant
        return Merchant(id=principal.subject, program=principal.program)

    @strawberry.field(description="Validity, product and balance. Changes nothing.")
    def check_voucher(self, info: MerchantInfo, code: str) -> VoucherCheck:
        result, errors = attempt(lambda: service.check(info.context.merchant, code))
        if result is None:
            return VoucherCheck(voucher=None, redeemable=False, errors=errors)
        return VoucherCheck(voucher=VoucherSummary.of(result.voucher),
                            redeemable=result.problem is None,
                            errors=user_errors(result.problem) if result.problem else [])

    @strawberry.field(description="This merchant's own redemptions, newest first.")
    def redemptions(self, info: MerchantInfo, first: int = 20,
                    after: str | None = None) -> Connection[Redemption]:
        found, page = service.list_mine(info.context.merchant, first, after)
        return Connection.of([Redemption.of(r) for r in found], page)


@strawberry.type
class TillMutation:
    """Redeeming a voucher once, and reversing a mistake."""

    @strawberry.mutation
    def redeem_voucher(self, info: MerchantInfo, input: RedeemInput) -> RedemptionPayload:
        return answered(RedemptionPayload, "redemption", Redemption.of, lambda: service.redeem(
            info.context.merchant, input.code, input.amount, input.idempotency_key,
            input.reference))

    @strawberry.mutation
    def reverse_redemption(self, info: MerchantInfo, input: ReverseInput) -> RedemptionPayload:
        return answered(RedemptionPayload, "redemption", Redemption.of, lambda: service.reverse(
            info.context.merchant, input.redemption_id, input.idempotency_key, input.reason))

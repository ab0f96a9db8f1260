"""A member's own vouchers, with their codes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.vouchers.types import OwnedVoucher, VoucherStatus
from kado.domain.vouchers import products as domain_vouchers
from kado.services.vouchers import issuing as voucher_service

MemberInfo = Info[Context, None]


@strawberry.type
class MemberVouchersQuery:
    """The member's vouchers."""

    @strawberry.field(description="The member's vouchers, newest first, with their codes.")
    def my_vouchers(self, info: MemberInfo, status: VoucherStatus | None = None,  # type: ignore[valid-type]
                    first: int = 20, after: str | None = None) -> Connection[OwnedVoucher]:
        wanted = domain_vouchers.VoucherStatus(status) if status else None
        found, page = voucher_service.my_vouchers(info.context.principal, wanted, first, after)
        return Connection.of([OwnedVoucher.of_owned(v) for v in found], page)

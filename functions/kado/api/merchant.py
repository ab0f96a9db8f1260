"""The merchant API (cashiers and POS). Voucher checks and redemptions land here next."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.app import build_schema
from kado.api.context import Context


@strawberry.type
class Merchant:
    id: str
    program: str


@strawberry.type
class Query:
    @strawberry.field
    def me(self, info: Info[Context, None]) -> Merchant:
        principal = info.context.principal
        return Merchant(id=principal.subject, program=principal.program)


schema = build_schema(Query)

"""Codes on packs: the admin makes a batch and reads its claims; a member claims a code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.domain.calendar import parse_iso
from kado.domain.pack_codes import PackBatch
from kado.services import pack_codes as service

PackInfo = Info[Context, None]


@strawberry.input
class PackCodeBatchInput:
    id: str
    name: str
    points: int = strawberry.field(description="What each code earns.")
    count: int = strawberry.field(description="1-10,000 codes (a print run: several batches).")
    expires_at: datetime
    region: str | None = None


@strawberry.type
class PackCodeBatchPayload:
    csv: str | None = strawberry.field(description="code, qr, batch: the codes, shown this "
                                                   "once (only their keyed hashes are kept).")
    errors: list[UserError]


@strawberry.type
class PackCodeBatch:
    id: str
    name: str
    points: int
    count: int
    claimed: int
    expires_at: datetime
    region: str | None


@strawberry.input
class ClaimPackCodeInput:
    code: str = strawberry.field(description="As typed or scanned (QR payload accepted).")
    idempotency_key: str


@strawberry.type
class PackCodeClaim:
    points: int
    balance_after: int
    claimed_at: datetime


@strawberry.type
class ClaimPackCodePayload:
    claim: PackCodeClaim | None
    errors: list[UserError]


def _batch(batch: dict[str, Any], claimed: int) -> PackCodeBatch:
    return PackCodeBatch(id=batch["id"], name=batch["name"], points=batch["points"],
                         count=batch["count"], claimed=claimed,
                         expires_at=parse_iso(batch["expiresAt"]), region=batch.get("region"))


@strawberry.type
class PackCodeRegion:
    region: str | None = strawberry.field(description="As the batches name it (null: none).")
    batches: int
    printed: int
    claimed: int


@strawberry.type
class AdminPackCodesQuery:
    @strawberry.field(description="A batch and how many of its codes were claimed.")
    def pack_code_batch(self, info: PackInfo, id: str) -> PackCodeBatch:
        return _batch(*service.batch_stats(info.context.principal.program, id))

    @strawberry.field(description="The program's batches, newest first, with their claims.")
    def pack_code_batches(self, info: PackInfo, first: int = 20,
                          after: str | None = None) -> Connection[PackCodeBatch]:
        found, page = service.batches(info.context.principal.program, first, after)
        return Connection.of([_batch(b.batch, b.claimed) for b in found], page)

    @strawberry.field(description="Printed and claimed codes per region the batches name.")
    def pack_codes_by_region(self, info: PackInfo) -> list[PackCodeRegion]:
        return [PackCodeRegion(region=r.region, batches=r.batches, printed=r.printed,
                               claimed=r.claimed)
                for r in service.by_region(info.context.principal.program)]


@strawberry.type
class AdminPackCodesMutation:
    @strawberry.mutation(description="Make a batch of pack codes for the printer.")
    def create_pack_code_batch(self, info: PackInfo,
                               input: PackCodeBatchInput) -> PackCodeBatchPayload:
        batch = PackBatch(input.id, input.name, input.points, input.count, input.expires_at,
                          input.region)
        return answered(PackCodeBatchPayload, "csv", lambda text: text,
                        lambda: service.create_batch(info.context.principal, batch))


@strawberry.type
class MemberPackCodesMutation:
    @strawberry.mutation(description="Earn a pack code's points: once, program-wide; a used "
                                     "code is refused with when it was used.")
    def claim_pack_code(self, info: PackInfo, input: ClaimPackCodeInput) -> ClaimPackCodePayload:
        return answered(ClaimPackCodePayload, "claim", lambda c: PackCodeClaim(
            points=c.points, balance_after=c.balance_after,
            claimed_at=parse_iso(c.claimed_at)),
            lambda: service.claim(info.context.principal, input.code, input.idempotency_key))

"""Campaigns and spins as members and marketing see them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from kado.api.kernel.context import Context
from kado.api.kernel.scalars import Amount
from kado.api.kernel.translations import Translated, translated
from kado.domain.calendar import parse_iso
from kado.domain.campaigns import rules as domain
from kado.domain.campaigns.rules import OUT_OF_STOCK_RULE
from kado.domain.principal import Role
from kado.domain.translations import Subject, prize_subject
from kado.services.campaigns import spins as spin_service

CampaignStatus = strawberry.enum(domain.CampaignStatus, name="CampaignStatus")


PrizeKind = strawberry.enum(domain.PrizeKind, name="PrizeKind")


DRAW_RULE = (
    "serverSeed is a string of 64 hex characters, used as its ASCII bytes: "
    "u = int.from_bytes(HMAC-SHA256(key=serverSeed, msg='{campaignId}:{memberId}:"
    "{idempotencyKey}')[:8], 'big') / 2**64; the first prize, in the listed order, whose "
    "cumulative weight share exceeds u is drawn. serverSeedHash = SHA-256(serverSeed), "
    "the hex string's ASCII bytes hashed, not the 32 bytes it encodes."
)


@strawberry.type
class Limits:
    per_member_per_day: int | None
    per_member_total: int | None


@strawberry.type
class Prize(Translated):
    id: str
    kind: PrizeKind  # type: ignore[valid-type]
    weight: int
    probability: float
    limited_stock: bool = strawberry.field(
        description="True when the prize has limited stock and can run out.")
    product_id: str | None = strawberry.field(
        default=None, description="VOUCHER prizes: the voucher product a win issues.")
    cost_to_budgets: strawberry.Private[int] = 0

    @strawberry.field(description="What a win costs the campaign's budgets (minor units): "
                                  "for admins only (null for members).")
    def cost(self, info: Info[Context, None]) -> Amount | None:
        return Amount(self.cost_to_budgets) if info.context.principal.role is Role.ADMIN \
            else None


@strawberry.type
class Odds:
    total_weight: int
    out_of_stock_rule: str
    draw_rule: str


@strawberry.type(name="Campaign")
class PublicCampaign(Translated):
    id: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: CampaignStatus  # type: ignore[valid-type]
    limits: Limits
    prizes: list[Prize]
    odds: Odds
    server_seed_hash: str | None
    server_seed: str | None = strawberry.field(
        description="Revealed once the campaign has ENDED, so every draw can be recomputed.")
    cost_points: int | None = strawberry.field(
        default=None, description="Points each spin costs; null: spins are free.")
    requires_credit: bool = strawberry.field(
        default=False, description="Each spin takes one of the member's spin credits.")

    @classmethod
    def fields_of(cls, c: domain.Campaign) -> dict[str, object]:
        return dict(
            id=c.id, **translated(Subject.CAMPAIGN, c.id, c.name), starts_at=c.starts_at,
            ends_at=c.ends_at, timezone=c.timezone,
            status=c.status,
            limits=Limits(per_member_per_day=c.limits.per_member_per_day,
                          per_member_total=c.limits.per_member_total),
            prizes=[Prize(id=p.id, **translated(Subject.PRIZE, prize_subject(c.id, p.id), p.name),
                          kind=p.kind, weight=p.weight,
                          probability=c.probability(p), limited_stock=p.is_limited,
                          cost_to_budgets=p.cost,
                          product_id=p.product_id)
                    for p in c.prizes],
            odds=Odds(total_weight=c.total_weight, out_of_stock_rule=OUT_OF_STOCK_RULE,
                      draw_rule=DRAW_RULE),
            server_seed_hash=c.server_seed_hash,
            server_seed=c.server_seed if c.status is domain.CampaignStatus.ENDED else None,
            cost_points=c.cost_points, requires_credit=c.requires_credit,
        )

    @classmethod
    def of(cls, c: domain.Campaign) -> PublicCampaign:
        return cls(**cls.fields_of(c))  # type: ignore[arg-type]


@strawberry.type
class SpinPrize(Translated):
    id: str
    kind: PrizeKind  # type: ignore[valid-type]


@strawberry.enum
class SpinOutcome(Enum):
    WON = "WON"
    NO_PRIZE = "NO_PRIZE"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    OUT_OF_BUDGET = "OUT_OF_BUDGET"


@strawberry.type
class Spin:
    id: str
    campaign_id: str
    created_at: datetime
    won: bool
    prize: SpinPrize | None
    outcome: SpinOutcome = strawberry.field(
        description="OUT_OF_STOCK: the drawn prize had run out, so the spin is a no-win.")
    drawn_prize_id: str
    voucher_id: str | None = strawberry.field(
        default=None, description="The voucher a VOUCHER win issued; its code is in myVouchers.")
    idempotency_key: str = strawberry.field(
        default="", description="The key the spin was made with: with the campaign's "
                                "revealed seed, the draw can be recomputed.")

    @classmethod
    def of(cls, s: spin_service.Spin) -> Spin:
        prize = SpinPrize(id=s.prize.id, kind=s.prize.kind, **translated(
            Subject.PRIZE, prize_subject(s.campaign_id, s.prize.id), s.prize.name)) \
            if s.prize else None
        return cls(id=s.id, campaign_id=s.campaign_id, created_at=parse_iso(s.created_at),
                   won=s.won, prize=prize, outcome=SpinOutcome(s.outcome),
                   drawn_prize_id=s.drawn_prize_id, voucher_id=s.voucher_id,
                   idempotency_key=s.idempotency_key)

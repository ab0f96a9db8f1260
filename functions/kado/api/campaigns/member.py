"""What a member's app reads and plays: live campaigns, spins and spin credits."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kado.api.campaigns.types import PublicCampaign, Spin
from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered, attempt
from kado.services.campaigns import definitions as campaign_service
from kado.services.campaigns import spins as spin_service

MemberInfo = Info[Context, None]


@strawberry.type
class SpinCredits:
    campaign_id: str
    left: int


@strawberry.input
class SpinInput:
    campaign_id: str
    idempotency_key: str = strawberry.field(
        description="Unique per spin attempt (8-128 chars). A retry with the same key returns "
                    "the first outcome and consumes nothing.")


@strawberry.type
class SpinPayload:
    spin: Spin | None
    errors: list[UserError]


@strawberry.type
class MemberCampaignsQuery:
    """Campaigns a member may play, and their spins."""

    @strawberry.field(description="Spin credits the member holds, per campaign.")
    def spin_credits(self, info: MemberInfo) -> list[SpinCredits]:
        principal = info.context.principal
        page = spin_service.credits_of(principal.program, principal.subject)
        return [SpinCredits(campaign_id=i["campaignId"], left=int(i.get("left", 0)))
                for i in page.items]

    @strawberry.field(description="LIVE campaigns this member may play.")
    def campaigns(self, info: MemberInfo, first: int = 20,
                  after: str | None = None) -> Connection[PublicCampaign]:
        found, page = campaign_service.list_for_member(info.context.principal, first, after)
        return Connection.of([PublicCampaign.of(c) for c in found], page)

    @strawberry.field
    def campaign(self, info: MemberInfo, id: strawberry.ID) -> PublicCampaign | None:
        campaign, _ = attempt(lambda: campaign_service.get(info.context.principal.program, id))
        if campaign is None or campaign.status.value == "DRAFT":
            return None
        return PublicCampaign.of(campaign)

    @strawberry.field(description="The member's spins, newest first: in one campaign, or in "
                                  "every campaign when campaignId is left out.")
    def my_spins(self, info: MemberInfo, campaign_id: strawberry.ID | None = None, first: int = 20,
                 after: str | None = None) -> Connection[Spin]:
        found, page = spin_service.my_spins(info.context.principal, campaign_id, first, after)
        return Connection.of([Spin.of(s) for s in found], page)


@strawberry.type
class MemberCampaignsMutation:
    """Playing a spin."""

    @strawberry.mutation
    def spin(self, info: MemberInfo, input: SpinInput) -> SpinPayload:
        return answered(SpinPayload, "spin", Spin.of, lambda: spin_service.play(
            info.context.principal, input.campaign_id, input.idempotency_key))

"""Who may take part, as an input: events and quests each name their own input type."""

from __future__ import annotations

import strawberry

from kado.domain.eligibility import Audience


@strawberry.input
class AudienceInput:
    """Who may take part (empty lists admit anyone); events and quests each name their own
    input type in the schema on these fields."""

    tiers: list[str] = strawberry.field(default_factory=list)
    account_ids: list[str] = strawberry.field(default_factory=list)
    member_ids: list[str] = strawberry.field(default_factory=list)

    def to_audience(self) -> Audience:
        return Audience(tuple(self.tiers), tuple(self.account_ids), tuple(self.member_ids))

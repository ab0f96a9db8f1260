"""Who may take part: in a campaign, an event, a quest or a survey. Pure: the caller supplies
what the database knows."""

from __future__ import annotations

from dataclasses import dataclass

from kado.domain.campaigns.rules import Campaign

DEFAULT_TIER = "STANDARD"


def passes_lists(campaign: Campaign, member_id: str, account_id: str | None) -> bool:
    """The allowlists that depend only on who is calling, checked before any I/O."""
    rules = campaign.eligibility
    if rules.member_ids and member_id not in rules.member_ids:
        return False
    return not (rules.account_ids and account_id not in rules.account_ids)


@dataclass(frozen=True)
class Audience:
    """Who may take part in an event, quest or survey: empty lists admit anyone."""

    tiers: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()

    def admits(self, member_id: str, account_id: str | None, tier: str) -> bool:
        return (not self.member_ids or member_id in self.member_ids) and \
            (not self.account_ids or account_id in self.account_ids) and \
            (not self.tiers or tier in self.tiers)


def tier_allowed(campaign: Campaign, tier: str | None) -> bool:
    tiers = campaign.eligibility.tiers
    return not tiers or (tier or DEFAULT_TIER) in tiers


def is_eligible(campaign: Campaign, member_id: str, account_id: str | None,
                tier: str | None) -> bool:
    return passes_lists(campaign, member_id, account_id) and tier_allowed(campaign, tier)

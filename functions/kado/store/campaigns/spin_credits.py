"""A member's spin credits for a campaign: granted by rewards and quests, taken by spins.

One item per member and campaign, in the member's partition (only that member's spins and
rewards write it); `left` never goes below zero, a condition of every take.
"""

from __future__ import annotations

from typing import Any

from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

LEFT = "left"


def grant_part(program: str, member_id: str, campaign_id: str, count: int,
               at: str) -> dict[str, Any]:
    return transact.update(
        keys.spin_credits(program, member_id, campaign_id),
        "ADD #l :n SET #t = :t, #c = :c, #gp = :gp, #gs = :c, #at = :at",
        names={"#l": LEFT, "#t": "type", "#c": "campaignId", "#gp": GSI1_PK, "#gs": GSI1_SK,
               "#at": "grantedAt"},
        values={":n": {"N": str(count)}, ":t": {"S": "SPIN_CREDITS"},
                ":c": {"S": campaign_id},
                ":gp": {"S": keys.spin_credits_index(program, member_id)},
                ":at": {"S": at}})


def take_part(program: str, member_id: str, campaign_id: str) -> dict[str, Any]:
    return transact.update(keys.spin_credits(program, member_id, campaign_id),
                           "SET #l = #l - :one", "#l > :zero",
                           names={"#l": LEFT}, values={":one": {"N": "1"}, ":zero": {"N": "0"}})


def of_member(program: str, member_id: str) -> Page:
    return query_index(keys.spin_credits_index(program, member_id), 100, None,
                       newest_first=False)

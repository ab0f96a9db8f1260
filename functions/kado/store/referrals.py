"""Referral codes, referrals and each advocate's monthly count.

  code      a member's referral code -> the member (created when first shown)
  referral  one per referred company: the key refuses a second (GSI1: the program's
            referrals, oldest first)
  cap       an advocate's referrals this month, below the program's cap
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import every_item
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK, TTL_ATTRIBUTE


def ensure_code(program: str, code: str, member_id: str) -> None:
    item = {**keys.referral_code(program, code),
            **codec.dump({"type": "REFERRAL_CODE", "memberId": member_id})}
    with contextlib.suppress(transact.Cancelled):  # there already: the same member's
        transact.write({"code": transact.put(item, "attribute_not_exists(pk)")})


def member_of_code(program: str, code: str) -> str | None:
    found = get_one(keys.referral_code(program, code), consistent=False)
    return found.get("memberId") if found else None


def register_parts(program: str, referred_account: str, values: dict[str, Any],
                   advocate_id: str, month: str, cap: int,
                   cap_expires: int) -> dict[str, dict[str, Any]]:
    item = {**keys.referral(program, referred_account), **codec.dump({
        **values, "type": "REFERRAL", "referredAccountId": referred_account,
        GSI1_PK: keys.referrals_index(program),
        GSI1_SK: f"{values['registeredAt']}#{referred_account}"})}
    return {"referral": transact.put(item, "attribute_not_exists(pk)"),
            "cap": transact.update(keys.referral_cap(program, advocate_id, month),
                                   "ADD #n :one SET #ttl = :ttl",
                                   "attribute_not_exists(#n) OR #n < :cap",
                                   names={"#n": "registered", "#ttl": TTL_ATTRIBUTE},
                                   values={":one": {"N": "1"}, ":cap": {"N": str(cap)},
                                           ":ttl": {"N": str(cap_expires)}})}


def get(program: str, referred_account: str) -> dict[str, Any] | None:
    return get_one(keys.referral(program, referred_account))


def move(program: str, referred_account: str, was: str, sets: dict[str, Any]) -> bool:
    """Move a referral on from status `was`; False if it is no longer in it."""
    try:
        transact.write({"referral": move_part(program, referred_account, was, sets)})
    except transact.Cancelled:
        return False
    return True


def move_part(program: str, referred_account: str, was: str, sets: dict[str, Any],
              purchase: str | None = None) -> dict[str, Any]:
    """The referral moved on from status `was` (and, with `purchase`, only if that purchase
    is the one it qualified on), as a part of another transaction."""
    expression, names, values = transact.assignments(sets)
    names["#s"], values[":was"] = "status", {"S": was}
    condition = "#s = :was"
    if purchase is not None:
        names["#p"], values[":p"] = "purchase", {"S": purchase}
        condition += " AND #p = :p"
    return transact.update(keys.referral(program, referred_account), expression,
                           condition, names=names, values=values)


def every_referral(program: str) -> Iterator[dict[str, Any]]:
    return every_item(keys.referrals_index(program), newest_first=False)

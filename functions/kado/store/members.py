"""Accounts (the member's company) and member profiles."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from kado.domain.shards import ACCOUNT_POLICY_SHARDS, pick_shard
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_one, partition_items
from kado.store.kernel.tables import GSI1_PK, GSI1_SK, GSI2, GSI2_PK, GSI2_SK

DECLINES = "DECLINES"
GIFT_POLICY = "giftPolicy"
PARENT = "parentId"  # the account above this one in the channel's tree
# A company's tier, on its account item and on every policy copy (store/tiers.py).
COMPANY_TIER, COMPANY_TIER_UNTIL, COMPANY_TIER_SEQ = "tier", "tierUntil", "tierSeq"


@dataclass(frozen=True)
class Placement:
    """Where an account sits in the tree: its parent (None: a root), and the one it left."""

    parent_id: str | None
    previous: str | None
    joined_ms: int


def put_account(program: str, account_id: str, name: str, gift_policy: str, now: str,
                place: Placement | None = None) -> None:
    """The account and every copy of its gift policy, in one transaction; with `place`, its
    parent too (listed under it), and a line of history when it moved."""
    values: dict[str, Any] = {
        "type": "ACCOUNT", "id": account_id, "name": name, GIFT_POLICY: gift_policy,
        "updatedAt": now, GSI1_PK: keys.accounts_index(program), GSI1_SK: account_id}
    removes: tuple[str, ...] = ()
    # Every policy copy carries the parent too, so a transaction that must hold the tree
    # as it read it pins a random copy, never the one account item (a distributor's is
    # above every one of its retailers' activities).
    copy: dict[str, Any] = {"type": "ACCOUNT_POLICY", GIFT_POLICY: gift_policy}
    copy_removes: tuple[str, ...] = ()
    if place is not None and place.parent_id is not None:
        copy[PARENT] = place.parent_id
        values |= {PARENT: place.parent_id, GSI2_PK: keys.account_children(program,
                                                                             place.parent_id),
                   GSI2_SK: place.joined_ms}
    elif place is not None:
        removes, copy_removes = (PARENT, GSI2_PK, GSI2_SK), (PARENT,)
    # Updates, not puts: the account and its copies also carry the company's tier.
    parts = {"account": _set(keys.account(program, account_id), values, removes)}
    if place is not None and place.previous != place.parent_id:
        parts["move"] = transact.put({**keys.key(keys.account_moves(program, account_id), now),
                                      **codec.dump({"type": "ACCOUNT_MOVE", "from":
                                                    place.previous, "to": place.parent_id,
                                                    "at": now})})
    for shard in range(ACCOUNT_POLICY_SHARDS):
        parts[f"policy:{shard}"] = _set(keys.account_policy(program, account_id, shard),
                                        copy, copy_removes)
    transact.write(parts)


def _set(key: dict[str, Any], values: dict[str, Any], removes: tuple[str, ...] = ()
         ) -> dict[str, Any]:
    expression, names, dumped = transact.assignments(values, removes)
    return transact.update(key, expression, names=names, values=dumped)


def parent_pin(program: str, account_id: str, parent_id: str | None) -> dict[str, Any]:
    """That the account is still under `parent_id` (None: at the top) when a transaction
    commits, checked on one random policy copy."""
    condition, names, values = _under(parent_id)
    return transact.check(
        keys.account_policy(program, account_id, pick_shard(ACCOUNT_POLICY_SHARDS)),
        condition, names=names, values=values)


def _under(parent_id: str | None) -> tuple[str, dict[str, str], dict[str, Any] | None]:
    if parent_id is None:
        return "attribute_not_exists(#parent)", {"#parent": PARENT}, None
    return "#parent = :parent", {"#parent": PARENT}, {":parent": {"S": parent_id}}


def account_moves(program: str, account_id: str) -> list[dict[str, Any]]:
    return partition_items(keys.account_moves(program, account_id))


def children(program: str, parent_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.account_children(program, parent_id), first, after,
                       newest_first=False, index=GSI2)


@dataclass(frozen=True)
class TierRule:
    """The company's tier, as its policy copies hold it, must be one of `allowed` and not
    lapsed at `now`; a copy with no tier holds the ladder's `base`."""

    allowed: tuple[str, ...]
    base: str
    now: str


def gift_check_part(program: str, account_id: str, gifts: bool = True,
                    tier: TierRule | None = None) -> dict[str, Any]:
    """A ConditionCheck on one random policy copy: that the account accepts gifts, and/or
    that the company holds a tier the caller admits."""
    conditions: list[str] = []
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    if gifts:
        conditions.append("(attribute_not_exists(#g) OR #g <> :declines)")
        names["#g"], values[":declines"] = GIFT_POLICY, {"S": DECLINES}
    if tier is not None:
        names |= {"#tier": COMPANY_TIER, "#until": COMPANY_TIER_UNTIL}
        allowed = [f":tier{i}" for i in range(len(tier.allowed))]
        values |= {f":tier{i}": {"S": t} for i, t in enumerate(tier.allowed)}
        held = f"#tier IN ({', '.join(allowed)})"
        if tier.base in tier.allowed:
            held = f"({held} OR attribute_not_exists(#tier))"
        values[":now"] = {"S": tier.now}
        conditions.append(f"{held} AND (attribute_not_exists(#until) OR #until > :now)")
    return transact.check(
        keys.account_policy(program, account_id, pick_shard(ACCOUNT_POLICY_SHARDS)),
        " AND ".join(conditions), names=names, values=values)


def tier_pin_part(program: str, account_id: str, seq: int, pin_parent: bool = False,
                  parent_id: str | None = None) -> dict[str, Any]:
    """A ConditionCheck that the company's tier is still the one written at `seq` (and, with
    `pin_parent`, that it is still under `parent_id`: one copy checks both, as a transaction
    may name an item once)."""
    condition = "#s = :seq" if seq else "attribute_not_exists(#s)"
    names, values = {"#s": COMPANY_TIER_SEQ}, {":seq": {"N": str(seq)}} if seq else {}
    if pin_parent:
        under, more_names, more_values = _under(parent_id)
        condition, names, values = (f"{condition} AND {under}", names | more_names,
                                    values | (more_values or {}))
    return transact.check(
        keys.account_policy(program, account_id, pick_shard(ACCOUNT_POLICY_SHARDS)),
        condition, names=names, values=values or None)


def get_account(program: str, account_id: str, consistent: bool = False
                ) -> dict[str, Any] | None:
    return get_one(keys.account(program, account_id), consistent=consistent)


def list_accounts(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.accounts_index(program), first, after, newest_first=False)


def put_member(program: str, member_id: str, account_id: str | None, tier: str,
               now: str) -> dict[str, Any]:
    """Set profile fields; spin counters on the same item are left alone."""
    names = {"#t": "tier", "#a": "accountId", "#c": "createdAt", "#i": "id", "#y": "type"}
    values: dict[str, Any] = {":t": {"S": tier}, ":c": {"S": now}, ":i": {"S": member_id},
                              ":y": {"S": "MEMBER"}}
    expression = "SET #t = :t, #c = if_not_exists(#c, :c), #i = :i, #y = :y"
    if account_id:
        expression += ", #a = :a"
        values[":a"] = {"S": account_id}
    else:
        expression += " REMOVE #a"
    response = dynamodb().update_item(
        TableName=table(), Key=keys.member(program, member_id), UpdateExpression=expression,
        ExpressionAttributeNames=names, ExpressionAttributeValues=values, ReturnValues="ALL_NEW")
    return codec.load(response["Attributes"]) or {}


def _listing(program: str, member_id: str, account_id: str | None, tier: str | None,
             created_at: str | None) -> dict[str, Any]:
    values = {"type": "MEMBER_LISTING", "id": member_id, "accountId": account_id,
              "tier": tier, "createdAt": created_at,
              GSI1_PK: keys.members_index(program), GSI1_SK: member_id}
    return {**keys.member_listing(program, member_id), **codec.dump(values)}


def list_member(program: str, item: dict[str, Any]) -> None:
    """The member's roster line, as the profile now says."""
    dynamodb().put_item(TableName=table(), Item=_listing(
        program, item["id"], item.get("accountId"), item.get("tier"), item.get("createdAt")))


def first_listing_part(program: str, member_id: str, account_id: str | None, tier: str,
                       at: str) -> dict[str, Any]:
    """A member's first roster line, as a part of the transaction that first puts them on
    file; never over a line already there (the roster's company and tier are the
    program's to set)."""
    return transact.put(_listing(program, member_id, account_id, tier, at),
                        "attribute_not_exists(pk)")


def list_members(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.members_index(program), first, after, newest_first=False)


def get_member(program: str, member_id: str) -> dict[str, Any] | None:
    return get_one(keys.member(program, member_id), consistent=False)


def create_listed_member(program: str, member_id: str, default_tier: str,
                         now: str) -> dict[str, Any]:
    """A member first seen through the app: the profile and its roster line in one
    transaction, so no member is ever on file but off the roster. An existing profile is
    not touched (nor a line the program wrote first); the profile as stored is returned."""
    with contextlib.suppress(transact.Cancelled):  # upserted meanwhile: it is listed
        transact.write({
            "member": transact.update(
                keys.member(program, member_id),
                "SET #t = if_not_exists(#t, :t), #c = if_not_exists(#c, :c), #i = :i, "
                "#y = :y", names={"#t": "tier", "#c": "createdAt", "#i": "id", "#y": "type"},
                values={":t": {"S": default_tier}, ":c": {"S": now}, ":i": {"S": member_id},
                        ":y": {"S": "MEMBER"}}),
            "listing": first_listing_part(program, member_id, None, default_tier, now)})
    return get_one(keys.member(program, member_id)) or {}


def put_distributor_staff(program: str, staff_id: str, account_id: str | None, now: str
                          ) -> None:
    """A staff member reading `account_id`'s subtree; None takes the access away."""
    item = keys.distributor_staff(program, staff_id)
    if account_id is None:
        transact.write({"staff": transact.delete(item)})
        return
    transact.write({"staff": transact.put({**item, **codec.dump({
        "type": "DISTRIBUTOR_STAFF", "accountId": account_id, "updatedAt": now})})})


def distributor_of(program: str, staff_id: str) -> str | None:
    found = get_one(keys.distributor_staff(program, staff_id))
    return str(found["accountId"]) if found else None

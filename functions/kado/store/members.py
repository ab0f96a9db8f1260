"""Accounts (the member's company) and member profiles."""

from __future__ import annotations

from typing import Any

from kado.domain.shards import ACCOUNT_POLICY_SHARDS, pick_shard
from kado.store import codec, keys, transact
from kado.store.client import dynamodb, table
from kado.store.pages import Page, query_index
from kado.store.reads import get_one
from kado.store.tables import GSI1_PK, GSI1_SK

DECLINES = "DECLINES"
GIFT_POLICY = "giftPolicy"


def put_account(program: str, account_id: str, name: str, gift_policy: str, now: str) -> None:
    """The account and every copy of its gift policy, in one transaction."""
    values = {"type": "ACCOUNT", "id": account_id, "name": name, GIFT_POLICY: gift_policy,
              "updatedAt": now, GSI1_PK: keys.accounts_index(program), GSI1_SK: account_id}
    parts = {"account": transact.put({**keys.account(program, account_id),
                                      **codec.dump(values)})}
    for shard in range(ACCOUNT_POLICY_SHARDS):
        parts[f"policy:{shard}"] = transact.put({
            **keys.account_policy(program, account_id, shard),
            **codec.dump({"type": "ACCOUNT_POLICY", GIFT_POLICY: gift_policy})})
    transact.write(parts)


def gift_check_part(program: str, account_id: str) -> dict[str, Any]:
    """A ConditionCheck that the account accepts gifts, on one random policy copy."""
    return transact.check(
        keys.account_policy(program, account_id, pick_shard(ACCOUNT_POLICY_SHARDS)),
        "attribute_not_exists(#g) OR #g <> :declines",
        names={"#g": GIFT_POLICY}, values={":declines": {"S": DECLINES}})


def get_account(program: str, account_id: str) -> dict[str, Any] | None:
    return get_one(keys.account(program, account_id), consistent=False)


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


def get_member(program: str, member_id: str) -> dict[str, Any] | None:
    return get_one(keys.member(program, member_id), consistent=False)


def create_member_if_missing(program: str, member_id: str, account_id: str | None,
                             default_tier: str, now: str) -> dict[str, Any]:
    """Lazily create a member from token claims; an existing profile is not touched."""
    names = {"#t": "tier", "#c": "createdAt", "#i": "id", "#y": "type"}
    values: dict[str, Any] = {":t": {"S": default_tier}, ":c": {"S": now},
                              ":i": {"S": member_id}, ":y": {"S": "MEMBER"}}
    expression = ("SET #t = if_not_exists(#t, :t), #c = if_not_exists(#c, :c), #i = :i, "
                  "#y = :y")
    if account_id:
        names["#a"] = "accountId"
        values[":a"] = {"S": account_id}
        expression += ", #a = if_not_exists(#a, :a)"
    response = dynamodb().update_item(
        TableName=table(), Key=keys.member(program, member_id), UpdateExpression=expression,
        ExpressionAttributeNames=names, ExpressionAttributeValues=values, ReturnValues="ALL_NEW")
    return codec.load(response["Attributes"]) or {}

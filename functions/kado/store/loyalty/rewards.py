"""The rewards catalogue's stock and each member's reward redemptions."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import get_one


def reward_stock_part(program: str, reward_id: str) -> dict[str, Any]:
    return transact.update(keys.reward_stock(program, reward_id), "SET #l = #l - :one",
                           "#l > :zero", names={"#l": "left"},
                           values=codec.dump({":one": 1, ":zero": 0}))


def add_reward_stock(program: str, reward_id: str, units: int) -> None:
    dynamodb().update_item(TableName=table(), Key=keys.reward_stock(program, reward_id),
                           UpdateExpression="ADD #l :n", ExpressionAttributeNames={"#l": "left"},
                           ExpressionAttributeValues=codec.dump({":n": units}))


def reward_stock_left(program: str, reward_id: str) -> int:
    return int((get_one(keys.reward_stock(program, reward_id)) or {}).get("left", 0))


def reward_redemption_part(program: str, member_id: str, idempotency_key: str,
                           values: dict[str, Any]) -> dict[str, Any]:
    item = {**keys.reward_redemption(program, member_id, idempotency_key),
            **codec.dump({"type": "REWARD_REDEMPTION", **values})}
    return transact.put(item, "attribute_not_exists(pk)")


def get_reward_redemption(program: str, member_id: str,
                          idempotency_key: str) -> dict[str, Any] | None:
    return get_one(keys.reward_redemption(program, member_id, idempotency_key))


def reward_terms_part(program: str, reward_id: str, stamp: str, free: bool
                      ) -> dict[str, Any]:
    """That the reward's cost and budgets are those this instance planned with (a reward
    saved before budgets existed holds no stamp, and costs nothing)."""
    condition = "#s = :s" if not free else "attribute_not_exists(#s) OR #s = :s"
    return transact.check(keys.loyalty_definitions(program, "REWARD", reward_id), condition,
                          names={"#s": "termsStamp"}, values=codec.dump({":s": stamp}))

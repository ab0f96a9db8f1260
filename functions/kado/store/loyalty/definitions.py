"""Marketing's points and tier definitions as items: earning rules, rewards, ladder, settings."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import every_item
from kado.store.kernel.tables import GSI1_PK, GSI1_SK


def put_definition(program: str, kind: str, item_id: str, values: dict[str, Any],
                   expected_version: int | None = None) -> None:
    item = {**keys.loyalty_definitions(program, kind, item_id),
            **codec.dump({"type": kind, "id": item_id, **values,
                          GSI1_PK: keys.loyalty_definitions_index(program),
                          GSI1_SK: f"{kind}#{item_id}"})}
    request: dict[str, Any] = {"TableName": table(), "Item": item}
    if expected_version is not None:
        request["ConditionExpression"] = "attribute_not_exists(pk) OR version = :v"
        request["ExpressionAttributeValues"] = {":v": {"N": str(expected_version)}}
    dynamodb().put_item(**request)


def definitions(program: str) -> list[dict[str, Any]]:
    """Every earning rule, reward, the ladder and the settings of a program."""
    return list(every_item(keys.loyalty_definitions_index(program), newest_first=False))


def settings_terms_part(program: str, stamp: str, free: bool) -> dict[str, Any]:
    """That the point value and points budgets are those this instance planned with (a
    program that never set them holds no stamp, and its points cost nothing)."""
    condition = "#s = :s" if not free else "attribute_not_exists(#s) OR #s = :s"
    return transact.check(keys.loyalty_definitions(program, "LOYALTY_SETTINGS", "settings"),
                          condition, names={"#s": "pointsTerms"},
                          values=codec.dump({":s": stamp}))

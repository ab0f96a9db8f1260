"""Leaderboards on GSI2: a numeric sort key holds the score, with who got there first
ahead among equal scores.

An entry is an attribute pair on an item its writer already writes (a member's quest
progress) or one small item of its own (a member's or a company's ladder progress, a
company's quest completions). A board is spread over SHARDS index partitions by the
entrant's id, so no board partition takes more than a share of its writes (one GSI
partition takes about 1,000 writes a second); the top `first` is the merge of each
shard's top `first`, which is exact: SHARDS queries of `first` items each, sent at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kado.domain.shards import stable_shard_by_first_byte
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import every_shard
from kado.store.kernel.tables import GSI2, GSI2_PK, GSI2_SK

SHARDS = 4
MAX_FIRST = 100
# score * SPAN + (LATEST_MS - when): the time part ranks the earlier of equal scores first.
SPAN = LATEST_MS = 10**13
ENTRANT = "entrant"


@dataclass(frozen=True)
class BoardEntry:
    entrant: str
    score: int


def quest_members(program: str, quest_id: str, cycle: str) -> str:
    return keys.board(program, "QUEST", quest_id, cycle, "M")


def quest_companies(program: str, quest_id: str, cycle: str) -> str:
    return keys.board(program, "QUEST", quest_id, cycle, "A")


def ladder_members(program: str, period: str) -> str:
    return keys.board(program, "LADDER", period, "M")


def ladder_companies(program: str, period: str) -> str:
    return keys.board(program, "LADDER", period, "A")


def ladder_children(program: str, parent: str, period: str) -> str:
    """The companies right under `parent` in the channel's tree: a partition of its own per
    parent, so a distributor's board lists its retailers and no one else's."""
    return keys.board(program, "LADDER", period, "UNDER", parent)


def _shard(board: str, entrant: str) -> str:
    return f"{board}#{stable_shard_by_first_byte(entrant, SHARDS)}"


def fields(board: str, entrant: str, score: int, at_ms: int) -> dict[str, Any]:
    """The attributes that place an item on a board (plain values, for codec.dump)."""
    return {GSI2_PK: _shard(board, entrant), GSI2_SK: score * SPAN + (LATEST_MS - at_ms),
            ENTRANT: entrant}


def placed_part(key: dict[str, Any], board: str, entrant: str, score: int,
                at_ms: int) -> dict[str, Any]:
    """An entry set to the score its writer computed from state it holds exactly."""
    return transact.update(key, **_placed(board, entrant, score, at_ms))


def place(key: dict[str, Any], board: str, entrant: str, score: int, at_ms: int) -> None:
    """placed_part, written on its own where the score or the board differs from the one
    the entry is on (so an unchanged score keeps the moment it was reached, and an entrant
    that moved to another board leaves the old one)."""
    expr = _placed(board, entrant, score, at_ms)
    try:
        dynamodb().update_item(
            TableName=table(), Key=key, UpdateExpression=expr["expression"],
            ConditionExpression="attribute_not_exists(#s) OR #s < :lo OR #s >= :hi OR #p <> :p",
            ExpressionAttributeNames=expr["names"],
            ExpressionAttributeValues={**expr["values"], ":lo": {"N": str(score * SPAN)},
                                       ":hi": {"N": str((score + 1) * SPAN)}})
    except dynamodb().exceptions.ConditionalCheckFailedException:
        pass  # the same score is on the board already


def leave(key: dict[str, Any]) -> None:
    """The entry leaves whatever board it is on (its item stays)."""
    dynamodb().update_item(TableName=table(), Key=key, UpdateExpression="REMOVE #p, #s",
                           ExpressionAttributeNames={"#p": GSI2_PK, "#s": GSI2_SK})


def _placed(board: str, entrant: str, score: int, at_ms: int) -> dict[str, Any]:
    values = fields(board, entrant, score, at_ms)
    return {"expression": "SET #p = :p, #s = :s, #e = :e",
            "names": {"#p": GSI2_PK, "#s": GSI2_SK, "#e": ENTRANT},
            "values": {":p": {"S": values[GSI2_PK]}, ":s": {"N": str(values[GSI2_SK])},
                       ":e": {"S": entrant}}}


def counted_part(key: dict[str, Any], board: str, entrant: str, at_ms: int) -> dict[str, Any]:
    """One more on an entry, with no read and no condition (parallel writers all count);
    among equal counts the entrant that reached the board first ranks first."""
    return transact.update(
        key, "SET #p = :p, #e = :e, #s = if_not_exists(#s, :first) + :one",
        names={"#p": GSI2_PK, "#s": GSI2_SK, "#e": ENTRANT},
        values={":p": {"S": _shard(board, entrant)}, ":e": {"S": entrant},
                ":first": {"N": str(LATEST_MS - at_ms)}, ":one": {"N": str(SPAN)}})


def top(board: str, first: int) -> list[BoardEntry]:
    """The board's first entries, highest score first (eventually consistent: GSI2)."""
    first = min(max(first, 1), MAX_FIRST)

    def shard_top(shard: int) -> list[tuple[int, str]]:
        response = dynamodb().query(
            TableName=table(), IndexName=GSI2, KeyConditionExpression="#p = :p",
            ExpressionAttributeNames={"#p": GSI2_PK},
            ExpressionAttributeValues={":p": {"S": f"{board}#{shard}"}},
            ScanIndexForward=False, Limit=first)
        items = [codec.load(raw) or {} for raw in response.get("Items", [])]
        return [(int(item[GSI2_SK]), str(item[ENTRANT])) for item in items]

    found = sorted((entry for entries in every_shard(SHARDS, shard_top) for entry in entries),
                   reverse=True)
    return [BoardEntry(entrant, sort_key // SPAN) for sort_key, entrant in found[:first]]

"""A campaign's day by day: counters per local day beside each stat shard (written by the
spin transaction, store/campaigns/spins.py), refusals counted after the fact, and the day's players
counted on the index the members' day counters write: today's live, a finished day's once
and then kept, so a refreshing console pays only for today's players.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kado.domain.shards import STAT_SHARDS, pick_shard
from kado.store.campaigns.spins import PLAYER_SHARDS
from kado.store.kernel import codec
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import every_shard, get_many, query_pages
from kado.store.kernel.tables import GSI1, GSI1_PK, GSI1_SK

REFUSED = "refused_"  # + the refusal's code
PLAYERS = "players"


def count_refusal(program: str, campaign_id: str, day: str, code: str) -> None:
    """One more refusal of this kind today (after the refusal: no spin was written)."""
    dynamodb().update_item(
        TableName=table(), Key=keys.stat_day(program, campaign_id, pick_shard(STAT_SHARDS), day),
        UpdateExpression="ADD #r :one SET #d = :day",
        ExpressionAttributeNames={"#r": REFUSED + code, "#d": "day"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":day": {"S": day}})


def counters(program: str, campaign_id: str) -> dict[str, Counter[str]]:
    """Day -> its counters summed over the stat shards (spins, wins, outOfStock,
    refused_<CODE>)."""
    def shard_days(shard: int) -> list[dict[str, Any]]:
        pk = {"S": keys.stat_days(program, campaign_id, shard)}
        return [codec.load(raw) or {} for page in query_pages({
            "TableName": table(), "KeyConditionExpression": "pk = :p AND begins_with(sk, :d)",
            "ExpressionAttributeValues": {":p": pk, ":d": {"S": "DAY#"}}})
            for raw in page.get("Items", [])]

    days: dict[str, Counter[str]] = {}
    for items in every_shard(STAT_SHARDS, shard_days):
        for item in items:
            days.setdefault(item["day"], Counter()).update(
                {k: v for k, v in item.items() if isinstance(v, int)})
    return days


def players_on(program: str, campaign_id: str, day: str) -> int:
    """Members who spun on `day`: a COUNT over that day's index entries only."""
    def count(shard: int) -> int:
        request = {"TableName": table(), "IndexName": GSI1, "Select": "COUNT",
                   "KeyConditionExpression": "#p = :p AND begins_with(#s, :d)",
                   "ExpressionAttributeNames": {"#p": GSI1_PK, "#s": GSI1_SK},
                   "ExpressionAttributeValues": {
                       ":p": {"S": keys.campaign_players(program, campaign_id, shard)},
                       ":d": {"S": f"{day}#"}}}
        return sum(page.get("Count", 0) for page in query_pages(request))

    return sum(every_shard(PLAYER_SHARDS, count))


def counted_players(program: str, campaign_id: str, days: list[str]) -> dict[str, int]:
    """The player counts kept for days that are over (a finished day never changes)."""
    found = get_many([keys.campaign_day_players(program, campaign_id, day) for day in days])
    return {day: int(item[PLAYERS]) for day, item in zip(days, found, strict=True) if item}


def keep_players(program: str, campaign_id: str, day: str, count: int) -> None:
    dynamodb().put_item(TableName=table(), Item={
        **keys.campaign_day_players(program, campaign_id, day),
        **codec.dump({"type": "CAMPAIGN_DAY_PLAYERS", PLAYERS: count})})

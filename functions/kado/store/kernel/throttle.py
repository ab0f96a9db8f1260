"""Failed guesses counted per minute on an item (a till, a member, a company): the limit is
a condition of the increment itself, so parallel guesses cannot all read "under the limit"
and then all be answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from kado.store.kernel import codec
from kado.store.kernel.client import dynamodb, table

FAIL_MINUTE, FAIL_COUNT = "failMinute", "failCount"


def minute_of(moment: datetime) -> str:
    """The minute failures are counted in (UTC, as the moment is)."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def over_limit(item: dict[str, Any] | None, minute: str, limit: int) -> bool:
    """What a read of the item says: this minute's failures have reached the limit."""
    if item is None:
        return False
    return item.get(FAIL_MINUTE) == minute and int(item.get(FAIL_COUNT, 0)) >= limit


def count_failure(key: dict[str, Any], minute: str, limit: int,
                  existing_only: bool = True) -> bool:
    """Count one more failure in this minute, if still under `limit`; False if the limit
    was reached first. `existing_only`: the item must already exist (a till); otherwise
    the first failure makes it (a member's or a company's guesses)."""
    names = {"#fm": FAIL_MINUTE, "#fc": FAIL_COUNT}
    opens = "(attribute_not_exists(#fm) OR #fm <> :minute)"
    attempts = (
        ("SET #fc = #fc + :one", "#fm = :minute AND #fc < :limit"),
        ("SET #fm = :minute, #fc = :one",
         f"attribute_exists(pk) AND {opens}" if existing_only else opens),
    )
    # Two tries each: a parallel failure may open the minute between our two updates.
    values = {":one": 1, ":minute": minute, ":limit": limit}
    for expression, condition in attempts * 2:
        used = {k: v for k, v in values.items() if k in expression or k in condition}
        try:
            dynamodb().update_item(TableName=table(), Key=key, UpdateExpression=expression,
                                   ConditionExpression=condition, ExpressionAttributeNames=names,
                                   ExpressionAttributeValues=codec.dump(used))
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    return False

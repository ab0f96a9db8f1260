"""Statement exports: the job item, and the read of a program's ledger lines in a period.

The export is an offline job, so it may Scan: no hot path pays for a program-wide index of
ledger lines. The scan is filtered to the program's own keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kado.store import codec, keys
from kado.store.client import dynamodb, table
from kado.store.reads import get_one


def create_job(program: str, job_id: str, values: dict[str, Any]) -> bool:
    """False if a job with this id exists already (a retried request)."""
    item = {**keys.export_job(program, job_id), **codec.dump({"type": "EXPORT", **values})}
    try:
        dynamodb().put_item(TableName=table(), Item=item,
                            ConditionExpression="attribute_not_exists(pk)")
    except dynamodb().exceptions.ConditionalCheckFailedException:
        return False
    return True


def update_job(program: str, job_id: str, values: dict[str, Any]) -> None:
    names = {f"#f{i}": name for i, name in enumerate(values)}
    sets = ", ".join(f"#f{i} = :v{i}" for i in range(len(values)))
    dynamodb().update_item(
        TableName=table(), Key=keys.export_job(program, job_id), UpdateExpression=f"SET {sets}",
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=codec.dump({f":v{i}": v for i, v in enumerate(values.values())}))


def get_job(program: str, job_id: str) -> dict[str, Any] | None:
    return get_one(keys.export_job(program, job_id))


def ledger_lines(program: str, starts: str, ends: str) -> Iterator[dict[str, Any]]:
    """Every points ledger line of the program with `starts <= at < ends`, any order."""
    request: dict[str, Any] = {
        "TableName": table(),
        "FilterExpression": "begins_with(pk, :p) AND #t = :t AND #at >= :a AND #at < :b",
        "ExpressionAttributeNames": {"#t": "type", "#at": "at"},
        "ExpressionAttributeValues": codec.dump({":p": f"P#{program}#", ":t": "POINTS_ENTRY",
                                                 ":a": starts, ":b": ends}),
    }
    while True:
        page = dynamodb().scan(**request)
        for raw in page.get("Items", []):
            yield codec.load(raw) or {}
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

"""Report jobs: one item each, listed on GSI1 by when they were asked for, kept 90 days
(the files they made live in the lake's bucket, where its own lifecycle keeps them)."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK, TTL_ATTRIBUTE

KEPT_S = 90 * 24 * 3600


def create(program: str, job_id: str, values: dict[str, Any], created_epoch: int) -> bool:
    """False where a job with this id exists already (a retried request)."""
    item = {**keys.report_job(program, job_id), **codec.dump({
        "type": "REPORT_JOB", **values, GSI1_PK: keys.report_jobs_index(program),
        GSI1_SK: f"{values['createdAt']}#{job_id}", TTL_ATTRIBUTE: created_epoch + KEPT_S})}
    try:
        transact.write({"job": transact.put(item, "attribute_not_exists(pk)")})
    except transact.Cancelled:
        return False
    return True


def get(program: str, job_id: str, consistent: bool = False) -> dict[str, Any] | None:
    return get_one(keys.report_job(program, job_id), consistent=consistent)


def update(program: str, job_id: str, values: dict[str, Any], status_was: str) -> bool:
    """Set `values` where the job's status is still `status_was` (False: another writer
    moved it first, and its write stands)."""
    expression, names, dumped = transact.assignments(values)
    try:
        dynamodb().update_item(
            TableName=table(), Key=keys.report_job(program, job_id),
            UpdateExpression=expression, ConditionExpression="#status_was = :status_was",
            ExpressionAttributeNames={**names, "#status_was": "status"},
            ExpressionAttributeValues={**dumped, ":status_was": {"S": status_was}})
    except dynamodb().exceptions.ConditionalCheckFailedException:
        return False
    return True


def recent(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.report_jobs_index(program), first, after)
